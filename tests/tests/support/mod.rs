//! What several test files share: the tables generated from our description's IR by
//! `tests/build.rs` (schema → generated type, method → call), and their helpers.
#![allow(dead_code)]

use genauth_sdk::*;
use serde::{de::DeserializeOwned, Serialize};
use serde_json::Value;

fn round_trip<T: DeserializeOwned + Serialize>(v: &Value, decoding: rt::Decoding) -> Result<Value, String> {
    let typed: T = rt::decode(&rt::Response::json(v), decoding).map_err(|e| e.to_string())?;
    serde_json::to_value(&typed).map_err(|e| e.to_string())
}

/// [`round_trip_named_as`] with strict decoding: the value must fit the schema as it is.
pub fn round_trip_named(name: &str, value: &Value) -> Option<Result<Value, String>> {
    round_trip_named_as(name, value, rt::Decoding::Strict)
}

/// JSON equality where numbers compare by value: `200` read into an `f64` field comes back
/// as `200.0`, which is the same JSON number.
pub fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_json(x, y)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
}

/// A required input, by wire name.
fn arg<T: DeserializeOwned>(inputs: &Value, wire: &str) -> Result<T, String> {
    let v = inputs.get(wire).cloned().ok_or_else(|| format!("no value for the required input `{wire}`"))?;
    serde_json::from_value(v).map_err(|e| format!("input `{wire}`: {e}"))
}

/// An optional input, by wire name (absent: `None`).
fn opt<T: DeserializeOwned>(inputs: &Value, wire: &str) -> Result<Option<T>, String> {
    match inputs.get(wire) {
        None => Ok(None),
        Some(v) => serde_json::from_value(v.clone()).map(Some).map_err(|e| format!("input `{wire}`: {e}")),
    }
}

/// The whole input as a JSON body.
fn whole<T: DeserializeOwned>(inputs: &Value) -> Result<T, String> {
    serde_json::from_value(inputs.clone()).map_err(|e| format!("body: {e}"))
}

include!(concat!(env!("OUT_DIR"), "/sdk_table.rs"));
