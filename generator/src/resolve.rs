//! Brings every `$ref` into the one shape the lowering understands:
//! `#/components/schemas/<name>` for schemas, and inline values elsewhere.
//!
//! - References to other files (`common.yaml#/components/schemas/Error`, `pet.yaml`) are
//!   read (relative to the file that holds the reference), and the schemas they name are
//!   copied into this document's `components/schemas` under a unique name. Each
//!   (file, pointer) is copied once, so cycles between files end.
//! - Schema references into this document that are not a component
//!   (`#/components/schemas/A/properties/b`, `#/paths/...`) are copied the same way.
//! - Non-schema references to other files (parameters, responses, path items) are
//!   replaced by the value they point at.
//!
//! The files read are recorded, so build scripts can ask cargo to watch them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::error::{pointer_push, pointer_unescape, Error, Warning};
use crate::files::Files;
use crate::parse::parse_text;
use crate::normalize::MAX_DEPTH;

const SCHEMAS: &str = "#/components/schemas/";

/// Resolves references in `root` (read from `file`); returns the other files read.
/// Other files are read from `files`.
pub fn resolve(file: &Path, root: &mut Value, files: &Files, warnings: &mut Vec<Warning>) -> Result<Vec<PathBuf>, Error> {
    if !needs_work(root) {
        return Ok(Vec::new());
    }
    let mut r = Resolver {
        root_file: files.identity(file),
        source: files,
        display: file.to_owned(),
        files: BTreeMap::new(),
        hoisted: BTreeMap::new(),
        taken: root
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default(),
        new_schemas: Vec::new(),
        warnings,
        order: Vec::new(),
    };
    let root_file = r.root_file.clone();
    let snapshot = root.clone();
    r.walk(root, &root_file, &snapshot, &mut Vec::new(), 0)?;
    // New component schemas may refer to further ones; they were resolved when copied.
    if !r.new_schemas.is_empty() {
        let Some(obj) = root.as_object_mut() else { return Ok(r.order) };
        let components = obj.entry("components").or_insert_with(|| Value::Object(Map::new()));
        if !components.is_object() {
            *components = Value::Object(Map::new());
        }
        if let Some(c) = components.as_object_mut() {
            let schemas = c.entry("schemas").or_insert_with(|| Value::Object(Map::new()));
            if let Some(s) = schemas.as_object_mut() {
                for (name, value) in r.new_schemas.drain(..) {
                    s.insert(name, value);
                }
            }
        }
    }
    Ok(r.order)
}

/// Cheap scan: is there any reference that is not a plain local component reference, or
/// a reference in place of a text (which may be local)?
fn needs_work(v: &Value) -> bool {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get("$ref") {
                if !r.starts_with("#/components/") || r.strip_prefix(SCHEMAS).is_some_and(|name| name.contains('/')) {
                    return true;
                }
            }
            if TEXT_KEYS.iter().any(|k| m.get(*k).is_some_and(|t| t.get("$ref").is_some())) {
                return true;
            }
            m.iter().filter(|(k, _)| !k.starts_with("x-")).any(|(_, v)| needs_work(v))
        }
        Value::Array(a) => a.iter().any(needs_work),
        _ => false,
    }
}

struct Resolver<'w> {
    root_file: PathBuf,
    source: &'w Files,
    display: PathBuf,
    /// Parsed documents by canonical path.
    files: BTreeMap<PathBuf, Value>,
    /// (file, pointer) → component name already given.
    hoisted: BTreeMap<(PathBuf, String), String>,
    taken: BTreeSet<String>,
    new_schemas: Vec<(String, Value)>,
    warnings: &'w mut Vec<Warning>,
    order: Vec<PathBuf>,
}

/// Keys whose values are schemas, and keys whose members are.
fn is_schema_position(path: &[String]) -> bool {
    let n = path.len();
    let last = path.last().map(String::as_str);
    let parent = if n >= 2 { path.get(n - 2).map(String::as_str) } else { None };
    matches!(last, Some("schema" | "items" | "additionalProperties" | "not" | "contains" | "propertyNames" | "if" | "then" | "else"))
        || matches!(parent, Some("properties" | "allOf" | "oneOf" | "anyOf" | "prefixItems" | "patternProperties" | "$defs" | "definitions"))
        || (n == 3 && path.first().map(String::as_str) == Some("components") && parent == Some("schemas"))
}

/// Keys whose value is a text (Markdown) in every OpenAPI object that has them.
const TEXT_KEYS: &[&str] = &["description", "summary"];

/// Keys whose members are named by the document's author, so a member called
/// `description` is an object, not a text.
const NAMED_MEMBERS: &[&str] = &[
    "schemas", "parameters", "responses", "headers", "examples", "requestBodies", "securitySchemes",
    "links", "callbacks", "pathItems", "variables", "encoding", "content", "mapping", "scopes", "webhooks",
];

/// Whether `path` is where OpenAPI expects a text: a `description` or `summary` that is
/// neither a schema (a property named `description`) nor a named member.
fn is_text_position(path: &[String]) -> bool {
    let n = path.len();
    let parent = if n >= 2 { path.get(n - 2).map(String::as_str) } else { None };
    path.last().is_some_and(|last| TEXT_KEYS.contains(&last.as_str()))
        && !is_schema_position(path)
        && !parent.is_some_and(|p| NAMED_MEMBERS.contains(&p))
}

impl Resolver<'_> {
    /// Reads and parses `path`, which `reference` (at `from`) names.
    fn load(&mut self, path: &Path, from: &str, reference: &str) -> Result<(), Error> {
        if self.files.contains_key(path) || path == self.root_file {
            return Ok(());
        }
        let unreadable = |reason: String| Error::Invalid {
            file: self.display.clone(),
            location: crate::error::Location::Pointer(from.to_owned()),
            message: format!(
                "cannot read the file `{}` that `$ref: {reference}` names (relative to the file holding the reference): {reason}",
                reference.split_once('#').map_or(reference, |(file, _)| file)
            ),
        };
        // Only regular files (see `Files::read`): a reference to a device or a FIFO
        // (`/dev/zero`, `/dev/stdin`) must not hang the generator or exhaust its memory.
        let bytes = self.source.read(path).map_err(unreadable)?;
        let text = crate::parse::utf8_text(path, bytes)?;
        let value = parse_text(path, &text)?;
        self.order.push(path.to_owned());
        self.files.insert(path.to_owned(), value);
        Ok(())
    }

    /// The value at `pointer` in `file` (the root document is `root`).
    fn target(&self, file: &Path, pointer: &str, root: &Value) -> Option<Value> {
        let doc = if file == self.root_file { root } else { self.files.get(file)? };
        if pointer.is_empty() || pointer == "/" {
            return Some(doc.clone());
        }
        doc.pointer(pointer).cloned()
    }

    /// Splits a reference into (absolute file, JSON pointer), relative to `base`.
    fn split(&self, reference: &str, base: &Path) -> (PathBuf, String) {
        let (file_part, fragment) = match reference.split_once('#') {
            Some((f, p)) => (f, p.to_owned()),
            None => (reference, String::new()),
        };
        let file = if file_part.is_empty() {
            base.to_owned()
        } else {
            let dir = base.parent().unwrap_or_else(|| Path::new("."));
            self.source.identity(&dir.join(file_part))
        };
        (file, fragment)
    }

    fn unique_name(&mut self, base: &str) -> String {
        let base = if base.is_empty() { "Schema" } else { base };
        let mut name = base.to_owned();
        let mut n = 2;
        while self.taken.contains(&name) {
            name = format!("{base}{n}");
            n += 1;
        }
        self.taken.insert(name.clone());
        name
    }

    /// Walks `v` (part of `file`), rewriting references. `root` is the unmodified root
    /// document, for pointers into it.
    fn walk(&mut self, v: &mut Value, file: &Path, root: &Value, path: &mut Vec<String>, depth: usize) -> Result<(), Error> {
        if depth > MAX_DEPTH {
            return Err(Error::invalid(&self.display, &render(path), "references nest too deeply (a cycle of non-schema references?)"));
        }
        match v {
            Value::Object(m) => {
                if let Some(Value::String(reference)) = m.get("$ref").cloned() {
                    if is_text_position(path) {
                        *v = Value::String(self.text(&reference, file, root, path));
                        return Ok(());
                    }
                    // Plain local component references need nothing.
                    let local_component = file == self.root_file
                        && reference.starts_with("#/components/")
                        && !reference.strip_prefix(SCHEMAS).is_some_and(|name| name.contains('/'));
                    if !local_component {
                        self.rewrite(m, &reference, file, root, path, depth)?;
                        return Ok(());
                    }
                }
                for (k, child) in m.iter_mut() {
                    // Extensions are not OpenAPI objects; a `$ref` in them (to a Markdown
                    // page, say) is for other tools.
                    if k.starts_with("x-") {
                        continue;
                    }
                    path.push(k.clone());
                    let r = self.walk(child, file, root, path, depth + 1);
                    path.pop();
                    r?;
                }
            }
            Value::Array(a) => {
                for (i, child) in a.iter_mut().enumerate() {
                    path.push(i.to_string());
                    let r = self.walk(child, file, root, path, depth + 1);
                    path.pop();
                    r?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn rewrite(&mut self, m: &mut Map<String, Value>, reference: &str, file: &Path, root: &Value, path: &mut Vec<String>, depth: usize) -> Result<(), Error> {
        let (target_file, pointer) = self.split(reference, file);
        let here = render(path);
        if target_file != self.root_file {
            self.load(&target_file, &here, reference)?;
        }
        let schema_ref = is_schema_position(path) || pointer.starts_with("/components/schemas/") || pointer.starts_with("/definitions/");
        if schema_ref {
            // A component of the root document, written with the file name: just local.
            if target_file == self.root_file {
                if let Some(name) = pointer.strip_prefix("/components/schemas/").filter(|n| !n.contains('/')) {
                    m.insert("$ref".to_owned(), Value::String(format!("{SCHEMAS}{name}")));
                    return Ok(());
                }
            }
            let key = (target_file.clone(), pointer.clone());
            let name = match self.hoisted.get(&key) {
                Some(name) => name.clone(),
                None => {
                    let Some(mut target) = self.target(&target_file, &pointer, root) else {
                        self.dangling(m, reference, &here);
                        return Ok(());
                    };
                    let base = match pointer.rsplit('/').next().filter(|s| !s.is_empty()) {
                        Some(last) => pointer_unescape(last),
                        None => target_file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default(),
                    };
                    let name = self.unique_name(&base);
                    self.hoisted.insert(key, name.clone());
                    let mut inner_path = vec!["components".to_owned(), "schemas".to_owned(), name.clone()];
                    self.walk(&mut target, &target_file, root, &mut inner_path, depth + 1)?;
                    self.new_schemas.push((name.clone(), target));
                    name
                }
            };
            m.insert("$ref".to_owned(), Value::String(format!("{SCHEMAS}{}", escape(&name))));
            return Ok(());
        }
        // Not a schema: put the value itself here, resolved relative to its own file.
        let Some(mut target) = self.target(&target_file, &pointer, root) else {
            self.dangling(m, reference, &here);
            return Ok(());
        };
        self.walk(&mut target, &target_file, root, path, depth + 1)?;
        m.remove("$ref");
        if let Value::Object(t) = target {
            for (k, v) in t {
                m.entry(k).or_insert(v);
            }
        }
        Ok(())
    }

    /// The text a `$ref` in place of a description names (documents written for Redocly
    /// keep long Markdown descriptions in files of their own). Anything but a text there
    /// (an unreadable file, a pointer to nothing or to an object) is left out with W022:
    /// a description is never worth failing for.
    fn text(&mut self, reference: &str, file: &Path, root: &Value, path: &[String]) -> String {
        let (target_file, pointer) = self.split(reference, file);
        let here = pointer_push(&render(path), "$ref");
        let structured = target_file
            .extension()
            .is_some_and(|e| ["yaml", "yml", "json"].iter().any(|x| e.eq_ignore_ascii_case(x)));
        let found = if target_file == self.root_file {
            Ok(self.target(&target_file, &pointer, root))
        } else if pointer.is_empty() && !structured {
            // A whole Markdown (or text) file is the text itself.
            match self.source.read(&target_file).map(String::from_utf8) {
                Ok(Ok(text)) => {
                    if !self.order.contains(&target_file) {
                        self.order.push(target_file.clone());
                    }
                    return text;
                }
                Ok(Err(_)) => Err(Error::invalid(&self.display, &here, "the file is not UTF-8 text")),
                Err(reason) => Err(Error::invalid(&self.display, &here, format!("cannot read the file: {reason}"))),
            }
        } else {
            self.load(&target_file, &here, reference).map(|()| self.target(&target_file, &pointer, root))
        };
        let problem = match found {
            Ok(Some(Value::String(text))) => return text,
            Ok(Some(other)) => format!("names {}, not a text", kind_of(&other)),
            Ok(None) => "points at nothing".to_owned(),
            Err(e) => match e {
                Error::Invalid { message, .. } => message,
                other => other.to_string(),
            },
        };
        self.warnings.push(Warning {
            code: "W022",
            file: self.display.clone(),
            pointer: here,
            message: format!("`{reference}`, in place of a text, {problem}; the text is left out"),
            hint: "point the reference at a string, or write the text in place",
        });
        String::new()
    }

    /// A reference to nothing becomes a schema that admits anything, with a warning.
    fn dangling(&mut self, m: &mut Map<String, Value>, reference: &str, here: &str) {
        m.remove("$ref");
        self.warnings.push(Warning {
            code: "W001",
            file: self.display.clone(),
            pointer: pointer_push(here, "$ref"),
            message: format!("`{reference}` points at nothing; the value is kept as `serde_json::Value`"),
            hint: "fix the reference or add the missing definition",
        });
    }
}

fn escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

fn render(path: &[String]) -> String {
    path.iter().fold(String::from("#"), |acc, seg| pointer_push(&acc, seg))
}

/// What kind of JSON value `v` is, for messages.
fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}
