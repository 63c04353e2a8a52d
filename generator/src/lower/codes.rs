//! The root extension `x-genauth-api-codes`: the business codes an API documents.
//!
//! ```yaml
//! x-genauth-api-codes:
//!   description: What the codes are.            # optional
//!   statusCodes:                                # optional; the envelope's `statusCode`
//!     - {code: 429, name: RateLimited, retry: backoff, description: Too many calls.}
//!   apiCodes:                                   # optional; the envelope's `apiCode`
//!     - {code: 1306, name: SignatureReplayed, retry: resign, description: ...}
//! ```
//!
//! `code` (an integer) and `name` are required; `retry` is `never`, `backoff`, `resign`
//! or `unknown` (the default); `description` is optional. A code listed twice in one
//! list, or a value of the wrong type, is an error at its JSON pointer. A document without
//! the extension gets no code types.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use crate::error::{pointer_push, Error};
use crate::ir::{ApiCodes, CodeDef, CodeRetry};
use crate::naming::{self, Namespace};

/// The extension's name.
pub(super) const EXTENSION: &str = "x-genauth-api-codes";

/// Reads the extension, when the document has it.
pub(super) fn lower_api_codes(file: &Path, value: Option<&Value>) -> Result<Option<ApiCodes>, Error> {
    let Some(value) = value else { return Ok(None) };
    let pointer = pointer_push("#", EXTENSION);
    let Value::Object(table) = value else {
        return Err(Error::invalid(file, &pointer, "expected an object with `statusCodes` and `apiCodes` lists"));
    };
    let doc = match table.get("description") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err(Error::invalid(file, &pointer_push(&pointer, "description"), "expected a string")),
    };
    // Constants and variants each live in their own namespace; `Unknown` is the variant
    // for codes the table does not list.
    let status_codes = codes(file, table.get("statusCodes"), &pointer_push(&pointer, "statusCodes"), Namespace::new(), naming::const_name)?;
    let api_codes = codes(
        file,
        table.get("apiCodes"),
        &pointer_push(&pointer, "apiCodes"),
        Namespace::with_reserved(&["Unknown"]),
        naming::variant_name,
    )?;
    Ok(Some(ApiCodes {
        doc,
        status_codes,
        api_codes,
    }))
}

fn codes(
    file: &Path,
    list: Option<&Value>,
    pointer: &str,
    mut names: Namespace,
    ident: fn(&str) -> String,
) -> Result<Vec<CodeDef>, Error> {
    let items = match list {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(_) => return Err(Error::invalid(file, pointer, "expected a list of codes")),
    };
    let mut seen = BTreeSet::new();
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let at = pointer_push(pointer, &i.to_string());
        let Value::Object(entry) = item else {
            return Err(Error::invalid(file, &at, "expected an object with `code`, `name` and `retry`"));
        };
        let code = match entry.get("code") {
            Some(Value::Number(n)) if n.as_i64().is_some() => n.as_i64().unwrap_or_default(),
            Some(_) => return Err(Error::invalid(file, &pointer_push(&at, "code"), "expected an integer")),
            None => return Err(Error::invalid(file, &at, "missing `code`")),
        };
        if !seen.insert(code) {
            return Err(Error::invalid(file, &pointer_push(&at, "code"), format!("code {code} is listed twice")));
        }
        let name = match entry.get("name") {
            Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_owned(),
            Some(_) => return Err(Error::invalid(file, &pointer_push(&at, "name"), "expected a non-empty string")),
            None => return Err(Error::invalid(file, &at, "missing `name`")),
        };
        let retry = match entry.get("retry") {
            None | Some(Value::Null) => CodeRetry::Unknown,
            Some(Value::String(s)) => match s.as_str() {
                "never" => CodeRetry::Never,
                "backoff" => CodeRetry::Backoff,
                "resign" => CodeRetry::Resign,
                "unknown" => CodeRetry::Unknown,
                other => {
                    return Err(Error::invalid(
                        file,
                        &pointer_push(&at, "retry"),
                        format!("`{other}` is not one of `never`, `backoff`, `resign`, `unknown`"),
                    ))
                }
            },
            Some(_) => return Err(Error::invalid(file, &pointer_push(&at, "retry"), "expected a string")),
        };
        let doc = match entry.get("description") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => return Err(Error::invalid(file, &pointer_push(&at, "description"), "expected a string")),
        };
        out.push(CodeDef {
            code,
            ident: names.claim(ident(&name)),
            name,
            retry,
            doc,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(v: Value) -> Result<Option<ApiCodes>, String> {
        lower_api_codes(Path::new("api.yaml"), Some(&v)).map_err(|e| e.to_string())
    }

    #[test]
    fn reads_both_lists() {
        let codes = read(json!({
            "description": "d",
            "statusCodes": [{"code": 429, "name": "RateLimited", "retry": "backoff"}],
            "apiCodes": [
                {"code": 1306, "name": "SignatureReplayed", "retry": "resign", "description": "again"},
                {"code": 7, "name": "Unknown"},
                {"code": 8, "name": "unknown"}
            ]
        }))
        .unwrap()
        .unwrap();
        assert_eq!(codes.doc.as_deref(), Some("d"));
        assert_eq!(codes.status_codes[0].ident, "RATE_LIMITED");
        assert_eq!(codes.status_codes[0].retry, CodeRetry::Backoff);
        let idents: Vec<&str> = codes.api_codes.iter().map(|c| c.ident.as_str()).collect();
        assert_eq!(idents, ["SignatureReplayed", "Unknown2", "Unknown3"]);
        assert_eq!(codes.api_codes[1].retry, CodeRetry::Unknown);
        assert_eq!(codes.api_codes[0].doc.as_deref(), Some("again"));
        assert_eq!(lower_api_codes(Path::new("a.yaml"), None).unwrap(), None);
    }

    #[test]
    fn mistakes_name_their_place() {
        let cases = [
            (json!([]), "api.yaml: #/x-genauth-api-codes: expected an object"),
            (json!({"apiCodes": {}}), "#/x-genauth-api-codes/apiCodes: expected a list"),
            (json!({"apiCodes": [{"name": "A"}]}), "#/x-genauth-api-codes/apiCodes/0: missing `code`"),
            (json!({"apiCodes": [{"code": 1.5, "name": "A"}]}), "#/x-genauth-api-codes/apiCodes/0/code: expected an integer"),
            (json!({"apiCodes": [{"code": 1}]}), "#/x-genauth-api-codes/apiCodes/0: missing `name`"),
            (json!({"statusCodes": [{"code": 1, "name": " "}]}), "#/x-genauth-api-codes/statusCodes/0/name: expected a non-empty"),
            (
                json!({"apiCodes": [{"code": 1, "name": "A", "retry": "sometimes"}]}),
                "#/x-genauth-api-codes/apiCodes/0/retry: `sometimes` is not one of",
            ),
            (
                json!({"apiCodes": [{"code": 1, "name": "A"}, {"code": 1, "name": "B"}]}),
                "#/x-genauth-api-codes/apiCodes/1/code: code 1 is listed twice",
            ),
            (json!({"description": 3}), "#/x-genauth-api-codes/description: expected a string"),
        ];
        for (value, expected) in cases {
            let message = read(value).unwrap_err();
            assert!(message.contains(expected), "{message}");
        }
    }
}
