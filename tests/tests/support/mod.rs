//! What several test files share: the tables generated from our description's IR by
//! `tests/build.rs` (schema → generated type, method → call), and their helpers.
#![allow(dead_code)]

use genauth_sdk::*;
use serde::{de::DeserializeOwned, Serialize};
use serde_json::Value;

fn round_trip<T: DeserializeOwned + Serialize>(v: &Value) -> Result<Value, String> {
    let typed: T = serde_json::from_value(v.clone()).map_err(|e| e.to_string())?;
    serde_json::to_value(&typed).map_err(|e| e.to_string())
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
