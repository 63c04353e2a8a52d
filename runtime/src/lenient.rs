//! Reading responses from servers that stray from their specs.
//!
//! Servers send what their specs do not allow: a required field `null` or absent, a number
//! as a numeric string (`"1669881887852"`), a boolean as a string (`"false"`, `" false"`),
//! an array or object as JSON text inside a string (`"[\"a\",\"b\"]"`), a lone value where
//! an array is declared. By default ([`Decoding::Lenient`]) such a body still decodes: when
//! decoding fails, the body is repaired where the error points and decoded again, until it
//! fits or nothing more can be repaired. A body that decodes the first time costs nothing
//! extra; [`Decoding::Strict`] takes the spec at its word.
//!
//! The repairs, each only where the error points:
//! - a string becomes the number, boolean, array or object it spells when the type
//!   expected there is one (the expectation is read from serde's message, e.g.
//!   "expected a boolean");
//! - a value that is not an array where a sequence is expected becomes a one-element array;
//! - a missing required field is added: first as `null`, then, once the error names the
//!   type expected, as that type's zero value (`false`, `0`, `""`, `[]`, `{}`); for a type
//!   whose message names none (an untagged union) the zero values are tried in turn. So a
//!   response type does not need `Default` (nor `#[serde(default)]`) to be read leniently;
//! - a `null` where a value is required is dropped (so that a `#[serde(default)]` on the
//!   struct or field applies) and filled like a missing field when nothing takes its place;
//!   in an array it is replaced by the zero value.
//!
//! The work is bounded: each attempt decodes the whole body, and the number of attempts
//! shrinks with the body's size (see [`MAX_WORK`]), so a hostile body cannot make decoding
//! loop long. Request types are never decoded here.

use std::collections::{HashMap, HashSet};

use serde::de::{Deserialize, DeserializeOwned, Deserializer};
use serde_json::{Map, Value};

/// How response bodies that stray from the spec are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Decoding {
    /// Repair what servers commonly get wrong (see the module docs): missing or `null`
    /// required fields, numbers and booleans sent as strings, arrays and objects sent as
    /// JSON text, a lone value where an array is declared (the default).
    #[default]
    Lenient,
    /// Fail on anything the spec does not allow.
    Strict,
}

/// At most this many attempts per body, however small it is.
const MAX_ATTEMPTS: usize = 4096;
/// At least this many attempts per body, however large it is.
const MIN_ATTEMPTS: usize = 16;
/// The budget of JSON nodes all attempts together may visit: a body of `n` nodes gets
/// `MAX_WORK / n` attempts (within the bounds above), so the repair loop costs at most a
/// few times a plain decode of a large body.
const MAX_WORK: usize = 1 << 23;
/// No repair makes the body nest deeper than this (serde_json's own limit when parsing):
/// neither filling a type that requires itself (`struct A { a: Box<A> }`) nor JSON text
/// inside JSON text can grow a value that overflows the stack when decoded.
const MAX_DEPTH: usize = 128;

/// One step of a path into a JSON value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Step {
    Key(String),
    Index(usize),
}

/// What the repair loop remembers between attempts.
#[derive(Default)]
struct Memory {
    /// Fields the loop added (or a `null` it dropped and put back): only their values are
    /// replaced by guesses.
    filled: HashSet<Vec<Step>>,
    /// The zero value learnt for a place whose `null` was dropped.
    zeros: HashMap<Vec<Step>, Value>,
}

/// Decodes `value` as `R`, repairing what a lenient reader forgives; returns the first
/// error (with its path) when the body cannot be repaired.
pub(crate) fn decode_value<R: DeserializeOwned>(value: Value) -> Result<R, serde_path_to_error::Error<serde_json::Error>> {
    decode_counted(value).0
}

/// [`decode_value`], and how many decoding attempts it made.
fn decode_counted<R: DeserializeOwned>(mut value: Value) -> (Result<R, serde_path_to_error::Error<serde_json::Error>>, usize) {
    let attempts = (MAX_WORK / nodes(&value).max(1)).clamp(MIN_ATTEMPTS, MAX_ATTEMPTS);
    let mut memory = Memory::default();
    let mut first = None;
    let mut attempt = 0;
    loop {
        attempt += 1;
        let e = match serde_path_to_error::deserialize::<_, R>(&value) {
            Ok(r) => return (Ok(r), attempt),
            Err(e) => e,
        };
        let repaired = attempt < attempts && repair(&mut value, &steps(e.path()), &e.inner().to_string(), &mut memory);
        let first_error = first.unwrap_or(e);
        if !repaired {
            return (Err(first_error), attempt);
        }
        first = Some(first_error);
    }
}

/// The number of JSON values in `v` (itself included), counted without recursion.
fn nodes(v: &Value) -> usize {
    let mut count = 0;
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        count += 1;
        match v {
            Value::Array(a) => stack.extend(a.iter()),
            Value::Object(m) => stack.extend(m.values()),
            _ => {}
        }
    }
    count
}

/// How deeply `v` nests (a scalar: 1), counted without recursion.
fn depth(v: &Value) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(v, 1)];
    while let Some((v, d)) = stack.pop() {
        deepest = deepest.max(d);
        match v {
            Value::Array(a) => stack.extend(a.iter().map(|x| (x, d + 1))),
            Value::Object(m) => stack.extend(m.values().map(|x| (x, d + 1))),
            _ => {}
        }
    }
    deepest
}

fn steps(path: &serde_path_to_error::Path) -> Vec<Step> {
    use serde_path_to_error::Segment;
    path.iter()
        .filter_map(|s| match s {
            Segment::Map { key } => Some(Step::Key(key.clone())),
            Segment::Seq { index } => Some(Step::Index(*index)),
            // Enum variants and unknown segments name no place in the JSON.
            _ => None,
        })
        .collect()
}

fn get_mut<'a>(mut v: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    for step in path {
        v = match (step, v) {
            (Step::Key(k), Value::Object(m)) => m.get_mut(k.as_str())?,
            (Step::Index(i), Value::Array(a)) => a.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(v)
}

/// The kind of value serde's message says was expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expected {
    Bool,
    Number,
    String,
    Sequence,
    Object,
    /// Nothing the repairs know (an untagged union, a custom message).
    Other,
}

impl Expected {
    /// Reads "…, expected a boolean" and the like.
    fn from_message(message: &str) -> Expected {
        let Some((_, expected)) = message.rsplit_once(", expected ") else { return Expected::Other };
        const NUMBERS: &[&str] = &[
            "i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128", "usize", "f32", "f64", "a number",
        ];
        match expected {
            "a boolean" => Expected::Bool,
            "a string" | "a borrowed string" => Expected::String,
            "a sequence" => Expected::Sequence,
            "a map" => Expected::Object,
            e if e.starts_with("struct ") => Expected::Object,
            e if NUMBERS.contains(&e) => Expected::Number,
            _ => Expected::Other,
        }
    }

    /// The value a missing field of this kind takes.
    fn zero(self) -> Option<Value> {
        Some(match self {
            Expected::Bool => Value::Bool(false),
            Expected::Number => Value::from(0),
            Expected::String => Value::String(String::new()),
            Expected::Sequence => Value::Array(Vec::new()),
            Expected::Object => Value::Object(Map::new()),
            Expected::Other => return None,
        })
    }
}

/// The guesses tried in turn for a filled field whose type the messages do not name.
fn next_guess(current: &Value) -> Option<Value> {
    let guesses = [
        Value::Null,
        Value::Object(Map::new()),
        Value::Array(Vec::new()),
        Value::String(String::new()),
        Value::from(0),
        Value::Bool(false),
    ];
    let at = guesses.iter().position(|g| g == current)?;
    guesses.get(at + 1).cloned()
}

/// Repairs `value` at `path`, where decoding failed with `message`. Returns whether
/// anything changed.
fn repair(value: &mut Value, path: &[Step], message: &str, memory: &mut Memory) -> bool {
    if let Some(field) = missing_field(message) {
        return fill_missing(value, path, field, memory);
    }
    let expected = Expected::from_message(message);
    let filled = memory.filled.contains(path);
    let Some(target) = get_mut(value, path) else { return false };
    match target {
        Value::Null => {
            if filled {
                // A field the loop added: its type is now known, or guess the next value.
                return match expected.zero().or_else(|| next_guess(target)) {
                    Some(zero) => {
                        *target = zero;
                        true
                    }
                    None => false,
                };
            }
            drop_null(value, path, expected, memory)
        }
        Value::String(s) => {
            let text = s.trim();
            let replacement = match expected {
                Expected::Bool => match text {
                    "true" => Some(Value::Bool(true)),
                    "false" => Some(Value::Bool(false)),
                    _ => None,
                },
                Expected::Sequence => json_text(text, '['),
                Expected::Object => json_text(text, '{'),
                Expected::Number | Expected::Other => number_in(text).map(Value::Number),
                Expected::String => None,
            };
            match replacement {
                Some(r) if path.len() + depth(&r) <= MAX_DEPTH => *target = r,
                Some(_) => return false,
                // A lone string where an array is declared.
                None if expected == Expected::Sequence && path.len() < MAX_DEPTH => *target = Value::Array(vec![target.take()]),
                None => return filled && guess(target),
            }
            true
        }
        Value::Array(_) => filled && guess(target),
        other => {
            if expected == Expected::Sequence {
                if path.len() + 1 + depth(other) > MAX_DEPTH {
                    return false;
                }
                *other = Value::Array(vec![other.take()]);
                return true;
            }
            filled && guess(other)
        }
    }
}

/// Replaces a filled field's value with the next guess.
fn guess(target: &mut Value) -> bool {
    match next_guess(target) {
        Some(g) => {
            *target = g;
            true
        }
        None => false,
    }
}

/// The field a serde "missing field `x`" message names.
fn missing_field(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("missing field `")?;
    rest.rsplit_once('`').map(|(field, _)| field)
}

/// Adds the missing `field` to the object at `path`: with the zero learnt when its `null`
/// was dropped, else `null` (the next error names its type).
fn fill_missing(value: &mut Value, path: &[Step], field: &str, memory: &mut Memory) -> bool {
    if path.len() >= MAX_DEPTH {
        return false;
    }
    let Some(Value::Object(object)) = get_mut(value, path) else { return false };
    if object.contains_key(field) {
        // Added already, yet still missing: the error's path does not lead to the struct
        // (inside an untagged union, say). Nothing more to do here.
        return false;
    }
    let mut at = path.to_vec();
    at.push(Step::Key(field.to_owned()));
    let fill = memory.zeros.get(&at).cloned().unwrap_or(Value::Null);
    object.insert(field.to_owned(), fill);
    memory.filled.insert(at);
    true
}

/// A `null` where a value is required: dropped from an object (a default may apply; the
/// zero is kept for when none does), replaced by the zero in an array.
fn drop_null(value: &mut Value, path: &[Step], expected: Expected, memory: &mut Memory) -> bool {
    let Some((last, parent_path)) = path.split_last() else { return false };
    let zero = expected.zero();
    match (last, get_mut(value, parent_path)) {
        (Step::Key(k), Some(Value::Object(m))) => {
            m.remove(k.as_str());
            if let Some(zero) = zero {
                memory.zeros.insert(path.to_vec(), zero);
            }
            true
        }
        (Step::Index(i), Some(Value::Array(a))) => match (a.get_mut(*i), zero) {
            (Some(slot), Some(zero)) => {
                *slot = zero;
                true
            }
            _ => false,
        },
        _ => false,
    }
}

/// The array or object `text` holds as JSON, when it starts with `open`.
fn json_text(text: &str, open: char) -> Option<Value> {
    if !text.starts_with(open) {
        return None;
    }
    // serde_json limits nesting, so hostile text cannot exhaust the stack.
    let v: Value = serde_json::from_str(text).ok()?;
    (v.is_array() || v.is_object()).then_some(v)
}

/// The number a string spells, if it spells one (`"42"`, `"-7"`, `"12.5"`, `"1e3"`).
fn number_in(s: &str) -> Option<serde_json::Number> {
    if let Ok(i) = s.parse::<i64>() {
        return Some(i.into());
    }
    if let Ok(u) = s.parse::<u64>() {
        return Some(u.into());
    }
    let f = s.parse::<f64>().ok().filter(|f| f.is_finite())?;
    if f.fract() == 0.0 && f.abs() <= 9_007_199_254_740_992.0 {
        return Some((f as i64).into());
    }
    serde_json::Number::from_f64(f)
}
/// For `Option<Option<T>>` fields (optional and nullable): absent stays `None` (through
/// `#[serde(default)]`), `null` becomes `Some(None)`, a value `Some(Some(v))`.
pub fn nullable<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_json::json;

    use crate::{Decoding, Response};

    #[derive(Deserialize, Debug, PartialEq, Default)]
    #[serde(default)]
    struct Inner {
        n: i64,
        s: String,
    }

    #[derive(Deserialize, Debug, PartialEq, Default)]
    #[serde(default)]
    struct R {
        n: i64,
        o: Option<f64>,
        s: String,
        list: Vec<Inner>,
        #[serde(deserialize_with = "super::nullable")]
        z: Option<Option<u32>>,
    }

    /// Shapes GenAuth's examples show: booleans, arrays and objects inside strings.
    #[derive(Deserialize, Debug, PartialEq, Default)]
    #[serde(default, rename_all = "camelCase")]
    struct Flags {
        is_valid: bool,
        status: Option<bool>,
        post_ids: Vec<String>,
        inner: Option<Inner>,
        list: Vec<Inner>,
    }

    /// An untagged union: no `Default`.
    #[derive(Deserialize, Debug, PartialEq)]
    #[serde(untagged)]
    enum NameOrId {
        Id(i64),
        Name(String),
    }

    /// A struct that is not `Default` and has no `#[serde(default)]`, as the generator
    /// emits for types holding a union: every missing field is filled by the repairs.
    #[derive(Deserialize, Debug, PartialEq)]
    struct Strict {
        id: String,
        count: u32,
        ratio: f64,
        on: bool,
        tags: Vec<String>,
        inner: Inner,
        who: NameOrId,
        maybe: Option<NameOrId>,
    }

    fn lenient<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> T {
        match super::decode_value(v.clone()) {
            Ok(t) => t,
            Err(e) => panic!("{v} did not decode: {e} at {}", e.path()),
        }
    }

    /// Decoding through the client path with `decoding`, as `Client::send` does.
    fn via_client<T: serde::de::DeserializeOwned>(v: &serde_json::Value, decoding: Decoding) -> Result<T, crate::Error> {
        crate::decode(&Response::json(v), decoding)
    }

    #[test]
    fn nulls_and_numeric_strings_are_repaired() {
        let body = json!({"n": "1669881887852", "o": "1.5", "s": null, "list": [{"n": "3", "s": null}, {"n": 4}], "z": null});
        let r: R = lenient(body);
        assert_eq!(r.n, 1669881887852);
        assert_eq!(r.o, Some(1.5));
        assert_eq!(r.s, "");
        assert_eq!(r.list, vec![Inner { n: 3, s: String::new() }, Inner { n: 4, s: String::new() }]);
        assert_eq!(r.z, Some(None));
        let r: R = lenient(json!({"n": "12.0", "z": 3}));
        assert_eq!((r.n, r.z), (12, Some(Some(3))));
    }

    #[test]
    fn what_cannot_be_repaired_reports_the_first_error_and_its_path() {
        let e = super::decode_value::<R>(json!({"n": "seven"})).unwrap_err();
        assert_eq!(e.path().to_string(), "n");
        let e = super::decode_value::<R>(json!({"list": [{"n": true}]})).unwrap_err();
        assert_eq!(e.path().to_string(), "list[0].n");
        assert!(super::decode_value::<R>(json!({"n": "12.5"})).is_err());
        let e = super::decode_value::<Flags>(json!({"isValid": "maybe"})).unwrap_err();
        assert_eq!(e.path().to_string(), "isValid");
    }

    #[test]
    fn booleans_sent_as_strings_are_read() {
        let f: Flags = lenient(json!({"isValid": " false", "status": "true"}));
        assert_eq!((f.is_valid, f.status), (false, Some(true)));
        let f: Flags = lenient(json!({"isValid": "true", "status": "false"}));
        assert_eq!((f.is_valid, f.status), (true, Some(false)));
        // A string field keeps its text.
        let i: Inner = lenient(json!({"s": "false"}));
        assert_eq!(i.s, "false");
    }

    #[test]
    fn arrays_and_objects_sent_as_json_text_are_read() {
        let f: Flags = lenient(json!({"postIds": "[\"a\",\"b\"]", "inner": "{\"n\": \"7\", \"s\": \"x\"}", "list": " [{\"n\": 1}] "}));
        assert_eq!(f.post_ids, ["a", "b"]);
        assert_eq!(f.inner, Some(Inner { n: 7, s: "x".into() }));
        assert_eq!(f.list, vec![Inner { n: 1, s: String::new() }]);
    }

    #[test]
    fn a_lone_value_where_an_array_is_declared_becomes_one_element() {
        let f: Flags = lenient(json!({"list": {"n": 2, "s": "one"}, "postIds": "60b49eb83fd80adb96f26e68"}));
        assert_eq!(f.list, vec![Inner { n: 2, s: "one".into() }]);
        assert_eq!(f.post_ids, ["60b49eb83fd80adb96f26e68"]);
        let v: Vec<i64> = lenient(json!(5));
        assert_eq!(v, [5]);
    }

    #[test]
    fn strict_decoding_rejects_every_repair() {
        let bodies = [
            json!({"isValid": "false"}),
            json!({"postIds": "[\"a\",\"b\"]"}),
            json!({"inner": "{\"n\": 7}"}),
            json!({"list": {"n": 2}}),
            json!({"list": [{"n": "3"}]}),
        ];
        for body in &bodies {
            assert!(via_client::<Flags>(body, Decoding::Lenient).is_ok(), "lenient reads {body}");
            match via_client::<Flags>(body, Decoding::Strict) {
                Err(crate::Error::Decode { .. }) => {}
                other => panic!("strict decoding of {body} gave {other:?}"),
            }
        }
        let missing = json!({"id": "x"});
        assert!(via_client::<Strict>(&missing, Decoding::Lenient).is_ok());
        assert!(matches!(via_client::<Strict>(&missing, Decoding::Strict), Err(crate::Error::Decode { .. })));
    }

    #[test]
    fn missing_and_null_fields_of_types_without_default_are_filled() {
        let s: Strict = lenient(json!({}));
        assert_eq!(
            s,
            Strict {
                id: String::new(),
                count: 0,
                ratio: 0.0,
                on: false,
                tags: vec![],
                inner: Inner::default(),
                // Guessed: `{}` and `[]` fit no variant, `""` does.
                who: NameOrId::Name(String::new()),
                maybe: None,
            }
        );
        let s: Strict = lenient(json!({"id": null, "count": "4", "on": null, "who": null, "inner": null, "tags": null}));
        assert_eq!((s.id.as_str(), s.count, s.on, &s.who, s.tags.len()), ("", 4, false, &NameOrId::Name(String::new()), 0));
        // Present values are kept; only what is missing is filled.
        let s: Strict = lenient(json!({"who": "alice", "maybe": 3, "ratio": "0.5"}));
        assert_eq!((s.who, s.maybe, s.ratio), (NameOrId::Name("alice".into()), Some(NameOrId::Id(3)), 0.5));
        // Inside arrays and nested structs too.
        let v: Vec<Strict> = lenient(json!([{"id": "a"}, {"id": "b", "count": 2}]));
        assert_eq!((v[0].id.as_str(), v[1].count), ("a", 2));
    }

    #[test]
    fn the_work_is_bounded() {
        // Every element needs a repair: a small body gets them all, a large one fails fast.
        let few: Vec<serde_json::Value> = (0..500).map(|i| json!(i.to_string())).collect();
        let (r, attempts) = super::decode_counted::<Vec<i64>>(json!(few));
        assert_eq!(r.map(|v| v.len()).ok(), Some(500));
        assert_eq!(attempts, 501);
        let many: Vec<serde_json::Value> = (0..200_000).map(|i| json!(i.to_string())).collect();
        let (r, attempts) = super::decode_counted::<Vec<i64>>(json!(many));
        assert!(r.is_err());
        assert_eq!(attempts, super::MIN_ATTEMPTS.max(super::MAX_WORK / 200_001));
        // Nesting deeper than serde_json's limit inside a string: not parsed, no stack
        // overflow.
        let deep = format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000));
        let (r, attempts) = super::decode_counted::<Nested>(json!(deep));
        assert!(r.is_err());
        assert!(attempts <= 3, "{attempts} attempts");
        // JSON text inside JSON text inside …: one level per attempt, and it decodes.
        let mut text = json!({"n": 1});
        for _ in 0..8 {
            text = json!({"children": json!([text]).to_string()});
        }
        let (r, attempts) = super::decode_counted::<Node>(text);
        let mut depth = 0;
        let mut node = r.as_ref().ok();
        while let Some(n) = node {
            depth += 1;
            node = n.children.first();
        }
        assert_eq!(depth, 9, "{r:?}");
        assert_eq!(attempts, 9);
        // JSON text inside JSON text, each level as deep as the parser allows: the repairs
        // stop at the depth limit instead of building a value too deep to decode.
        let mut text = json!({"n": 1});
        for _ in 0..4 {
            let mut level = text;
            for _ in 0..60 {
                level = json!({"children": [level]});
            }
            text = json!({"children": json!([level]).to_string()});
        }
        let (r, attempts) = super::decode_counted::<Node>(text);
        assert!(r.is_err());
        assert!(attempts <= 4, "{attempts} attempts");
        // A field that fits no guess: the guesses run out.
        #[derive(Deserialize, Debug)]
        #[allow(dead_code)]
        struct Never {
            x: NeverUnion,
        }
        #[derive(Deserialize, Debug)]
        #[allow(dead_code)]
        enum NeverUnion {
            A(u8, u8),
        }
        let (r, attempts) = super::decode_counted::<Never>(json!({}));
        assert!(r.is_err());
        assert!(attempts <= 8, "{attempts} attempts");
        // A type that requires itself: filled down to the depth limit, then given up.
        #[derive(Deserialize, Debug)]
        #[allow(dead_code)]
        struct Chain {
            next: Box<Chain>,
        }
        let (r, attempts) = super::decode_counted::<Chain>(json!({}));
        assert!(r.is_err());
        assert!(attempts <= 2 * super::MAX_DEPTH + 2, "{attempts} attempts");
    }

    /// A tree.
    #[derive(Deserialize, Debug, Default)]
    #[serde(default)]
    struct Node {
        #[allow(dead_code)]
        n: i64,
        children: Vec<Node>,
    }

    /// An arbitrarily deep array of arrays.
    #[derive(Deserialize, Debug)]
    #[serde(untagged)]
    #[allow(dead_code)]
    enum Nested {
        Leaf(i64),
        List(Vec<Nested>),
    }
}
