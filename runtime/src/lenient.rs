//! Deserializers for fields of response types, used by generated code.
//!
//! Real servers stray from their specs: a field the spec marks required is missing or
//! `null`, a number arrives as a numeric string (`"1669881887852"`). Generated response
//! types decode such bodies anyway (unless generated in strict mode): the field takes its
//! default, the string is read as the number. Request types never use these.

use std::fmt::Display;
use std::str::FromStr;

use serde::de::{Deserialize, DeserializeOwned, Deserializer};
use serde_json::Value;

/// `null` reads as the type's default.
pub fn or_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

fn number_from<T, E>(v: Value) -> Result<Option<T>, E>
where
    T: DeserializeOwned + FromStr,
    T::Err: Display,
    E: serde::de::Error,
{
    match v {
        Value::Null => Ok(None),
        Value::String(s) => {
            let t = s.trim();
            t.parse::<T>().map(Some).or_else(|e| {
                // "12.0" for an integer field: accept when it is integral.
                match t.parse::<f64>() {
                    Ok(f) if f.fract() == 0.0 => serde_json::from_value(Value::from(f as i64)).map(Some).map_err(E::custom),
                    _ => Err(E::custom(format!("expected a number, found the string {s:?}: {e}"))),
                }
            })
        }
        other => serde_json::from_value(other).map(Some).map_err(E::custom),
    }
}

/// A number, also accepted as a numeric string; `null` reads as the default (zero).
pub fn number<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned + FromStr + Default,
    T::Err: Display,
{
    Ok(number_from::<T, D::Error>(Value::deserialize(d)?)?.unwrap_or_default())
}

/// An optional number, also accepted as a numeric string.
pub fn opt_number<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned + FromStr,
    T::Err: Display,
{
    number_from::<T, D::Error>(Value::deserialize(d)?)
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

    #[derive(Deserialize, Debug, PartialEq)]
    struct R {
        #[serde(default, deserialize_with = "super::number")]
        n: i64,
        #[serde(default, deserialize_with = "super::opt_number")]
        o: Option<f64>,
        #[serde(default, deserialize_with = "super::or_default")]
        s: String,
        #[serde(default, deserialize_with = "super::nullable")]
        z: Option<Option<u32>>,
    }

    #[test]
    fn forgiving_reads() {
        let r: R = serde_json::from_str(r#"{"n": "1669881887852", "o": "1.5", "s": null, "z": null}"#).unwrap();
        assert_eq!(r, R { n: 1669881887852, o: Some(1.5), s: String::new(), z: Some(None) });
        let r: R = serde_json::from_str(r#"{}"#).unwrap();
        assert_eq!(r, R { n: 0, o: None, s: String::new(), z: None });
        let r: R = serde_json::from_str(r#"{"n": 7, "z": 3}"#).unwrap();
        assert_eq!((r.n, r.z), (7, Some(Some(3))));
        assert!(serde_json::from_str::<R>(r#"{"n": "seven"}"#).is_err());
        assert!(serde_json::from_str::<R>(r#"{"n": "12.5"}"#).is_err());
        let r: R = serde_json::from_str(r#"{"n": "12.0"}"#).unwrap();
        assert_eq!(r.n, 12);
    }
}
