//! Shared by the fuzz targets and by the bounded property test in `cargo test`
//! (`generator/tests/fuzz_props.rs` includes this file): a builder of OpenAPI-shaped
//! documents from unstructured bytes, and the property every input must satisfy.
//!
//! The property: the generator returns `Ok` or `Err` (never panics, never overflows the
//! stack); an `Err` formats to a one-line-or-more message; every `Ok` output file is
//! non-empty Rust that `syn` parses, and generating twice gives the same bytes.

use arbitrary::{Result, Unstructured};
use serde_json::{Map, Value};

/// Names that have broken generators: Rust keywords, names the generated code uses
/// itself, comment and string breakers, path tricks, controls, bidi overrides, digits,
/// empty and long names.
pub const NASTY_NAMES: &[&str] = &[
    "User", "user", "user_id", "userId", "UserId", "USER_ID", "type", "Type", "self", "Self",
    "super", "crate", "fn", "async", "await", "dyn", "try", "gen", "r#type", "_", "__", "-",
    "", " ", "*/", "/*", "//", "\"", "\\", "#[", "#![doc = \"x\"]", "`", "```", "\n", "\r\n",
    "\u{202E}", "\u{2066}x\u{2069}", "\u{200B}", "\u{0}", "../", "../../etc/passwd", "a/b",
    "~1", "~0", "Unknown", "unknown", "Other", "123", "1abc", "Default", "Option", "Some",
    "None", "Ok", "Err", "Result", "Vec", "String", "Box", "rt", "serde", "serde_json",
    "client", "types", "ManagementClient", "Request", "Response", "Error", "new", "send",
    "éclair", "日本語", "a.b", "{id}", "x-ext", "$ref", "200", "2XX", "default", "status",
    "statusCode", "data", "Params", "UserParams", "UserDto", "get_user", "getUser", "null",
    "true", "false", "Null", "0", "-1", "1e400", "value", "Value", "Map", "BTreeMap", "std",
    "core", "alloc", "macro_rules", "union", "static", "ref", "loop",
];

const FORMATS: &[&str] = &[
    "int32", "int64", "int8", "int16", "uint8", "uint16", "uint32", "uint64", "float", "double",
    "date-time", "date", "binary", "byte", "uuid", "email", "password", "decimal", "bogus", "",
];

const MEDIA_TYPES: &[&str] = &[
    "application/json",
    "application/json; charset=utf-8",
    "application/problem+json",
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "application/octet-stream",
    "text/plain",
    "*/*",
    "application/xml",
    "",
];

const STATUS: &[&str] = &["200", "201", "204", "2XX", "default", "400", "404", "4XX", "500", "299", "100", "abc", "999", "0"];

const VERSIONS: &[&str] = &["3.0.3", "3.0.0", "3.0", "3.1.0", "3.1", "3.1.1", "3.2.0", "2.0", ""];

/// A name: one of the nasty ones, arbitrary text, a pair of them, or a very long one.
pub fn name(u: &mut Unstructured<'_>) -> Result<String> {
    Ok(match u.int_in_range(0..=9)? {
        0..=4 => (*u.choose(NASTY_NAMES)?).to_owned(),
        5 | 6 => u.arbitrary::<String>()?,
        7 => format!("{}{}", u.choose(NASTY_NAMES)?, u.choose(NASTY_NAMES)?),
        8 => u.choose(NASTY_NAMES)?.repeat(usize::from(u.int_in_range(2u8..=60)?)),
        _ => "a".repeat(300),
    })
}

fn text(u: &mut Unstructured<'_>) -> Result<String> {
    Ok(match u.int_in_range(0..=3)? {
        0 => u.arbitrary::<String>()?,
        1 => format!("{} */ /* \" \\ #[ ``` \u{202E} {}\n\n    indented code\n```rust\nfn x() {{}}", name(u)?, name(u)?),
        _ => name(u)?,
    })
}

/// Any JSON value, bounded in depth.
pub fn value(u: &mut Unstructured<'_>, depth: u32) -> Result<Value> {
    let pick = if depth == 0 { u.int_in_range(0..=4)? } else { u.int_in_range(0..=6)? };
    Ok(match pick {
        0 => Value::Null,
        1 => Value::Bool(u.arbitrary()?),
        2 => match u.int_in_range(0..=3)? {
            0 => Value::from(u.arbitrary::<i64>()?),
            1 => Value::from(u.arbitrary::<u64>()?),
            2 => serde_json::Number::from_f64(u.arbitrary::<f64>()?).map_or(Value::Null, Value::Number),
            _ => Value::from(u.int_in_range(-3i64..=300)?),
        },
        3 | 4 => Value::String(name(u)?),
        5 => {
            let n = u.int_in_range(0..=3)?;
            Value::Array((0..n).map(|_| value(u, depth - 1)).collect::<Result<_>>()?)
        }
        _ => {
            let n = u.int_in_range(0..=3)?;
            let mut m = Map::new();
            for _ in 0..n {
                m.insert(name(u)?, value(u, depth - 1)?);
            }
            Value::Object(m)
        }
    })
}

fn obj(pairs: Vec<(&str, Value)>) -> Value {
    Value::Object(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
}

fn maybe<T>(u: &mut Unstructured<'_>, f: impl FnOnce(&mut Unstructured<'_>) -> Result<T>) -> Result<Option<T>> {
    if u.ratio(1, 3)? {
        Ok(Some(f(u)?))
    } else {
        Ok(None)
    }
}

/// Builds documents; knows the component names so references mostly hit something.
struct DocBuilder {
    schema_names: Vec<String>,
}

impl DocBuilder {
    fn reference(&self, u: &mut Unstructured<'_>) -> Result<String> {
        Ok(match u.int_in_range(0..=29)? {
            0 | 1 => format!("#/components/schemas/{}", name(u)?),
            2 => "missing-file.yaml#/components/schemas/X".to_owned(),
            3 => format!("#/components/schemas/{}/properties/{}", u.choose(&self.schema_names).map(String::as_str).unwrap_or("A"), name(u)?),
            4 => "#".to_owned(),
            5 => format!("#/paths/{}", name(u)?),
            _ => match u.choose(&self.schema_names) {
                Ok(n) => format!("#/components/schemas/{}", n.replace('~', "~0").replace('/', "~1")),
                Err(_) => "#/components/schemas/Nothing".to_owned(),
            },
        })
    }

    fn schema(&self, u: &mut Unstructured<'_>, depth: u32) -> Result<Value> {
        let max = if depth == 0 { 5 } else { 16 };
        let mut s = match u.int_in_range(0..=max)? {
            0 => obj(vec![("$ref", Value::String(self.reference(u)?))]),
            1 => obj(vec![("type", "string".into())]),
            2 => obj(vec![("type", "integer".into())]),
            3 => obj(vec![("type", "number".into())]),
            4 => obj(vec![("type", "boolean".into())]),
            5 => match u.int_in_range(0..=9)? {
                0 | 1 => Value::Bool(u.arbitrary()?),
                2 | 3 => obj(vec![]),
                4 => value(u, 2)?,
                _ => obj(vec![("type", Value::Array(vec!["string".into(), "null".into()]))]),
            },
            6 => {
                let n = u.int_in_range(0..=4)?;
                let values = (0..n).map(|_| Ok(Value::String(name(u)?))).collect::<Result<Vec<_>>>()?;
                obj(vec![("type", "string".into()), ("enum", Value::Array(values))])
            }
            7 | 8 => obj(vec![("type", "array".into()), ("items", self.schema(u, depth - 1)?)]),
            9..=11 => {
                let n = u.int_in_range(0..=5)?;
                let mut props = Map::new();
                let mut required = Vec::new();
                for _ in 0..n {
                    let p = name(u)?;
                    if u.arbitrary()? {
                        required.push(Value::String(p.clone()));
                    }
                    props.insert(p, self.schema(u, depth - 1)?);
                }
                let mut o = obj(vec![("type", "object".into()), ("properties", Value::Object(props))]);
                if !required.is_empty() {
                    o["required"] = Value::Array(required);
                }
                if let Some(ap) = maybe(u, |u| if u.arbitrary()? { Ok(Value::Bool(u.arbitrary()?)) } else { self.schema(u, depth - 1) })? {
                    o["additionalProperties"] = ap;
                }
                o
            }
            12..=14 => {
                let key = *u.choose(&["allOf", "oneOf", "anyOf"])?;
                let n = u.int_in_range(0..=4)?;
                let members = (0..n).map(|_| self.schema(u, depth - 1)).collect::<Result<Vec<_>>>()?;
                let mut o = obj(vec![(key, Value::Array(members))]);
                if u.ratio(1, 3)? {
                    let mut mapping = Map::new();
                    for _ in 0..u.int_in_range(0..=2)? {
                        mapping.insert(name(u)?, Value::String(self.reference(u)?));
                    }
                    o["discriminator"] = obj(vec![("propertyName", Value::String(name(u)?)), ("mapping", Value::Object(mapping))]);
                }
                o
            }
            15 => obj(vec![("not", self.schema(u, depth - 1)?)]),
            _ => obj(vec![("type", "object".into()), ("additionalProperties", self.schema(u, depth - 1)?)]),
        };
        if let Value::Object(m) = &mut s {
            // Keywords that decorate any schema.
            for _ in 0..u.int_in_range(0..=3)? {
                match u.int_in_range(0..=9)? {
                    0 => drop(m.insert("format".into(), Value::String((*u.choose(FORMATS)?).to_owned()))),
                    1 => drop(m.insert("nullable".into(), Value::Bool(u.arbitrary()?))),
                    2 => drop(m.insert("description".into(), Value::String(text(u)?))),
                    3 => drop(m.insert("title".into(), Value::String(text(u)?))),
                    4 => drop(m.insert("default".into(), value(u, 1)?)),
                    5 => drop(m.insert("const".into(), value(u, 1)?)),
                    6 => drop(m.insert("example".into(), value(u, 1)?)),
                    7 => drop(m.insert("readOnly".into(), Value::Bool(u.arbitrary()?))),
                    8 => drop(m.insert("deprecated".into(), Value::Bool(u.arbitrary()?))),
                    _ => drop(m.insert(name(u)?, value(u, 1)?)),
                }
            }
        }
        Ok(s)
    }

    fn parameter(&self, u: &mut Unstructured<'_>, forced: Option<(&str, &str)>) -> Result<Value> {
        if forced.is_none() && u.ratio(1, 8)? {
            return Ok(obj(vec![("$ref", Value::String(format!("#/components/parameters/{}", name(u)?)))]));
        }
        let (n, location) = match forced {
            Some((n, l)) => (n.to_owned(), l.to_owned()),
            None if u.ratio(1, 30)? => (name(u)?, (*u.choose(&["body", "", "QUERY"])?).to_owned()),
            None => (name(u)?, (*u.choose(&["query", "query", "header", "path", "cookie"])?).to_owned()),
        };
        let mut p = obj(vec![("name", Value::String(n)), ("in", Value::String(location.clone()))]);
        if location == "path" || u.arbitrary()? {
            p["required"] = Value::Bool(location == "path" || u.arbitrary()?);
        }
        if u.ratio(1, 6)? {
            let mut content = Map::new();
            content.insert((*u.choose(MEDIA_TYPES)?).to_owned(), obj(vec![("schema", self.schema(u, 2)?)]));
            p["content"] = Value::Object(content);
        } else {
            p["schema"] = self.schema(u, 2)?;
        }
        if u.ratio(1, 4)? {
            let styles: &[&str] = match location.as_str() {
                "query" => &["form", "deepObject", "spaceDelimited", "pipeDelimited"],
                "path" => &["simple", "matrix", "label"],
                "cookie" => &["form"],
                _ => &["simple"],
            };
            let style = if u.ratio(1, 30)? { "bogus" } else { *u.choose(styles)? };
            p["style"] = Value::String(style.to_owned());
            p["explode"] = Value::Bool(u.arbitrary()?);
        }
        if u.ratio(1, 4)? {
            p["description"] = Value::String(text(u)?);
        }
        Ok(p)
    }

    fn content(&self, u: &mut Unstructured<'_>) -> Result<Value> {
        let mut content = Map::new();
        for _ in 0..u.int_in_range(0..=2)? {
            let mut media = Map::new();
            if u.ratio(4, 5)? {
                media.insert("schema".into(), self.schema(u, 4)?);
            }
            content.insert((*u.choose(MEDIA_TYPES)?).to_owned(), Value::Object(media));
        }
        Ok(Value::Object(content))
    }

    fn operation(&self, u: &mut Unstructured<'_>, path_params: &[String]) -> Result<Value> {
        let mut op = Map::new();
        if u.ratio(5, 6)? {
            op.insert("operationId".into(), Value::String(name(u)?));
        }
        if u.arbitrary()? {
            let tags = (0..u.int_in_range(0..=2)?).map(|_| Ok(Value::String(name(u)?))).collect::<Result<Vec<_>>>()?;
            op.insert("tags".into(), Value::Array(tags));
        }
        if u.arbitrary()? {
            op.insert("summary".into(), Value::String(text(u)?));
        }
        if u.arbitrary()? {
            op.insert("description".into(), Value::String(text(u)?));
        }
        let mut params = Vec::new();
        for p in path_params {
            if u.ratio(7, 8)? {
                params.push(self.parameter(u, Some((p, "path")))?);
            }
        }
        for _ in 0..u.int_in_range(0..=3)? {
            params.push(self.parameter(u, None)?);
        }
        op.insert("parameters".into(), Value::Array(params));
        if u.ratio(1, 2)? {
            let mut body = obj(vec![("content", self.content(u)?)]);
            if u.arbitrary()? {
                body["required"] = Value::Bool(u.arbitrary()?);
            }
            op.insert("requestBody".into(), body);
        }
        let mut responses = Map::new();
        for _ in 0..u.int_in_range(0..=3)? {
            let mut r = obj(vec![("description", Value::String(text(u)?))]);
            if u.ratio(3, 4)? {
                r["content"] = self.content(u)?;
            }
            if u.ratio(1, 6)? {
                let mut headers = Map::new();
                headers.insert(name(u)?, obj(vec![("schema", self.schema(u, 1)?)]));
                r["headers"] = Value::Object(headers);
            }
            responses.insert((*u.choose(STATUS)?).to_owned(), r);
        }
        op.insert("responses".into(), Value::Object(responses));
        if u.ratio(1, 10)? {
            op.insert("deprecated".into(), Value::Bool(true));
        }
        Ok(Value::Object(op))
    }

    fn path(&self, u: &mut Unstructured<'_>) -> Result<(String, Vec<String>)> {
        let mut path = String::new();
        let mut params = Vec::new();
        for _ in 0..u.int_in_range(0..=4)? {
            path.push('/');
            if u.ratio(1, 3)? {
                let p = name(u)?;
                path.push('{');
                path.push_str(&p);
                path.push('}');
                params.push(p);
            } else {
                path.push_str(&name(u)?);
            }
        }
        if path.is_empty() || u.ratio(1, 20)? {
            path.insert(0, '/');
        }
        Ok((path, params))
    }
}

/// An OpenAPI-shaped document: mostly valid structure, hostile names and texts, every
/// schema construct the generator reads, and some garbage in places.
pub fn document(u: &mut Unstructured<'_>) -> Result<Value> {
    let schema_names = (0..u.int_in_range(0..=6)?).map(|_| name(u)).collect::<Result<Vec<_>>>()?;
    let b = DocBuilder { schema_names };
    let mut schemas = Map::new();
    for n in &b.schema_names {
        schemas.insert(n.clone(), b.schema(u, 4)?);
    }
    let mut paths = Map::new();
    for _ in 0..u.int_in_range(0..=4)? {
        let (path, params) = b.path(u)?;
        let mut item = Map::new();
        for _ in 0..u.int_in_range(1..=3)? {
            let method = *u.choose(&["get", "post", "put", "delete", "patch", "head", "options", "trace", "parameters", "summary"])?;
            let v = if method == "parameters" {
                Value::Array(vec![b.parameter(u, None)?])
            } else if method == "summary" {
                Value::String(text(u)?)
            } else {
                b.operation(u, &params)?
            };
            item.insert(method.to_owned(), v);
        }
        paths.insert(path, Value::Object(item));
    }
    let mut info = obj(vec![("title", Value::String(text(u)?)), ("version", Value::String(name(u)?))]);
    if u.arbitrary()? {
        info["description"] = Value::String(text(u)?);
    }
    let mut doc = obj(vec![
        ("openapi", Value::String((*if u.ratio(1, 20)? { u.choose(VERSIONS)? } else { u.choose(&["3.0.3", "3.1.0"])? }).to_owned())),
        ("info", info),
        ("paths", Value::Object(paths)),
        ("components", obj(vec![("schemas", Value::Object(schemas))])),
    ]);
    if u.ratio(1, 5)? {
        let mut params = Map::new();
        params.insert(name(u)?, b.parameter(u, None)?);
        doc["components"]["parameters"] = Value::Object(params);
    }
    if u.ratio(1, 8)? {
        doc["webhooks"] = obj(vec![(name(u)?.as_str(), obj(vec![("post", b.operation(u, &[])?)]))]);
    }
    // Now and then, garbage where structure belongs.
    if u.ratio(1, 30)? {
        let pointer = *u.choose(&["/info", "/paths", "/components", "/components/schemas", "/openapi", "/info/title"])?;
        if let Some(slot) = doc.pointer_mut(pointer) {
            *slot = value(u, 2)?;
        }
    }
    Ok(doc)
}

/// Text of a document: JSON or YAML, and the file name that tells the loader which.
pub fn render(u: &mut Unstructured<'_>, doc: &Value) -> Result<(&'static str, String)> {
    Ok(if u.arbitrary()? {
        ("fuzz.json", serde_json::to_string_pretty(doc).unwrap_or_default())
    } else {
        ("fuzz.yaml", serde_yaml::to_string(doc).unwrap_or_default())
    })
}

/// Raw bytes as a document: the first byte picks JSON or YAML, the rest is the text.
pub fn split_bytes(data: &[u8]) -> Option<(&'static str, &str)> {
    let (first, rest) = data.split_first()?;
    let name = if first & 1 == 0 { "fuzz.yaml" } else { "fuzz.json" };
    std::str::from_utf8(rest).ok().map(|text| (name, text))
}

/// Runs the generator on `text` and checks the property. Panics (for the fuzzer) when
/// it does not hold. Returns whether the generator accepted the input.
pub fn check(name: &str, text: &str) -> bool {
    let builder = genauth_codegen::Builder::new().spec_source(name, text);
    let generated = match builder.generate() {
        Ok(g) => g,
        Err(e) => {
            assert!(
                !matches!(e, genauth_codegen::Error::Panic { .. } | genauth_codegen::Error::Internal { .. }),
                "a bug, not an input error: {e}"
            );
            let message = e.to_string();
            assert!(!message.trim().is_empty(), "an error with an empty message: {e:?}");
            return false;
        }
    };
    assert!(!generated.files().is_empty(), "Ok with no files");
    for (path, source) in generated.files() {
        assert!(!source.trim().is_empty(), "{} is empty", path.display());
        if let Err(e) = parse_on_big_stack(source) {
            panic!("{} does not parse as Rust: {e}\n{source}", path.display());
        }
    }
    for w in generated.warnings() {
        assert!(w.code.starts_with('W') && !w.hint.is_empty() && w.pointer.starts_with('#'), "a warning without code, hint or pointer: {w:?}");
    }
    let again = match builder.generate() {
        Ok(g) => g,
        Err(e) => panic!("the second run of an input that generated fails: {e}"),
    };
    assert!(again.files() == generated.files(), "two runs gave different output");
    true
}

/// `syn` recurses as deep as the generated types nest: parse on a stack as big as the
/// generator's own, not the caller's (a test thread has 2 MiB). The generator itself runs
/// on the caller's thread, so a small stack there is part of what is tested.
fn parse_on_big_stack(source: &str) -> syn::Result<()> {
    std::thread::scope(|s| {
        let parse = std::thread::Builder::new().stack_size(64 << 20).spawn_scoped(s, || syn::parse_file(source).map(drop));
        match parse.map(|h| h.join()) {
            Ok(Ok(result)) => result,
            Ok(Err(panic)) => std::panic::resume_unwind(panic),
            Err(e) => panic!("cannot start a thread: {e}"),
        }
    })
}
