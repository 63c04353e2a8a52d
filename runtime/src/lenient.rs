//! Reading responses from servers that stray from their specs.
//!
//! A field the spec marks required arrives `null` or not at all; a number arrives as a
//! numeric string (`"1669881887852"`). By default ([`Decoding::Lenient`]) such a body still
//! decodes: generated response types carry `#[serde(default)]`, so a missing field takes its
//! default, and when decoding fails the body is repaired where the error points — a `null`
//! is dropped (so the field takes its default), a numeric string becomes the number — and
//! decoded again. A body that decodes the first time costs nothing extra.
//! [`Decoding::Strict`] takes the spec at its word. Request types are never decoded here.

use serde::de::{Deserialize, DeserializeOwned, Deserializer};
use serde_json::Value;

/// How response bodies that stray from the spec are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Decoding {
    /// Forgive a missing or `null` required field and numbers sent as strings (the default).
    #[default]
    Lenient,
    /// Fail on anything the spec does not allow.
    Strict,
}

/// At most this many repairs per body, so a hostile body cannot make decoding loop long.
const MAX_REPAIRS: usize = 256;

/// Decodes `value` as `R`, repairing what a lenient reader forgives; returns the first
/// error (with its path) when the body cannot be repaired.
pub(crate) fn decode_value<R: DeserializeOwned>(mut value: Value) -> Result<R, serde_path_to_error::Error<serde_json::Error>> {
    let mut first = None;
    for _ in 0..=MAX_REPAIRS {
        match serde_path_to_error::deserialize::<_, R>(&value) {
            Ok(r) => return Ok(r),
            Err(e) => {
                let repaired = repair(&mut value, e.path());
                if first.is_none() {
                    first = Some(e);
                }
                if !repaired {
                    break;
                }
            }
        }
    }
    match first {
        Some(e) => Err(e),
        // Unreachable in practice: the loop runs at least once.
        None => serde_path_to_error::deserialize::<_, R>(&value),
    }
}

/// Fixes the value at `path`: drops a `null` member of an object, or turns a numeric
/// string into the number. Returns whether anything changed.
fn repair(value: &mut Value, path: &serde_path_to_error::Path) -> bool {
    use serde_path_to_error::Segment;
    let segments: Vec<&Segment> = path.iter().collect();
    let Some((last, parents)) = segments.split_last() else { return false };
    let mut parent = value;
    for seg in parents {
        parent = match (seg, parent) {
            (Segment::Map { key }, Value::Object(m)) => match m.get_mut(key.as_str()) {
                Some(v) => v,
                None => return false,
            },
            (Segment::Seq { index }, Value::Array(a)) => match a.get_mut(*index) {
                Some(v) => v,
                None => return false,
            },
            _ => return false,
        };
    }
    let target = match (last, &mut *parent) {
        (Segment::Map { key }, Value::Object(m)) => {
            if m.get(key.as_str()).is_some_and(Value::is_null) {
                m.remove(key.as_str());
                return true;
            }
            m.get_mut(key.as_str())
        }
        (Segment::Seq { index }, Value::Array(a)) => a.get_mut(*index),
        _ => None,
    };
    let Some(target) = target else { return false };
    match number_in(target) {
        Some(n) => {
            *target = Value::Number(n);
            true
        }
        None => false,
    }
}

/// The number a string spells, if it spells one (`"42"`, `"-7"`, `"12.5"`, `"1e3"`).
fn number_in(v: &Value) -> Option<serde_json::Number> {
    let s = v.as_str()?.trim();
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

    #[test]
    fn nulls_and_numeric_strings_are_repaired() {
        let body = json!({"n": "1669881887852", "o": "1.5", "s": null, "list": [{"n": "3", "s": null}, {"n": 4}], "z": null});
        let r: R = super::decode_value(body).unwrap();
        assert_eq!(r.n, 1669881887852);
        assert_eq!(r.o, Some(1.5));
        assert_eq!(r.s, "");
        assert_eq!(r.list, vec![Inner { n: 3, s: String::new() }, Inner { n: 4, s: String::new() }]);
        assert_eq!(r.z, Some(None));
        let r: R = super::decode_value(json!({"n": "12.0", "z": 3})).unwrap();
        assert_eq!((r.n, r.z), (12, Some(Some(3))));
    }

    #[test]
    fn what_cannot_be_repaired_reports_the_first_error_and_its_path() {
        let e = super::decode_value::<R>(json!({"n": "seven"})).unwrap_err();
        assert_eq!(e.path().to_string(), "n");
        let e = super::decode_value::<R>(json!({"list": [{"n": true}]})).unwrap_err();
        assert_eq!(e.path().to_string(), "list[0].n");
        assert!(super::decode_value::<R>(json!({"n": "12.5"})).is_err());
    }
}
