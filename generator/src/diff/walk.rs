//! The walk: [`compare`] pairs the two IRs' items and hands each pair to the rules in the
//! sibling files; also where each type is used (requests, responses) and how items are paired.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use crate::ir::*;

use super::change::{Change, ChangeKind, Severity};
use super::report::Report;

/// Compares two IRs and classifies every difference in the generated Rust API.
pub fn compare(old: &Ir, new: &Ir) -> Report {
    let mut d = Differ { old, new, roles: BTreeMap::new(), changes: Vec::new() };
    for (name, role) in roles(old).into_iter().chain(roles(new)) {
        let r = d.roles.entry(name).or_default();
        r.request |= role.request;
        r.response |= role.response;
    }
    d.api();
    d.api_codes();
    d.operations();
    d.types();
    let mut changes = d.changes;
    changes.sort_by(|a, b| {
        (a.severity, a.group, &a.item, a.kind, &a.old, &a.new, &a.message)
            .cmp(&(b.severity, b.group, &b.item, b.kind, &b.old, &b.new, &b.message))
    });
    changes.dedup();
    Report { old_label: None, new_label: None, changes }
}

/// Where a type is used: reachable from a request (body, parameters) or a response.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Role {
    pub(super) request: bool,
    pub(super) response: bool,
}

impl Role {
    pub(super) fn response_only(self) -> bool {
        self.response && !self.request
    }
}

fn roles(ir: &Ir) -> BTreeMap<String, Role> {
    let mut request: Vec<TypeId> = Vec::new();
    let mut response: Vec<TypeId> = Vec::new();
    for op in &ir.operations {
        for (side, t) in op.refs() {
            let out = if side == Side::Request { &mut request } else { &mut response };
            t.for_each_named(&mut |id| out.push(id));
        }
    }
    let mut out: BTreeMap<String, Role> = BTreeMap::new();
    for (roots, is_request) in [(request, true), (response, false)] {
        for (i, reached) in ir.reachable(roots).into_iter().enumerate() {
            let Some(t) = ir.types.get(i).filter(|_| reached) else { continue };
            let r = out.entry(t.name.clone()).or_default();
            if is_request {
                r.request = true;
            } else {
                r.response = true;
            }
        }
    }
    out
}

pub(super) fn norm_doc(d: Option<&str>) -> Option<&str> {
    d.map(str::trim).filter(|d| !d.is_empty())
}

/// Pairs items of two lists by a primary key, then the rest by a secondary key. Returns
/// the pairs (old index, new index), the unpaired old and the unpaired new indices.
#[allow(clippy::type_complexity)]
pub(super) fn pair<T, K1: Ord, K2: Ord>(
    old: &[T],
    new: &[T],
    k1: impl Fn(&T) -> K1,
    k2: impl Fn(&T) -> K2,
) -> (Vec<(usize, usize)>, Vec<usize>, Vec<usize>) {
    let mut pairs = Vec::new();
    let mut old_left: BTreeSet<usize> = (0..old.len()).collect();
    let mut new_left: Vec<usize> = Vec::new();
    let mut by_k1: BTreeMap<K1, VecDeque<usize>> = BTreeMap::new();
    for (i, o) in old.iter().enumerate() {
        by_k1.entry(k1(o)).or_default().push_back(i);
    }
    for (j, n) in new.iter().enumerate() {
        match by_k1.get_mut(&k1(n)).and_then(VecDeque::pop_front) {
            Some(i) => {
                old_left.remove(&i);
                pairs.push((i, j));
            }
            None => new_left.push(j),
        }
    }
    let mut by_k2: BTreeMap<K2, VecDeque<usize>> = BTreeMap::new();
    for &i in &old_left {
        if let Some(o) = old.get(i) {
            by_k2.entry(k2(o)).or_default().push_back(i);
        }
    }
    let mut added = Vec::new();
    for j in new_left {
        let Some(n) = new.get(j) else { continue };
        match by_k2.get_mut(&k2(n)).and_then(VecDeque::pop_front) {
            Some(i) => {
                old_left.remove(&i);
                pairs.push((i, j));
            }
            None => added.push(j),
        }
    }
    (pairs, old_left.into_iter().collect(), added)
}

pub(super) struct Differ<'a> {
    pub(super) old: &'a Ir,
    pub(super) new: &'a Ir,
    pub(super) roles: BTreeMap<String, Role>,
    changes: Vec<Change>,
}

impl Differ<'_> {
    pub(super) fn push(
        &mut self,
        severity: Severity,
        kind: ChangeKind,
        item: impl Into<String>,
        old: Option<String>,
        new: Option<String>,
        message: impl Into<String>,
    ) {
        self.changes.push(Change {
            severity,
            kind,
            group: kind.group(),
            item: item.into(),
            old,
            new,
            message: message.into(),
        });
    }

    pub(super) fn doc(&mut self, item: &str, old: Option<&str>, new: Option<&str>) {
        if norm_doc(old) != norm_doc(new) {
            self.push(Severity::Patch, ChangeKind::DocChanged, item, None, None, "documentation changed");
        }
    }
}
