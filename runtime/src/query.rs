//! Query strings: how parameter values become `key=value` pairs.

/// Query parameters of one request, in order. Absent optional values are left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    pairs: Vec<(String, String)>,
}

impl Query {
    /// An empty query.
    pub fn new() -> Self {
        Query::default()
    }

    /// Adds `key` with `value` (arrays add the key once per element).
    pub fn push<V: QueryValue + ?Sized>(&mut self, key: &str, value: &V) {
        value.append_to(key, &mut self.pairs);
    }

    /// Adds `key` only when `value` is present.
    pub fn push_opt<V: QueryValue + ?Sized>(&mut self, key: &str, value: Option<&V>) {
        if let Some(value) = value {
            self.push(key, value);
        }
    }

    /// Adds `key` with the value written as compact JSON (strings without quotes), for
    /// values that have no plain text form (objects, nested arrays).
    pub fn push_json<T: serde::Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), crate::Error> {
        let value = serde_json::to_value(value).map_err(crate::Error::Serialize)?;
        value.append_to(key, &mut self.pairs);
        Ok(())
    }

    /// Adds an object as `key[field]=value` pairs (`style: deepObject`); nested objects
    /// and arrays nest the brackets (`key[a][b]`, `key[list][0]`).
    pub fn push_deep<T: serde::Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), crate::Error> {
        fn walk(prefix: &str, v: &serde_json::Value, out: &mut Vec<(String, String)>) {
            match v {
                serde_json::Value::Object(map) => {
                    for (k, v) in map {
                        walk(&format!("{prefix}[{k}]"), v, out);
                    }
                }
                serde_json::Value::Array(items) => {
                    for (i, v) in items.iter().enumerate() {
                        walk(&format!("{prefix}[{i}]"), v, out);
                    }
                }
                other => other.append_to(prefix, out),
            }
        }
        let value = serde_json::to_value(value).map_err(crate::Error::Serialize)?;
        walk(key, &value, &mut self.pairs);
        Ok(())
    }

    /// Adds a value of any serializable type (a union, an object, a list of them) the way
    /// OpenAPI's `style: form` does. With `explode` (the default of that style) a list
    /// repeats the key (`id=1&id=2`) and an object's properties become pairs of their own
    /// (`from=1&to=2`); without, a list is one comma-separated value (`id=1,2`) and an
    /// object one `key=from,1,to,2`. A scalar is `key=value` either way, a string without
    /// quotes; `null` values are left out, and values nested deeper are written as JSON.
    pub fn push_form<T: serde::Serialize + ?Sized>(&mut self, key: &str, value: &T, explode: bool) -> Result<(), crate::Error> {
        use serde_json::Value;
        match serde_json::to_value(value).map_err(crate::Error::Serialize)? {
            Value::Null => {}
            Value::Array(items) if explode => {
                for item in items.iter().filter(|v| !v.is_null()) {
                    self.pairs.push((key.to_owned(), text(item)));
                }
            }
            Value::Array(items) => {
                let joined = items.iter().filter(|v| !v.is_null()).map(text).collect::<Vec<_>>().join(",");
                self.pairs.push((key.to_owned(), joined));
            }
            Value::Object(map) if explode => {
                for (k, v) in map.iter().filter(|(_, v)| !v.is_null()) {
                    self.pairs.push((k.clone(), text(v)));
                }
            }
            Value::Object(map) => {
                let joined = map.iter().filter(|(_, v)| !v.is_null()).flat_map(|(k, v)| [k.clone(), text(v)]).collect::<Vec<_>>().join(",");
                self.pairs.push((key.to_owned(), joined));
            }
            scalar => self.pairs.push((key.to_owned(), text(&scalar))),
        }
        Ok(())
    }

    /// The pairs collected so far.
    pub fn into_pairs(self) -> Vec<(String, String)> {
        self.pairs
    }
}

/// A value that can be written into a query string.
pub trait QueryValue {
    /// Appends this value under `key`.
    fn append_to(&self, key: &str, out: &mut Vec<(String, String)>);
}

impl QueryValue for str {
    fn append_to(&self, key: &str, out: &mut Vec<(String, String)>) {
        out.push((key.to_owned(), self.to_owned()));
    }
}

impl QueryValue for String {
    fn append_to(&self, key: &str, out: &mut Vec<(String, String)>) {
        self.as_str().append_to(key, out);
    }
}

macro_rules! display_query_value {
    ($($t:ty),*) => {$(
        impl QueryValue for $t {
            fn append_to(&self, key: &str, out: &mut Vec<(String, String)>) {
                out.push((key.to_owned(), self.to_string()));
            }
        }
    )*};
}
display_query_value!(bool, i8, i16, i32, i64, u8, u16, u32, u64, f32, f64);

impl QueryValue for serde_json::Value {
    fn append_to(&self, key: &str, out: &mut Vec<(String, String)>) {
        match self {
            serde_json::Value::String(s) => s.append_to(key, out),
            serde_json::Value::Null => {}
            other => out.push((key.to_owned(), other.to_string())),
        }
    }
}

impl<T: QueryValue> QueryValue for [T] {
    fn append_to(&self, key: &str, out: &mut Vec<(String, String)>) {
        for item in self {
            item.append_to(key, out);
        }
    }
}

impl<T: QueryValue> QueryValue for Vec<T> {
    fn append_to(&self, key: &str, out: &mut Vec<(String, String)>) {
        self.as_slice().append_to(key, out);
    }
}

impl<T: QueryValue + ?Sized> QueryValue for &T {
    fn append_to(&self, key: &str, out: &mut Vec<(String, String)>) {
        (**self).append_to(key, out);
    }
}

/// A JSON value as one query or path value: a string without quotes, other scalars as
/// written, lists and objects as compact JSON.
fn text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Percent-encodes one path segment (`/`, `?`, `,` and the like are escaped).
fn segment(text: &str) -> String {
    const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(text, SEGMENT).to_string()
}

/// Writes one path parameter value, percent-encoded so it stays a single path segment.
pub fn path_param<V: QueryValue + ?Sized>(value: &V) -> String {
    let mut pairs = Vec::new();
    value.append_to("", &mut pairs);
    let joined = pairs.into_iter().map(|(_, v)| v).collect::<Vec<_>>().join(",");
    segment(&joined)
}

/// Writes a path parameter of any serializable type (a union, an object) the way
/// OpenAPI's default path style (`simple`) does: a scalar as its text (a string without
/// quotes), a list as `a,b`, an object as `k1,v1,k2,v2`; percent-encoded so it stays one
/// segment. For the types [`path_param`] takes, the result is the same.
pub fn path_param_value<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, crate::Error> {
    use serde_json::Value;
    let joined = match serde_json::to_value(value).map_err(crate::Error::Serialize)? {
        Value::Array(items) => items.iter().map(text).collect::<Vec<_>>().join(","),
        Value::Object(map) => map.iter().flat_map(|(k, v)| [k.clone(), text(v)]).collect::<Vec<_>>().join(","),
        scalar => text(&scalar),
    };
    Ok(segment(&joined))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrays_repeat_the_key_and_absent_values_are_skipped() {
        let mut q = Query::new();
        q.push("userIds", &vec!["a".to_owned(), "b".to_owned()]);
        q.push_opt::<bool>("withCustomData", None);
        q.push("limit", &10i64);
        q.push_opt("flat", Some(&false));
        let pairs = q.into_pairs();
        let expected: Vec<(String, String)> = [("userIds", "a"), ("userIds", "b"), ("limit", "10"), ("flat", "false")]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(pairs, expected);
    }

    #[test]
    fn deep_objects_and_json_values() {
        let mut q = Query::new();
        q.push_deep("filter", &serde_json::json!({"name": "a", "tags": ["x", "y"], "range": {"min": 1}})).unwrap();
        q.push_json("meta", &serde_json::json!({"k": true})).unwrap();
        let got = q.into_pairs();
        let want: Vec<(String, String)> = [
            ("filter[name]", "a"),
            ("filter[tags][0]", "x"),
            ("filter[tags][1]", "y"),
            ("filter[range][min]", "1"),
            ("meta", "{\"k\":true}"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn path_params_stay_one_segment() {
        assert_eq!(path_param("a b/c?d"), "a%20b%2Fc%3Fd");
        assert_eq!(path_param(&42i64), "42");
        assert_eq!(path_param(&vec!["x".to_owned(), "y".to_owned()]), "x%2Cy");
    }

    #[test]
    fn path_params_of_any_type_follow_the_simple_style() {
        use serde_json::json;
        // The same text as `path_param` for the types both take.
        assert_eq!(path_param_value("a b/c?d").unwrap(), path_param("a b/c?d"));
        assert_eq!(path_param_value(&42i64).unwrap(), "42");
        assert_eq!(path_param_value(&json!("6f1c-4a")).unwrap(), "6f1c-4a");
        assert_eq!(path_param_value(&json!(["x", 2])).unwrap(), "x%2C2");
        // Properties in the order they are written (a struct's field order).
        assert_eq!(path_param_value(&json!({"r": 1, "g": "x/y"})).unwrap(), "r%2C1%2Cg%2Cx%2Fy");
    }

    #[test]
    fn form_style_explodes_lists_and_objects_unless_told_not_to() {
        use serde_json::json;
        let pairs = |value: serde_json::Value, explode: bool| {
            let mut q = Query::new();
            q.push_form("k", &value, explode).unwrap();
            q.into_pairs().into_iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&")
        };
        assert_eq!(pairs(json!({"from": 1, "to": 2, "gone": null}), true), "from=1&to=2");
        assert_eq!(pairs(json!({"from": 1, "to": 2}), false), "k=from,1,to,2");
        assert_eq!(pairs(json!(["a", 2, null]), true), "k=a&k=2");
        assert_eq!(pairs(json!(["a", 2]), false), "k=a,2");
        assert_eq!(pairs(json!("usr_1"), true), "k=usr_1");
        assert_eq!(pairs(json!(7), false), "k=7");
        assert_eq!(pairs(json!(null), true), "");
        assert_eq!(pairs(json!({"range": {"min": 1}, "tags": ["x"]}), true), r#"range={"min":1}&tags=["x"]"#);
    }
}
