//! Text to a JSON value: UTF-8 checked, YAML or JSON by extension (or a leading `{`),
//! errors at `line:column`; duplicate keys are errors and integers beyond 64 bits load.

use std::path::Path;

use serde_json::Value;

use crate::error::{Error, Location};

/// The bytes of a document as text, or a syntax error at the first byte that is not UTF-8.
pub fn utf8_text(path: &Path, bytes: Vec<u8>) -> Result<String, Error> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let before = bytes.get(..valid).unwrap_or_default();
        let line = before.iter().filter(|b| **b == b'\n').count() + 1;
        let line_start = before.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
        let column = before.get(line_start..).map_or(0, |l| String::from_utf8_lossy(l).chars().count()) + 1;
        let byte = bytes.get(valid).copied().unwrap_or_default();
        Error::Syntax {
            file: path.to_owned(),
            location: Location::LineColumn { line, column },
            message: format!("byte 0x{byte:02X} is not UTF-8 text; expected a UTF-8 encoded document"),
        }
    })
}

fn looks_like_json(file: &Path, text: &str) -> bool {
    match file.extension().and_then(|e| e.to_str()) {
        Some(ext) if ext.eq_ignore_ascii_case("json") => true,
        Some(ext) if ext.eq_ignore_ascii_case("yaml") || ext.eq_ignore_ascii_case("yml") => false,
        _ => text.trim_start().starts_with('{'),
    }
}

/// Parses text into a JSON value, with `line:column` on failure.
pub fn parse_text(file: &Path, text: &str) -> Result<Value, Error> {
    use serde::de::DeserializeSeed;
    if looks_like_json(file, text) {
        let mut de = serde_json::Deserializer::from_str(text);
        JsonSeed.deserialize(&mut de).and_then(|v| de.end().map(|()| v)).map_err(|e| Error::Syntax {
            file: file.to_owned(),
            location: Location::LineColumn {
                line: e.line(),
                column: e.column(),
            },
            message: strip_position(&e.to_string()),
        })
    } else {
        JsonSeed.deserialize(serde_yaml::Deserializer::from_str(text)).map_err(|e| Error::Syntax {
            file: file.to_owned(),
            location: match e.location() {
                Some(loc) => Location::LineColumn {
                    line: loc.line(),
                    column: loc.column(),
                },
                None => Location::Document,
            },
            message: strip_position(&e.to_string()),
        })
    }
}

/// Parser messages end with " at line X column Y"; the location is reported separately.
/// serde_yaml may add ", while parsing a flow mapping at line A column B": where the
/// enclosing construct starts, which is kept as `A:B`. The parsers stop at 128 levels of
/// nesting (instead of overflowing the stack); their message for that is explained.
fn strip_position(message: &str) -> String {
    let (main, context) = match message.split_once(", while parsing ") {
        Some((main, context)) => (main, Some(context)),
        None => (message, None),
    };
    let main = main.rsplit_once(" at line ").map_or(main, |(before, _)| before);
    if let Some(context) = context {
        return match context.rsplit_once(" at line ").and_then(|(what, at)| Some((what, line_column(at)?))) {
            Some((what, (line, column))) => format!("{main} while parsing {what} that starts at {line}:{column}"),
            None => format!("{main} while parsing {context}"),
        };
    }
    if main.starts_with("recursion limit exceeded") {
        return format!("{main}: the document nests more than {PARSER_DEPTH_LIMIT} levels of mappings and lists here; expected a shallower document");
    }
    main.to_owned()
}

/// `"6 column 10"` → `(6, 10)`.
fn line_column(at: &str) -> Option<(usize, usize)> {
    let (line, column) = at.split_once(" column ")?;
    Some((line.trim().parse().ok()?, column.trim().parse().ok()?))
}

/// How deep serde_json and serde_yaml let a document nest.
const PARSER_DEPTH_LIMIT: usize = 128;

/// Builds a `serde_json::Value` from any self-describing input, accepting what YAML has
/// and JSON values do not: integers beyond 64 bits (kept as the nearest `f64`, which is
/// all a constraint such as `maximum` needs), non-string mapping keys (written as text),
/// and non-finite floats (`.nan`, `.inf`, kept as `null`). A key that appears twice in
/// one mapping is an error. JSON documents are read through it too.
struct JsonSeed;

impl<'de> serde::de::DeserializeSeed<'de> for JsonSeed {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

fn float(f: f64) -> Value {
    serde_json::Number::from_f64(f).map(Value::Number).unwrap_or(Value::Null)
}

impl<'de> serde::de::Visitor<'de> for JsonVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(i64::try_from(v).map(Value::from).unwrap_or_else(|_| float(v as f64)))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(u64::try_from(v).map(Value::from).unwrap_or_else(|_| float(v as f64)))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(JsonVisitor)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(v) = seq.next_element_seed(JsonSeed)? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = serde_json::Map::new();
        while let Some(key) = map.next_key_seed(JsonSeed)? {
            let key = match key {
                Value::String(s) => s,
                Value::Null => "null".to_owned(),
                other => other.to_string(),
            };
            let value = map.next_value_seed(JsonSeed)?;
            // A key twice in one mapping is an error: keeping the last one would drop,
            // say, a whole path's operations without a word.
            match out.entry(key) {
                serde_json::map::Entry::Vacant(slot) => {
                    slot.insert(value);
                }
                serde_json::map::Entry::Occupied(slot) => {
                    return Err(serde::de::Error::custom(format!("duplicate key `{}` in one mapping; expected each key once", slot.key())));
                }
            }
        }
        Ok(Value::Object(out))
    }
}
