//! The [`Report`]: its changes, counts and implied bump, as text and as JSON.

use std::fmt::Write as _;

use serde::Serialize;

use super::change::{Bump, Change, Group, Severity};

/// The result of [`compare`](super::compare).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub(super) old_label: Option<String>,
    pub(super) new_label: Option<String>,
    pub(super) changes: Vec<Change>,
}

#[derive(Serialize)]
struct Counts {
    breaking: usize,
    minor: usize,
    patch: usize,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    old: Option<&'a str>,
    new: Option<&'a str>,
    bump: Bump,
    counts: Counts,
    changes: &'a [Change],
}

impl Report {
    /// Names the two sides in the output (e.g. the paths or `REV:PATH` given).
    pub fn with_labels(mut self, old: impl Into<String>, new: impl Into<String>) -> Self {
        self.old_label = Some(old.into());
        self.new_label = Some(new.into());
        self
    }

    /// Every change, most severe first, then by section and item.
    pub fn changes(&self) -> &[Change] {
        &self.changes
    }

    /// How many changes have this severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.changes.iter().filter(|c| c.severity == severity).count()
    }

    /// Whether any change is breaking.
    pub fn is_breaking(&self) -> bool {
        self.count(Severity::Breaking) > 0
    }

    /// The most severe change, if any.
    pub fn max_severity(&self) -> Option<Severity> {
        self.changes.iter().map(|c| c.severity).min()
    }

    /// Whether a change is at least as severe as `threshold` (`diff --fail-on`).
    pub fn reaches(&self, threshold: Severity) -> bool {
        self.max_severity().is_some_and(|worst| worst <= threshold)
    }

    /// The version bump the changes imply.
    pub fn bump(&self) -> Bump {
        match self.max_severity() {
            Some(Severity::Breaking) => Bump::Major,
            Some(Severity::Minor) => Bump::Minor,
            Some(Severity::Patch) => Bump::Patch,
            None => Bump::None,
        }
    }

    /// The report as readable text: grouped by severity (most severe first), then by
    /// section, ending with the implied bump.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        out.push_str("Spec change report\n");
        if let (Some(old), Some(new)) = (&self.old_label, &self.new_label) {
            let _ = writeln!(out, "  old: {old}\n  new: {new}");
        }
        if self.changes.is_empty() {
            out.push_str("\nNo changes to the generated API.\n");
        }
        for severity in [Severity::Breaking, Severity::Minor, Severity::Patch] {
            let of_severity: Vec<&Change> = self.changes.iter().filter(|c| c.severity == severity).collect();
            if of_severity.is_empty() {
                continue;
            }
            let _ = writeln!(out, "\n{} ({})", severity.title(), of_severity.len());
            let mut group: Option<Group> = None;
            for c in of_severity {
                if group != Some(c.group) {
                    group = Some(c.group);
                    let _ = writeln!(out, "  {}", c.group.title());
                }
                let _ = writeln!(out, "    {}: {}", c.item, c.message);
            }
        }
        let _ = writeln!(
            out,
            "\nImplied version bump: {} ({} breaking, {} minor, {} patch)",
            self.bump().as_str(),
            self.count(Severity::Breaking),
            self.count(Severity::Minor),
            self.count(Severity::Patch)
        );
        out
    }

    /// The report as pretty-printed JSON with a fixed key order and sorted changes:
    /// `{"old", "new", "bump", "counts": {"breaking", "minor", "patch"}, "changes": [...]}`.
    pub fn to_json(&self) -> String {
        let report = JsonReport {
            old: self.old_label.as_deref(),
            new: self.new_label.as_deref(),
            bump: self.bump(),
            counts: Counts {
                breaking: self.count(Severity::Breaking),
                minor: self.count(Severity::Minor),
                patch: self.count(Severity::Patch),
            },
            changes: &self.changes,
        };
        let mut text = serde_json::to_string_pretty(&report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
        text.push('\n');
        text
    }
}
