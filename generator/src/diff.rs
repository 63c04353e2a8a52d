//! Spec change report: what a new version of the spec does to the generated Rust API.
//!
//! [`compare`] walks two [`Ir`]s, so every change is named as users of the generated crate
//! see it (method names, type names, field identifiers, enum variants), and classifies
//! each change under Cargo's semver rules, reasoned from how [`crate::emit`] writes code:
//!
//! - Structs have only `pub` fields and no `#[non_exhaustive]`, so users can build them
//!   with struct literals. A new field breaks those literals. Types reachable from a
//!   request body or parameter, parameter structs, and types no operation uses are built by
//!   users, so a new field there is **breaking**. Types reachable only from responses are
//!   produced by deserialization; users read them, so a new field there is **minor**.
//!   (Building a response type by hand, e.g. in a test, breaks; Cargo's own rule would call
//!   it major, we call it minor on purpose and say so in the note.) A type used on both
//!   sides, in the old or the new spec, counts as a request type.
//! - A removed or renamed field, a changed field type, and a field that gains or loses its
//!   `Option` layer (through `required` or `nullable`; optional and nullable together is
//!   `Option<Option<T>>`) are **breaking** everywhere. When the Rust
//!   type does not change (a nullable field that becomes required, say) the change is
//!   **minor**, because what goes on the wire changes.
//! - String enums are `#[non_exhaustive]` with an `Unknown(String)` variant: a new value is
//!   **minor**, a removed or renamed one is **breaking**.
//! - Methods are matched by HTTP method and path (path parameter names ignored), then by
//!   name. A removed or renamed method, or a changed signature (path arguments, params
//!   struct, body type or optionality, return type), is **breaking**; a new method is
//!   **minor**. Params structs are `#[non_exhaustive]` (built with `new`, then fields
//!   set), so a new optional parameter is **minor** and a new required one (a new argument
//!   of `new`) is **breaking**; a changed default is **minor**.
//! - Doc-only changes (descriptions, summaries, `deprecated`, which the generator writes
//!   into docs) are **patch**.
//!
//! The implied version bump is the most severe change: breaking → major, minor → minor,
//! patch → patch; no change → none.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Serialize;

use crate::error::{Error, Warning};
use crate::ir::*;
use crate::Builder;

/// How a change affects users of the generated crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Code that compiled against the old crate may not compile (or may silently change
    /// meaning) against the new one.
    Breaking,
    /// Additive: new API or a change of behaviour on the wire; existing code compiles.
    Minor,
    /// Documentation only, or nothing in the generated code changes.
    Patch,
}

impl Severity {
    fn title(self) -> &'static str {
        match self {
            Severity::Breaking => "Breaking changes",
            Severity::Minor => "Minor changes",
            Severity::Patch => "Patch-level changes",
        }
    }
}

/// The version bump a report implies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bump {
    /// A breaking change.
    Major,
    /// Additions only.
    Minor,
    /// Docs only.
    Patch,
    /// No change at all.
    None,
}

impl Bump {
    /// `major`, `minor`, `patch` or `none`.
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::Major => "major",
            Bump::Minor => "minor",
            Bump::Patch => "patch",
            Bump::None => "none",
        }
    }
}

/// What changed. Serialized in `snake_case` (`method_removed`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum ChangeKind {
    MethodAdded,
    MethodRemoved,
    MethodRenamed,
    MethodRouteChanged,
    MethodArgumentsChanged,
    MethodParamsChanged,
    MethodBodyChanged,
    MethodResponseChanged,
    ParamAdded,
    ParamRemoved,
    ParamRenamed,
    ParamTypeChanged,
    ParamRequiredChanged,
    ParamDefaultChanged,
    ParamLocationChanged,
    ParamWireNameChanged,
    ParamsConstructorChanged,
    TypeAdded,
    TypeRemoved,
    TypeKindChanged,
    AliasTargetChanged,
    UnionVariantsChanged,
    DefaultImplAdded,
    DefaultImplRemoved,
    FieldAdded,
    FieldRemoved,
    FieldRenamed,
    FieldTypeChanged,
    FieldRequiredChanged,
    FieldNullableChanged,
    FieldWireNameChanged,
    EnumValueAdded,
    EnumValueRemoved,
    EnumVariantRenamed,
    EnumValueWireChanged,
    EnumDefaultChanged,
    DefaultServerChanged,
    EnvelopeChanged,
    ApiInfoChanged,
    DocChanged,
    DeprecatedChanged,
}

/// Sections of the text report, in print order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    /// Client methods.
    Methods,
    /// Fields of the `...Params` structs.
    Parameters,
    /// Named types.
    Types,
    /// Struct fields.
    Fields,
    /// Enum variants.
    EnumValues,
    /// Crate-level items (`DEFAULT_SERVER`, the response envelope, crate docs).
    Api,
    /// Documentation.
    Docs,
}

impl Group {
    fn title(self) -> &'static str {
        match self {
            Group::Methods => "Methods",
            Group::Parameters => "Parameters",
            Group::Types => "Types",
            Group::Fields => "Fields",
            Group::EnumValues => "Enum values",
            Group::Api => "Crate",
            Group::Docs => "Documentation",
        }
    }
}

impl ChangeKind {
    /// The section this kind of change is listed under.
    pub fn group(self) -> Group {
        use ChangeKind::*;
        match self {
            MethodAdded
            | MethodRemoved
            | MethodRenamed
            | MethodRouteChanged
            | MethodArgumentsChanged
            | MethodParamsChanged
            | MethodBodyChanged
            | MethodResponseChanged => Group::Methods,
            ParamAdded
            | ParamRemoved
            | ParamRenamed
            | ParamTypeChanged
            | ParamRequiredChanged
            | ParamDefaultChanged
            | ParamLocationChanged
            | ParamWireNameChanged
            | ParamsConstructorChanged => Group::Parameters,
            TypeAdded
            | TypeRemoved
            | TypeKindChanged
            | AliasTargetChanged
            | UnionVariantsChanged
            | DefaultImplAdded
            | DefaultImplRemoved => Group::Types,
            FieldAdded | FieldRemoved | FieldRenamed | FieldTypeChanged | FieldRequiredChanged
            | FieldNullableChanged | FieldWireNameChanged => Group::Fields,
            EnumValueAdded | EnumValueRemoved | EnumVariantRenamed | EnumValueWireChanged | EnumDefaultChanged => {
                Group::EnumValues
            }
            DefaultServerChanged | EnvelopeChanged | ApiInfoChanged => Group::Api,
            DocChanged | DeprecatedChanged => Group::Docs,
        }
    }
}

/// One change, named in Rust terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// Its effect on users of the generated crate.
    pub severity: Severity,
    /// What changed.
    pub kind: ChangeKind,
    /// The section it belongs to.
    pub group: Group,
    /// The Rust item: `get_user`, `GetUserParams.limit`, `UserDto`, `UserDto.phone`,
    /// `UserIdType::Phone`.
    pub item: String,
    /// The old Rust type, signature or value, where there is one.
    pub old: Option<String>,
    /// The new Rust type, signature or value, where there is one.
    pub new: Option<String>,
    /// What it means, in one sentence.
    pub message: String,
}

/// The result of [`compare`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    old_label: Option<String>,
    new_label: Option<String>,
    changes: Vec<Change>,
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

// ----- loading the two sides -----------------------------------------------------------

/// One side of a comparison: a file, or `REV:PATH` read with `git show` in the current
/// directory's repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpecRef {
    /// A file.
    File(PathBuf),
    /// A file as committed in git: `git show REV:PATH` (PATH is relative to the
    /// repository root, or to the current directory when it starts with `./`).
    Git {
        /// The revision (`HEAD`, `HEAD~1`, a tag, a commit).
        rev: String,
        /// The path in that revision.
        path: String,
    },
}

impl SpecRef {
    /// Reads an argument: an existing file is a file; otherwise `REV:PATH` is a git
    /// reference; anything else is a file (that will fail to open with a clear message).
    pub fn parse(arg: &str) -> SpecRef {
        if Path::new(arg).exists() {
            return SpecRef::File(PathBuf::from(arg));
        }
        match arg.split_once(':') {
            // A Windows drive letter (`C:\...`) is a path, not a revision.
            Some((rev, path))
                if !rev.is_empty()
                    && !path.is_empty()
                    && !(rev.len() == 1 && (path.starts_with('\\') || path.starts_with('/'))) =>
            {
                SpecRef::Git { rev: rev.to_owned(), path: path.to_owned() }
            }
            _ => SpecRef::File(PathBuf::from(arg)),
        }
    }

    /// How the side is named in messages and reports.
    pub fn label(&self) -> String {
        match self {
            SpecRef::File(p) => p.display().to_string(),
            SpecRef::Git { rev, path } => format!("{rev}:{path}"),
        }
    }

    /// Loads and lowers the document.
    pub fn load_ir(&self) -> Result<(Ir, Vec<Warning>), Error> {
        match self {
            SpecRef::File(p) => Builder::new().spec(p).ir(),
            SpecRef::Git { rev, path } => {
                let text = git_show(None, rev, path, &self.label())?;
                ir_from_text(&self.label(), &text)
            }
        }
    }
}

/// Loads and lowers a document given as text; `name` is used for messages and to tell
/// YAML from JSON by its extension.
pub fn ir_from_text(name: &str, text: &str) -> Result<(Ir, Vec<Warning>), Error> {
    Builder::new().spec_source(name, text).ir()
}

fn git_error(label: &str, action: &'static str, message: impl Into<String>) -> Error {
    Error::Io { path: PathBuf::from(label), action, source: std::io::Error::other(message.into()) }
}

/// Runs git in `dir` (or the current directory) and returns its standard output, or the
/// first line of its error output.
fn git(dir: Option<&Path>, args: &[&str]) -> Result<String, String> {
    let mut cmd = Command::new("git");
    if let Some(dir) = dir {
        cmd.current_dir(dir);
    }
    let out = cmd.args(args).output().map_err(|e| format!("cannot run git: {e}"))?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let first = stderr.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("git failed");
        return Err(first.to_owned());
    }
    String::from_utf8(out.stdout).map_err(|_| "the file is not UTF-8 text".to_owned())
}

/// `git show REV:PATH`, as text.
fn git_show(dir: Option<&Path>, rev: &str, path: &str, label: &str) -> Result<String, Error> {
    if rev.starts_with('-') {
        return Err(git_error(label, "not a git revision", "a revision may not start with `-`"));
    }
    git(dir, &["show", &format!("{rev}:{path}")])
        .map_err(|m| git_error(label, "cannot read the OpenAPI document from git", m))
}

/// What `generate --report` compares against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Baseline {
    /// The spec as committed when the output was last generated.
    Found {
        /// A label such as `genauth-v3.yaml at 1a2b3c4`.
        label: String,
        /// Why this commit was chosen.
        reason: String,
        /// The document's text.
        text: String,
    },
    /// Nothing to compare against, and why.
    Missing {
        /// Why.
        reason: String,
    },
}

/// Finds the spec the output directory was last generated from: the spec as committed in
/// the last commit that changed `out` (CI's stale check keeps the two in step in every
/// commit), or in `HEAD` when `out` has no history. `Missing` says why there is none (not
/// a git repository, no commits, the spec not committed there).
pub fn git_baseline(spec: &Path, out: &Path) -> Baseline {
    let spec_abs = std::path::absolute(spec).unwrap_or_else(|_| spec.to_owned());
    let out_abs = std::path::absolute(out).unwrap_or_else(|_| out.to_owned());
    let (Some(dir), Some(file)) = (spec_abs.parent(), spec_abs.file_name()) else {
        return Baseline::Missing { reason: format!("{} is not a file path", spec.display()) };
    };
    let file = file.to_string_lossy().into_owned();
    let missing = |reason: String| Baseline::Missing { reason };
    if let Err(e) = git(Some(dir), &["rev-parse", "--verify", "--quiet", "HEAD^{commit}"]) {
        let why = if e == "git failed" { "the repository has no commits".to_owned() } else { e };
        return missing(format!("{} is not in a git repository with commits ({why})", spec.display()));
    }
    let out_arg = out_abs.to_string_lossy().into_owned();
    let last = git(Some(dir), &["log", "-1", "--format=%H %h", "--", &out_arg]).unwrap_or_default();
    let (rev, short, reason) = match last.trim().split_once(' ') {
        Some((full, short)) => {
            (full.to_owned(), short.to_owned(), format!("the last commit that changed {}", out.display()))
        }
        None => {
            let short = git(Some(dir), &["rev-parse", "--short", "HEAD"]).unwrap_or_default();
            (
                "HEAD".to_owned(),
                short.trim().to_owned(),
                format!("HEAD, since {} has no committed history", out.display()),
            )
        }
    };
    let path = format!("./{file}");
    match git_show(Some(dir), &rev, &path, &file) {
        Ok(text) => Baseline::Found { label: format!("{file} at {short}"), reason, text },
        Err(_) => missing(format!("{file} is not committed at {short} ({reason})")),
    }
}

// ----- comparing ------------------------------------------------------------------------

/// Compares two IRs and classifies every difference in the generated Rust API.
pub fn compare(old: &Ir, new: &Ir) -> Report {
    let mut d = Differ { old, new, roles: BTreeMap::new(), changes: Vec::new() };
    for (name, role) in roles(old).into_iter().chain(roles(new)) {
        let r = d.roles.entry(name).or_default();
        r.request |= role.request;
        r.response |= role.response;
    }
    d.api();
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
struct Role {
    request: bool,
    response: bool,
}

impl Role {
    fn response_only(self) -> bool {
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

/// The Rust spelling of a type, as the emitter writes it (named types by name, so two IRs
/// can be compared).
fn render(ir: &Ir, t: &TypeRef) -> String {
    t.rust(ir)
}

/// How many `Option`s the emitter wraps a field in: none when required and not nullable,
/// one when only one of "may be absent" and "may be null" holds, two when both do
/// (`Option<Option<T>>`, so absent and `null` stay apart).
fn option_depth(f: &Field) -> u8 {
    u8::from(!f.required) + u8::from(f.nullable)
}

fn field_type(ir: &Ir, f: &Field) -> String {
    let inner = render(ir, &f.ty);
    match option_depth(f) {
        0 => inner,
        1 => format!("Option<{inner}>"),
        _ => format!("Option<Option<{inner}>>"),
    }
}

fn param_type(ir: &Ir, p: &Param) -> String {
    let inner = render(ir, &p.ty);
    if p.required {
        inner
    } else {
        format!("Option<{inner}>")
    }
}

/// A path parameter as a method argument.
fn arg_type(ir: &Ir, p: &Param) -> String {
    match &p.ty {
        TypeRef::String => "&str".to_owned(),
        TypeRef::Bool | TypeRef::Int(_) | TypeRef::F32 | TypeRef::F64 => render(ir, &p.ty),
        other => format!("&{}", render(ir, other)),
    }
}

fn body_type(ir: &Ir, b: &Body) -> String {
    match &b.kind {
        BodyKind::Json(t) => {
            let t = render(ir, t);
            if b.required {
                format!("&{t}")
            } else {
                format!("Option<&{t}>")
            }
        }
        BodyKind::Form(p) => format!("&{}", p.name),
        BodyKind::Bytes => "impl Into<Vec<u8>>".to_owned(),
        BodyKind::Text => "impl Into<String>".to_owned(),
    }
}

/// What a method returns, as the emitter writes it.
fn response_type(ir: &Ir, op: &Operation) -> String {
    if let Some((name, _)) = &op.responses_by_status {
        return name.clone();
    }
    if op.raw_response {
        return "rt::Response".to_owned();
    }
    op.response.as_ref().map(|t| render(ir, t)).unwrap_or_else(|| "()".to_owned())
}

/// A union's variants as the emitter writes them (name, payload, tag value).
fn union_shape(ir: &Ir, u: &UnionDef) -> String {
    let variants: Vec<String> = u
        .variants
        .iter()
        .map(|v| match &v.tag_value {
            Some(tag) => format!("{}({}) = {tag:?}", v.ident, render(ir, &v.ty)),
            None => format!("{}({})", v.ident, render(ir, &v.ty)),
        })
        .collect();
    match &u.tag {
        Some(tag) => format!("tagged by {tag:?}: {}", variants.join(", ")),
        None => format!("untagged: {}", variants.join(", ")),
    }
}

fn norm_doc(d: Option<&str>) -> Option<&str> {
    d.map(str::trim).filter(|d| !d.is_empty())
}

/// The route of an operation with path parameter names left out, so renaming `{id}` to
/// `{userId}` keeps the identity.
fn route(op: &Operation) -> (String, String) {
    let mut path = String::with_capacity(op.path.len());
    let mut in_param = false;
    for c in op.path.chars() {
        match c {
            '{' => {
                in_param = true;
                path.push('{');
            }
            '}' => {
                in_param = false;
                path.push('}');
            }
            _ if in_param => {}
            c => path.push(c),
        }
    }
    (op.method.to_ascii_lowercase(), path)
}

fn route_text(op: &Operation) -> String {
    format!("{} {}", op.method.to_ascii_uppercase(), op.path)
}

/// Pairs items of two lists by a primary key, then the rest by a secondary key. Returns
/// the pairs (old index, new index), the unpaired old and the unpaired new indices.
#[allow(clippy::type_complexity)]
fn pair<T, K1: Ord, K2: Ord>(
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

struct Differ<'a> {
    old: &'a Ir,
    new: &'a Ir,
    roles: BTreeMap<String, Role>,
    changes: Vec<Change>,
}

impl Differ<'_> {
    fn push(
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

    fn doc(&mut self, item: &str, old: Option<&str>, new: Option<&str>) {
        if norm_doc(old) != norm_doc(new) {
            self.push(Severity::Patch, ChangeKind::DocChanged, item, None, None, "documentation changed");
        }
    }

    // ----- crate level -----

    fn api(&mut self) {
        let (old, new) = (self.old, self.new);
        if old.title.trim() != new.title.trim() {
            self.push(
                Severity::Patch,
                ChangeKind::ApiInfoChanged,
                "crate docs",
                Some(old.title.clone()),
                Some(new.title.clone()),
                format!("API title `{}` → `{}`", old.title.trim(), new.title.trim()),
            );
        }
        if old.version.trim() != new.version.trim() {
            self.push(
                Severity::Patch,
                ChangeKind::ApiInfoChanged,
                "crate docs",
                Some(old.version.clone()),
                Some(new.version.clone()),
                format!("API version {} → {}", old.version.trim(), new.version.trim()),
            );
        }
        self.doc("crate docs", old.description.as_deref(), new.description.as_deref());
        match (old.servers.first(), new.servers.first()) {
            (None, Some(s)) => self.push(
                Severity::Minor,
                ChangeKind::DefaultServerChanged,
                "DEFAULT_SERVER",
                None,
                Some(s.clone()),
                format!("new constant `DEFAULT_SERVER` = \"{s}\""),
            ),
            (Some(s), None) => self.push(
                Severity::Breaking,
                ChangeKind::DefaultServerChanged,
                "DEFAULT_SERVER",
                Some(s.clone()),
                None,
                "constant removed (the spec lists no server)",
            ),
            (Some(a), Some(b)) if a != b => self.push(
                Severity::Minor,
                ChangeKind::DefaultServerChanged,
                "DEFAULT_SERVER",
                Some(a.clone()),
                Some(b.clone()),
                format!("value \"{a}\" → \"{b}\""),
            ),
            _ => {}
        }
        if old.status_code_envelope != new.status_code_envelope {
            let message = if new.status_code_envelope {
                "responses are now read as the `{statusCode, message, data}` envelope; every method returns the payload instead of the whole body"
            } else {
                "responses are no longer read as the `{statusCode, message, data}` envelope; every method returns the whole body"
            };
            self.push(Severity::Breaking, ChangeKind::EnvelopeChanged, "client", None, None, message);
        }
    }

    // ----- operations -----

    fn operations(&mut self) {
        let (old, new) = (self.old, self.new);
        let (pairs, removed, added) = pair(&old.operations, &new.operations, route, |op: &Operation| op.ident.clone());
        for i in removed {
            let Some(op) = old.operations.get(i) else { continue };
            self.push(
                Severity::Breaking,
                ChangeKind::MethodRemoved,
                &op.ident,
                Some(route_text(op)),
                None,
                format!("method removed ({})", route_text(op)),
            );
        }
        for j in added {
            let Some(op) = new.operations.get(j) else { continue };
            self.push(
                Severity::Minor,
                ChangeKind::MethodAdded,
                &op.ident,
                None,
                Some(route_text(op)),
                format!("new method ({})", route_text(op)),
            );
        }
        for (i, j) in pairs {
            if let (Some(o), Some(n)) = (old.operations.get(i), new.operations.get(j)) {
                self.operation(o, n);
            }
        }
    }

    fn operation(&mut self, o: &Operation, n: &Operation) {
        let (old, new) = (self.old, self.new);
        let item = n.ident.clone();
        if o.ident != n.ident {
            self.push(
                Severity::Breaking,
                ChangeKind::MethodRenamed,
                &item,
                Some(o.ident.clone()),
                Some(n.ident.clone()),
                format!("method renamed from `{}` ({}); callers of the old name break", o.ident, route_text(n)),
            );
        }
        if route(o) != route(n) {
            self.push(
                Severity::Minor,
                ChangeKind::MethodRouteChanged,
                &item,
                Some(route_text(o)),
                Some(route_text(n)),
                format!("now sends {} (was {}); the signature is unchanged", route_text(n), route_text(o)),
            );
        }
        // Path arguments.
        let args = |ir: &Ir, op: &Operation| -> Vec<(String, String)> {
            op.path_params.iter().map(|p| (p.ident.clone(), arg_type(ir, p))).collect()
        };
        let (oa, na) = (args(old, o), args(new, n));
        let show = |a: &[(String, String)]| -> String {
            let parts: Vec<String> = a.iter().map(|(n, t)| format!("{n}: {t}")).collect();
            format!("({})", parts.join(", "))
        };
        let types_of = |a: &[(String, String)]| -> Vec<String> { a.iter().map(|(_, t)| t.clone()).collect() };
        if types_of(&oa) != types_of(&na) {
            self.push(
                Severity::Breaking,
                ChangeKind::MethodArgumentsChanged,
                &item,
                Some(show(&oa)),
                Some(show(&na)),
                format!("path arguments {} → {}", show(&oa), show(&na)),
            );
        } else if oa != na {
            self.push(
                Severity::Patch,
                ChangeKind::MethodArgumentsChanged,
                &item,
                Some(show(&oa)),
                Some(show(&na)),
                format!("path arguments renamed {} → {} (callers pass them by position)", show(&oa), show(&na)),
            );
        }
        // The params struct.
        match (&o.params, &n.params) {
            (None, Some(p)) => self.push(
                Severity::Breaking,
                ChangeKind::MethodParamsChanged,
                &item,
                None,
                Some(format!("&{}", p.name)),
                format!("now takes `params: &{}`", p.name),
            ),
            (Some(p), None) => self.push(
                Severity::Breaking,
                ChangeKind::MethodParamsChanged,
                &item,
                Some(format!("&{}", p.name)),
                None,
                format!("no longer takes `params: &{}` (struct removed)", p.name),
            ),
            (Some(op), Some(np)) => {
                if op.name != np.name {
                    self.push(
                        Severity::Breaking,
                        ChangeKind::MethodParamsChanged,
                        &item,
                        Some(op.name.clone()),
                        Some(np.name.clone()),
                        format!("params struct renamed `{}` → `{}`", op.name, np.name),
                    );
                }
                self.params(op, np);
            }
            (None, None) => {}
        }
        // The body.
        match (&o.body, &n.body) {
            (None, Some(b)) => {
                let t = body_type(new, b);
                self.push(
                    Severity::Breaking,
                    ChangeKind::MethodBodyChanged,
                    &item,
                    None,
                    Some(t.clone()),
                    format!("now takes `body: {t}`"),
                );
            }
            (Some(b), None) => {
                let t = body_type(old, b);
                self.push(
                    Severity::Breaking,
                    ChangeKind::MethodBodyChanged,
                    &item,
                    Some(t.clone()),
                    None,
                    format!("no longer takes `body: {t}`"),
                );
            }
            (Some(ob), Some(nb)) => {
                let (ot, nt) = (body_type(old, ob), body_type(new, nb));
                if ot != nt {
                    self.push(
                        Severity::Breaking,
                        ChangeKind::MethodBodyChanged,
                        &item,
                        Some(ot.clone()),
                        Some(nt.clone()),
                        format!("body `{ot}` → `{nt}`"),
                    );
                }
            }
            (None, None) => {}
        }
        // The response.
        let (or, nr) = (response_type(old, o), response_type(new, n));
        if or != nr {
            self.push(
                Severity::Breaking,
                ChangeKind::MethodResponseChanged,
                &item,
                Some(or.clone()),
                Some(nr.clone()),
                format!("returns `Result<{nr}, rt::Error>` (was `Result<{or}, rt::Error>`)"),
            );
        }
        // Docs.
        if norm_doc(o.summary.as_deref()) != norm_doc(n.summary.as_deref())
            || norm_doc(o.description.as_deref()) != norm_doc(n.description.as_deref())
        {
            self.push(Severity::Patch, ChangeKind::DocChanged, &item, None, None, "documentation changed");
        }
        if o.deprecated != n.deprecated {
            self.deprecated(&item, o.deprecated, n.deprecated);
        }
    }

    fn deprecated(&mut self, item: &str, old: bool, new: bool) {
        let message = if new {
            "now marked deprecated in its docs (the generated code has no `#[deprecated]` attribute)"
        } else {
            "no longer marked deprecated in its docs"
        };
        self.push(
            Severity::Patch,
            ChangeKind::DeprecatedChanged,
            item,
            Some(old.to_string()),
            Some(new.to_string()),
            message,
        );
    }

    fn params(&mut self, o: &ParamsDef, n: &ParamsDef) {
        let (old, new) = (self.old, self.new);
        let name = &n.name;
        let (pairs, removed, added) =
            pair(&o.fields, &n.fields, |p: &Param| p.wire.clone(), |p: &Param| p.ident.clone());
        for i in removed {
            let Some(p) = o.fields.get(i) else { continue };
            let t = param_type(old, p);
            self.push(
                Severity::Breaking,
                ChangeKind::ParamRemoved,
                format!("{}.{}", o.name, p.ident),
                Some(t),
                None,
                format!("parameter `{}` removed", p.wire),
            );
        }
        for j in added {
            let Some(p) = n.fields.get(j) else { continue };
            let t = param_type(new, p);
            // Params structs are `#[non_exhaustive]`: users build them with `new` and set
            // fields, so only a new argument of `new` breaks them.
            let (severity, message) = if p.required {
                (
                    Severity::Breaking,
                    format!("new required parameter `{}`: `{name}::new` takes it as an argument", p.wire),
                )
            } else {
                (
                    Severity::Minor,
                    format!(
                        "new optional parameter `{}`: `{name}::new` is unchanged (the struct is `#[non_exhaustive]`)",
                        p.wire
                    ),
                )
            };
            self.push(
                severity,
                ChangeKind::ParamAdded,
                format!("{name}.{}", p.ident),
                None,
                Some(t),
                message,
            );
        }
        for (i, j) in pairs {
            let (Some(op), Some(np)) = (o.fields.get(i), n.fields.get(j)) else {
                continue;
            };
            let item = format!("{name}.{}", np.ident);
            if op.ident != np.ident {
                self.push(
                    Severity::Breaking,
                    ChangeKind::ParamRenamed,
                    &item,
                    Some(op.ident.clone()),
                    Some(np.ident.clone()),
                    format!("field renamed from `{}`", op.ident),
                );
            }
            if op.wire != np.wire {
                self.push(
                    Severity::Minor,
                    ChangeKind::ParamWireNameChanged,
                    &item,
                    Some(op.wire.clone()),
                    Some(np.wire.clone()),
                    format!("sent as `{}` (was `{}`); the Rust field is unchanged", np.wire, op.wire),
                );
            }
            let (ot, nt) = (render(old, &op.ty), render(new, &np.ty));
            if ot != nt {
                self.push(
                    Severity::Breaking,
                    ChangeKind::ParamTypeChanged,
                    &item,
                    Some(param_type(old, op)),
                    Some(param_type(new, np)),
                    format!("type `{}` → `{}`", param_type(old, op), param_type(new, np)),
                );
            }
            if op.required != np.required {
                let message = if np.required {
                    format!(
                        "now required: `{}` → `{}`, and `{name}::new` takes it",
                        param_type(old, op),
                        param_type(new, np)
                    )
                } else {
                    format!(
                        "now optional: `{}` → `{}`, and `{name}::new` no longer takes it",
                        param_type(old, op),
                        param_type(new, np)
                    )
                };
                self.push(
                    Severity::Breaking,
                    ChangeKind::ParamRequiredChanged,
                    &item,
                    Some(param_type(old, op)),
                    Some(param_type(new, np)),
                    message,
                );
            }
            if op.default != np.default {
                let show = |v: &Option<serde_json::Value>| v.as_ref().map(|v| v.to_string());
                let (od, nd) = (show(&op.default), show(&np.default));
                let text = |d: &Option<String>| d.clone().unwrap_or_else(|| "unset".to_owned());
                if np.required {
                    self.push(
                        Severity::Patch,
                        ChangeKind::ParamDefaultChanged,
                        &item,
                        od.clone(),
                        nd.clone(),
                        format!("documented default {} → {} (required, so `new` is unaffected)", text(&od), text(&nd)),
                    );
                } else {
                    self.push(
                        Severity::Minor,
                        ChangeKind::ParamDefaultChanged,
                        &item,
                        od.clone(),
                        nd.clone(),
                        format!("`{name}::new` now starts it at {} (was {})", text(&nd), text(&od)),
                    );
                }
            }
            if op.location != np.location {
                let loc = |l: ParamIn| match l {
                    ParamIn::Path => "path",
                    ParamIn::Query | ParamIn::DeepQuery => "query",
                    ParamIn::Header => "header",
                    ParamIn::Form => "form",
                    ParamIn::Multipart => "multipart form",
                };
                self.push(
                    Severity::Minor,
                    ChangeKind::ParamLocationChanged,
                    &item,
                    Some(loc(op.location).to_owned()),
                    Some(loc(np.location).to_owned()),
                    format!("sent in the {} (was the {})", loc(np.location), loc(op.location)),
                );
            }
            self.doc(&item, op.doc.as_deref(), np.doc.as_deref());
        }
        // `new`'s argument order, when the set of required parameters is the same.
        let ctor = |ir: &Ir, p: &ParamsDef| -> Vec<(String, String)> {
            p.fields.iter().filter(|f| f.required).map(|f| (f.wire.clone(), render(ir, &f.ty))).collect()
        };
        let (oc, nc) = (ctor(old, o), ctor(new, n));
        let sorted = |v: &[(String, String)]| -> Vec<(String, String)> {
            let mut v = v.to_vec();
            v.sort();
            v
        };
        if oc != nc && sorted(&oc) == sorted(&nc) {
            let show = |v: &[(String, String)]| -> String {
                let parts: Vec<&str> = v.iter().map(|(w, _)| w.as_str()).collect();
                format!("({})", parts.join(", "))
            };
            self.push(
                Severity::Breaking,
                ChangeKind::ParamsConstructorChanged,
                format!("{name}::new"),
                Some(show(&oc)),
                Some(show(&nc)),
                format!("arguments reordered {} → {}", show(&oc), show(&nc)),
            );
        }
    }

    // ----- types -----

    fn types(&mut self) {
        let (old, new) = (self.old, self.new);
        let by_name = |ir: &'_ Ir| -> BTreeMap<String, usize> {
            ir.types.iter().enumerate().map(|(i, t)| (t.name.clone(), i)).collect()
        };
        let (om, nm) = (by_name(old), by_name(new));
        for (name, &i) in &om {
            let Some(o) = old.types.get(i) else { continue };
            match nm.get(name).and_then(|&j| new.types.get(j)) {
                None => self.push(
                    Severity::Breaking,
                    ChangeKind::TypeRemoved,
                    name,
                    Some(kind_name(&o.kind).to_owned()),
                    None,
                    format!("{} removed", kind_name(&o.kind)),
                ),
                Some(n) => self.type_def(o, n),
            }
        }
        for (name, &j) in &nm {
            if om.contains_key(name) {
                continue;
            }
            let Some(n) = new.types.get(j) else { continue };
            let used = match self.roles.get(name) {
                Some(r) if r.request && r.response => "used in requests and responses",
                Some(r) if r.request => "used in requests",
                Some(r) if r.response => "used in responses",
                _ => "not used by any method",
            };
            self.push(
                Severity::Minor,
                ChangeKind::TypeAdded,
                name,
                None,
                Some(kind_name(&n.kind).to_owned()),
                format!("new {} ({used})", kind_name(&n.kind)),
            );
        }
    }

    fn type_def(&mut self, o: &TypeDef, n: &TypeDef) {
        let (old, new) = (self.old, self.new);
        let name = n.name.clone();
        match (&o.kind, &n.kind) {
            (TypeKind::Struct(os), TypeKind::Struct(ns)) => self.struct_def(&name, os, ns),
            (TypeKind::Enum(oe), TypeKind::Enum(ne)) => self.enum_def(&name, oe, ne),
            (TypeKind::Alias(ot), TypeKind::Alias(nt)) => {
                let (ot, nt) = (render(old, ot), render(new, nt));
                if ot != nt {
                    self.push(
                        Severity::Breaking,
                        ChangeKind::AliasTargetChanged,
                        &name,
                        Some(ot.clone()),
                        Some(nt.clone()),
                        format!("`type {name} = {ot}` → `{nt}`"),
                    );
                }
            }
            (TypeKind::Union(ou), TypeKind::Union(nu)) => {
                let (os, ns) = (union_shape(old, ou), union_shape(new, nu));
                if os != ns {
                    self.push(
                        Severity::Breaking,
                        ChangeKind::UnionVariantsChanged,
                        &name,
                        Some(os.clone()),
                        Some(ns.clone()),
                        format!("enum variants changed: {os} → {ns}"),
                    );
                }
            }
            (ok, nk) => {
                self.push(
                    Severity::Breaking,
                    ChangeKind::TypeKindChanged,
                    &name,
                    Some(kind_name(ok).to_owned()),
                    Some(kind_name(nk).to_owned()),
                    format!("{} → {}", kind_name(ok), kind_name(nk)),
                );
                return;
            }
        }
        self.doc(&name, o.doc.as_deref(), n.doc.as_deref());
    }

    fn struct_def(&mut self, name: &str, o: &StructDef, n: &StructDef) {
        let (old, new) = (self.old, self.new);
        let response_only = self.roles.get(name).is_some_and(|r| r.response_only());
        if o.default && !n.default {
            self.push(
                Severity::Breaking,
                ChangeKind::DefaultImplRemoved,
                name,
                None,
                None,
                "no longer implements `Default`",
            );
        } else if !o.default && n.default {
            self.push(Severity::Minor, ChangeKind::DefaultImplAdded, name, None, None, "now implements `Default`");
        }
        let (pairs, removed, added) =
            pair(&o.fields, &n.fields, |f: &Field| f.wire.clone(), |f: &Field| f.ident.clone());
        for i in removed {
            let Some(f) = o.fields.get(i) else { continue };
            self.push(
                Severity::Breaking,
                ChangeKind::FieldRemoved,
                format!("{name}.{}", f.ident),
                Some(field_type(old, f)),
                None,
                format!("field removed (was `{}`)", field_type(old, f)),
            );
        }
        for j in added {
            let Some(f) = n.fields.get(j) else { continue };
            let t = field_type(new, f);
            let req = if option_depth(f) > 0 { "optional" } else { "required" };
            let (severity, message) = if response_only {
                let extra = if f.required && !f.nullable { "; responses without it now fail to decode" } else { "" };
                (
                    Severity::Minor,
                    format!("new {req} field of type `{t}` in a response-only type (additive for code that reads it; hand-built values must name it){extra}"),
                )
            } else {
                let hint = if n.default && (option_depth(f) > 0) { "; `..Default::default()` still compiles" } else { "" };
                (
                    Severity::Breaking,
                    format!("new {req} field of type `{t}`: struct literals of this request type must name it{hint}"),
                )
            };
            self.push(severity, ChangeKind::FieldAdded, format!("{name}.{}", f.ident), None, Some(t), message);
        }
        for (i, j) in pairs {
            let (Some(of), Some(nf)) = (o.fields.get(i), n.fields.get(j)) else {
                continue;
            };
            self.field(name, of, nf);
        }
    }

    fn field(&mut self, name: &str, o: &Field, n: &Field) {
        let (old, new) = (self.old, self.new);
        let item = format!("{name}.{}", n.ident);
        let (ot, nt) = (field_type(old, o), field_type(new, n));
        if o.ident != n.ident {
            self.push(
                Severity::Breaking,
                ChangeKind::FieldRenamed,
                &item,
                Some(o.ident.clone()),
                Some(n.ident.clone()),
                format!("field renamed from `{}` (wire name `{}`)", o.ident, n.wire),
            );
        }
        if o.wire != n.wire {
            self.push(
                Severity::Minor,
                ChangeKind::FieldWireNameChanged,
                &item,
                Some(o.wire.clone()),
                Some(n.wire.clone()),
                format!("JSON property `{}` → `{}`; the Rust field is unchanged", o.wire, n.wire),
            );
        }
        if render(old, &o.ty) != render(new, &n.ty) {
            self.push(
                Severity::Breaking,
                ChangeKind::FieldTypeChanged,
                &item,
                Some(ot.clone()),
                Some(nt.clone()),
                format!("type `{ot}` → `{nt}`"),
            );
        }
        let option_changed = option_depth(o) != option_depth(n);
        if o.required != n.required {
            let what = if n.required { "now required" } else { "now optional" };
            let (severity, message) = if option_changed {
                (Severity::Breaking, format!("{what}: `{ot}` → `{nt}`"))
            } else if n.required {
                (
                    Severity::Minor,
                    format!("{what}; the Rust type stays `{nt}` (nullable), but `None` is now sent as `null` instead of being left out"),
                )
            } else {
                (
                    Severity::Minor,
                    format!("{what}; the Rust type stays `{nt}` (nullable), but `None` is now left out instead of sent as `null`"),
                )
            };
            self.push(severity, ChangeKind::FieldRequiredChanged, &item, Some(ot.clone()), Some(nt.clone()), message);
        }
        if o.nullable != n.nullable {
            let what = if n.nullable { "now nullable" } else { "no longer nullable" };
            let (severity, message) = if option_changed {
                (Severity::Breaking, format!("{what}: `{ot}` → `{nt}`"))
            } else {
                (
                    Severity::Minor,
                    format!("{what}; the Rust type stays `{nt}`, but what `None` means on the wire changed"),
                )
            };
            self.push(severity, ChangeKind::FieldNullableChanged, &item, Some(ot.clone()), Some(nt.clone()), message);
        }
        if o.deprecated != n.deprecated {
            self.deprecated(&item, o.deprecated, n.deprecated);
        }
        self.doc(&item, o.doc.as_deref(), n.doc.as_deref());
    }

    fn enum_def(&mut self, name: &str, o: &EnumDef, n: &EnumDef) {
        let (pairs, removed, added) =
            pair(&o.variants, &n.variants, |v: &Variant| v.wire.clone(), |v: &Variant| v.ident.clone());
        for i in removed {
            let Some(v) = o.variants.get(i) else { continue };
            self.push(
                Severity::Breaking,
                ChangeKind::EnumValueRemoved,
                format!("{name}::{}", v.ident),
                Some(format!("{:?}", v.wire)),
                None,
                format!("variant removed; {:?} now arrives as `{name}::{}({:?})`", v.wire, n.unknown, v.wire),
            );
        }
        for j in added {
            let Some(v) = n.variants.get(j) else { continue };
            self.push(
                Severity::Minor,
                ChangeKind::EnumValueAdded,
                format!("{name}::{}", v.ident),
                None,
                Some(format!("{:?}", v.wire)),
                format!(
                    "new value {:?} (the enum is `#[non_exhaustive]`; this value used to arrive as `{}({:?})`)",
                    v.wire, o.unknown, v.wire
                ),
            );
        }
        for (i, j) in pairs {
            let (Some(ov), Some(nv)) = (o.variants.get(i), n.variants.get(j)) else {
                continue;
            };
            let item = format!("{name}::{}", nv.ident);
            if ov.ident != nv.ident {
                self.push(
                    Severity::Breaking,
                    ChangeKind::EnumVariantRenamed,
                    &item,
                    Some(ov.ident.clone()),
                    Some(nv.ident.clone()),
                    format!("variant renamed from `{}` (value {:?})", ov.ident, nv.wire),
                );
            }
            if ov.wire != nv.wire {
                self.push(
                    Severity::Minor,
                    ChangeKind::EnumValueWireChanged,
                    &item,
                    Some(format!("{:?}", ov.wire)),
                    Some(format!("{:?}", nv.wire)),
                    format!("sent and read as {:?} (was {:?})", nv.wire, ov.wire),
                );
            }
        }
        if o.unknown != n.unknown {
            self.push(
                Severity::Breaking,
                ChangeKind::EnumVariantRenamed,
                format!("{name}::{}", n.unknown),
                Some(o.unknown.clone()),
                Some(n.unknown.clone()),
                format!("the catch-all variant for unknown values is renamed from `{}`", o.unknown),
            );
        }
        let default_of =
            |e: &EnumDef| e.default.and_then(|i| e.variants.get(i)).map(|v| (v.wire.clone(), v.ident.clone()));
        match (default_of(o), default_of(n)) {
            (Some(_), None) => self.push(
                Severity::Breaking,
                ChangeKind::DefaultImplRemoved,
                name,
                None,
                None,
                "no longer implements `Default`",
            ),
            (None, Some((_, ident))) => self.push(
                Severity::Minor,
                ChangeKind::DefaultImplAdded,
                name,
                None,
                Some(ident.clone()),
                format!("now implements `Default` (`{name}::{ident}`)"),
            ),
            (Some((ow, oi)), Some((nw, ni))) if ow != nw => self.push(
                Severity::Minor,
                ChangeKind::EnumDefaultChanged,
                name,
                Some(oi.clone()),
                Some(ni.clone()),
                format!("`{name}::default()` is now `{ni}` (was `{oi}`)"),
            ),
            _ => {}
        }
    }
}

fn kind_name(k: &TypeKind) -> &'static str {
    match k {
        TypeKind::Struct(_) => "struct",
        TypeKind::Enum(_) => "enum",
        TypeKind::Alias(_) => "type alias",
        TypeKind::Union(_) => "enum (one of several types)",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small spec with the given `paths` and `components/schemas` bodies (YAML, indented
    /// as they would be under those keys).
    fn spec(paths: &str, schemas: &str) -> String {
        format!(
            "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\npaths:\n{paths}\ncomponents:\n  schemas:\n{schemas}"
        )
    }

    fn report(old: &str, new: &str) -> Report {
        let (old, _) = ir_from_text("old.yaml", old).expect("old spec loads");
        let (new, _) = ir_from_text("new.yaml", new).expect("new spec loads");
        compare(&old, &new)
    }

    fn find<'r>(r: &'r Report, kind: ChangeKind, item: &str) -> &'r Change {
        r.changes()
            .iter()
            .find(|c| c.kind == kind && c.item == item)
            .unwrap_or_else(|| panic!("no {kind:?} on {item} in:\n{}", r.to_text()))
    }

    const GET_THING: &str = "  /things/{id}:\n    get:\n      operationId: getThing\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n        - {name: limit, in: query, schema: {type: integer, default: 10}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Thing'}\n";
    const THING: &str = "    Thing:\n      type: object\n      required: [id]\n      properties:\n        id: {type: string}\n        note: {type: string}\n";

    #[test]
    fn identical_specs_have_no_changes() {
        let s = spec(GET_THING, THING);
        let r = report(&s, &s);
        assert!(r.changes().is_empty(), "{}", r.to_text());
        assert_eq!(r.bump(), Bump::None);
        assert!(r.to_text().contains("No changes"));
    }

    #[test]
    fn a_new_operation_id_on_the_same_route_is_a_rename() {
        let old = spec(GET_THING, THING);
        let new = old.replace("operationId: getThing", "operationId: fetchThing");
        let r = report(&old, &new);
        let c = find(&r, ChangeKind::MethodRenamed, "fetch_thing");
        assert_eq!(c.severity, Severity::Breaking);
        assert_eq!(c.old.as_deref(), Some("get_thing"));
        // The params struct is named after the method, so it is renamed too.
        assert_eq!(find(&r, ChangeKind::MethodParamsChanged, "fetch_thing").severity, Severity::Breaking);
        assert!(!r.changes().iter().any(|c| c.kind == ChangeKind::MethodAdded || c.kind == ChangeKind::MethodRemoved));
    }

    #[test]
    fn a_moved_route_with_the_same_name_keeps_the_method() {
        let old = spec(GET_THING, THING);
        let new = old.replace("/things/{id}:", "/v2/things/{id}:");
        let r = report(&old, &new);
        let c = find(&r, ChangeKind::MethodRouteChanged, "get_thing");
        assert_eq!(c.severity, Severity::Minor);
        assert_eq!(c.new.as_deref(), Some("GET /v2/things/{id}"));
        assert_eq!(r.changes().len(), 1, "{}", r.to_text());
    }

    #[test]
    fn renaming_a_path_parameter_is_patch_level() {
        let old = spec(GET_THING, THING);
        let new = old
            .replace("/things/{id}:", "/things/{thingId}:")
            .replace("{name: id, in: path", "{name: thingId, in: path");
        let r = report(&old, &new);
        let c = find(&r, ChangeKind::MethodArgumentsChanged, "get_thing");
        assert_eq!(c.severity, Severity::Patch, "{}", r.to_text());
        assert_eq!(r.bump(), Bump::Patch);
        // Changing its type is breaking.
        let new = old.replace(
            "{name: id, in: path, required: true, schema: {type: string}}",
            "{name: id, in: path, required: true, schema: {type: integer}}",
        );
        let r = report(&old, &new);
        let c = find(&r, ChangeKind::MethodArgumentsChanged, "get_thing");
        assert_eq!(
            (c.severity, c.old.as_deref(), c.new.as_deref()),
            (Severity::Breaking, Some("(id: &str)"), Some("(id: i64)"))
        );
    }

    #[test]
    fn parameter_changes() {
        let old = spec(GET_THING, THING);
        let r = report(&old, &old.replace("default: 10", "default: 20"));
        let c = find(&r, ChangeKind::ParamDefaultChanged, "GetThingParams.limit");
        assert_eq!((c.severity, c.old.as_deref(), c.new.as_deref()), (Severity::Minor, Some("10"), Some("20")));

        let r = report(&old, &old.replace("{name: limit, in: query,", "{name: limit, in: query, required: true,"));
        let c = find(&r, ChangeKind::ParamRequiredChanged, "GetThingParams.limit");
        assert_eq!(
            (c.severity, c.old.as_deref(), c.new.as_deref()),
            (Severity::Breaking, Some("Option<i64>"), Some("i64"))
        );

        let r = report(&old, &old.replace("{name: limit, in: query,", "{name: limit, in: header,"));
        assert_eq!(find(&r, ChangeKind::ParamLocationChanged, "GetThingParams.limit").severity, Severity::Minor);

        let r = report(
            &old,
            &old.replace(
                "{name: limit, in: query, schema: {type: integer, default: 10}}",
                "{name: limit, in: query, schema: {type: string}}",
            ),
        );
        let c = find(&r, ChangeKind::ParamTypeChanged, "GetThingParams.limit");
        assert_eq!(
            (c.severity, c.old.as_deref(), c.new.as_deref()),
            (Severity::Breaking, Some("Option<i64>"), Some("Option<String>"))
        );

        let removed = old.replace("        - {name: limit, in: query, schema: {type: integer, default: 10}}\n", "");
        let r = report(&old, &removed);
        assert_eq!(find(&r, ChangeKind::MethodParamsChanged, "get_thing").old.as_deref(), Some("&GetThingParams"));
        let r = report(&removed, &old);
        assert_eq!(find(&r, ChangeKind::MethodParamsChanged, "get_thing").severity, Severity::Breaking);
    }

    #[test]
    fn nullable_and_required_change_the_rust_type_only_through_option() {
        let nullable = THING.replace("note: {type: string}", "note: {type: string, nullable: true}");
        let old = spec(GET_THING, THING);
        // An optional field gains nullable: absent and null now differ, `Option<Option<_>>`.
        let r = report(&old, &spec(GET_THING, &nullable));
        let c = find(&r, ChangeKind::FieldNullableChanged, "Thing.note");
        assert_eq!(
            (c.severity, c.old.as_deref(), c.new.as_deref()),
            (Severity::Breaking, Some("Option<String>"), Some("Option<Option<String>>"))
        );
        assert_eq!(r.bump(), Bump::Major);
        let generate = |text: &str| Builder::new().spec_source("t.yaml", text).generate().expect("generates").files().to_vec();
        assert_ne!(generate(&old), generate(&spec(GET_THING, &nullable)), "the generated type changes");
        // Optional-and-nullable becomes required-and-nullable: one `Option` less.
        let required = nullable.replace("required: [id]", "required: [id, note]");
        let r = report(&spec(GET_THING, &nullable), &spec(GET_THING, &required));
        assert_eq!(find(&r, ChangeKind::FieldRequiredChanged, "Thing.note").severity, Severity::Breaking);
        // Optional becomes required-and-nullable: still `Option<String>`, but `None` is now
        // sent as `null` instead of left out.
        let r = report(&old, &spec(GET_THING, &required));
        assert_eq!(find(&r, ChangeKind::FieldRequiredChanged, "Thing.note").severity, Severity::Minor);
        assert_eq!(find(&r, ChangeKind::FieldNullableChanged, "Thing.note").severity, Severity::Minor);
        // A plain optional field becomes required: `Option<String>` → `String`.
        let r = report(&old, &spec(GET_THING, &THING.replace("required: [id]", "required: [id, note]")));
        let c = find(&r, ChangeKind::FieldRequiredChanged, "Thing.note");
        assert_eq!(
            (c.severity, c.old.as_deref(), c.new.as_deref()),
            (Severity::Breaking, Some("Option<String>"), Some("String"))
        );
    }

    #[test]
    fn a_field_added_to_a_type_used_in_requests_and_responses_is_breaking() {
        let post = "  /things:\n    post:\n      operationId: putThing\n      requestBody:\n        required: true\n        content:\n          application/json:\n            schema: {$ref: '#/components/schemas/Thing'}\n      responses:\n        '204': {description: ok}\n";
        let paths = format!("{GET_THING}{post}");
        let more = format!("{THING}        extra: {{type: boolean}}\n");
        let r = report(&spec(&paths, THING), &spec(&paths, &more));
        assert_eq!(find(&r, ChangeKind::FieldAdded, "Thing.extra").severity, Severity::Breaking);
        // Response-only: minor.
        let r = report(&spec(GET_THING, THING), &spec(GET_THING, &more));
        assert_eq!(find(&r, ChangeKind::FieldAdded, "Thing.extra").severity, Severity::Minor);
        // Used by nothing: users can only have built it themselves, so breaking.
        let r = report(&spec("  {}", THING), &spec("  {}", &more));
        assert_eq!(find(&r, ChangeKind::FieldAdded, "Thing.extra").severity, Severity::Breaking);
    }

    #[test]
    fn a_wire_rename_that_keeps_the_rust_name_is_minor() {
        let old = spec(GET_THING, THING);
        let new = spec(GET_THING, &THING.replace("note: {type: string}", "Note: {type: string}"));
        let r = report(&old, &new);
        let c = find(&r, ChangeKind::FieldWireNameChanged, "Thing.note");
        assert_eq!((c.severity, c.old.as_deref(), c.new.as_deref()), (Severity::Minor, Some("note"), Some("Note")));
        assert!(!r.changes().iter().any(|c| c.kind == ChangeKind::FieldRemoved), "{}", r.to_text());
    }

    #[test]
    fn enum_defaults_and_kinds() {
        let e = "    Mode:\n      type: string\n      enum: [a, b]\n";
        let with_default = "    Mode:\n      type: string\n      enum: [a, b]\n      default: a\n";
        let other_default = "    Mode:\n      type: string\n      enum: [a, b]\n      default: b\n";
        let r = report(&spec("  {}", e), &spec("  {}", with_default));
        assert_eq!(find(&r, ChangeKind::DefaultImplAdded, "Mode").severity, Severity::Minor);
        let r = report(&spec("  {}", with_default), &spec("  {}", e));
        assert_eq!(find(&r, ChangeKind::DefaultImplRemoved, "Mode").severity, Severity::Breaking);
        let r = report(&spec("  {}", with_default), &spec("  {}", other_default));
        let c = find(&r, ChangeKind::EnumDefaultChanged, "Mode");
        assert_eq!((c.old.as_deref(), c.new.as_deref()), (Some("A"), Some("B")));
        let as_struct = "    Mode:\n      type: object\n      properties:\n        a: {type: string}\n";
        let r = report(&spec("  {}", e), &spec("  {}", as_struct));
        let c = find(&r, ChangeKind::TypeKindChanged, "Mode");
        assert_eq!(
            (c.severity, c.old.as_deref(), c.new.as_deref()),
            (Severity::Breaking, Some("enum"), Some("struct"))
        );
    }

    #[test]
    fn servers_and_envelope() {
        let old = spec(GET_THING, THING);
        let with_server = old.replace("paths:\n", "servers:\n  - url: https://a.test\npaths:\n");
        let r = report(&old, &with_server);
        assert_eq!(find(&r, ChangeKind::DefaultServerChanged, "DEFAULT_SERVER").severity, Severity::Minor);
        let r = report(&with_server, &old);
        assert_eq!(find(&r, ChangeKind::DefaultServerChanged, "DEFAULT_SERVER").severity, Severity::Breaking);
        let moved = with_server.replace("https://a.test", "https://b.test");
        let r = report(&with_server, &moved);
        assert_eq!(find(&r, ChangeKind::DefaultServerChanged, "DEFAULT_SERVER").new.as_deref(), Some("https://b.test"));
    }

    #[test]
    fn changes_are_sorted_most_severe_first_and_json_is_stable() {
        let old = spec(GET_THING, THING);
        let new = spec(
            &GET_THING
                .replace("summary", "x")
                .replace("operationId: getThing", "operationId: getThing\n      summary: Get it"),
            &format!("{}        extra: {{type: boolean}}\n", THING.replace("required: [id]", "required: [id, note]")),
        );
        let r = report(&old, &new);
        let severities: Vec<Severity> = r.changes().iter().map(|c| c.severity).collect();
        let mut sorted = severities.clone();
        sorted.sort();
        assert_eq!(severities, sorted);
        assert_eq!(severities.first(), Some(&Severity::Breaking));
        assert_eq!(severities.last(), Some(&Severity::Patch));
        assert_eq!(r.to_json(), report(&old, &new).to_json());
        let json: serde_json::Value = serde_json::from_str(&r.to_json()).expect("valid JSON");
        assert_eq!(json["bump"], "major");
        assert_eq!(json["counts"]["breaking"], r.count(Severity::Breaking));
        assert_eq!(json["changes"].as_array().map(Vec::len), Some(r.changes().len()));
    }

    #[test]
    fn spec_arguments() {
        assert_eq!(
            SpecRef::parse("HEAD~1:specs/genauth-v3.yaml"),
            SpecRef::Git { rev: "HEAD~1".into(), path: "specs/genauth-v3.yaml".into() }
        );
        assert_eq!(SpecRef::parse("missing.yaml"), SpecRef::File("missing.yaml".into()));
        assert_eq!(SpecRef::parse("C:\\specs\\a.yaml"), SpecRef::File("C:\\specs\\a.yaml".into()));
        assert_eq!(SpecRef::parse(":a.yaml"), SpecRef::File(":a.yaml".into()));
        let e = SpecRef::parse("--output=x:y").load_ir().expect_err("options are not revisions");
        assert!(e.to_string().contains("may not start with `-`"), "{e}");
    }
}
