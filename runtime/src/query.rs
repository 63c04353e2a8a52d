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

/// Writes one path parameter value, percent-encoded so it stays a single path segment.
pub fn path_param<V: QueryValue + ?Sized>(value: &V) -> String {
    const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    let mut pairs = Vec::new();
    value.append_to("", &mut pairs);
    let joined = pairs.into_iter().map(|(_, v)| v).collect::<Vec<_>>().join(",");
    percent_encoding::utf8_percent_encode(&joined, SEGMENT).to_string()
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
}
