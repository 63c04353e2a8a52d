//! Support for generated string enums that keep unknown values.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserializer, Error as _, Visitor};

/// Deserializes a string enum through its `From<&str>` conversion, so a value the
/// enum does not list lands in its `Unknown(String)` variant instead of failing.
pub fn deserialize_string_enum<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: for<'a> From<&'a str>,
{
    struct V<T>(PhantomData<T>);
    impl<T: for<'a> From<&'a str>> Visitor<'_> for V<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<T, E> {
            Ok(T::from(v))
        }
        fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<T, E> {
            std::str::from_utf8(v)
                .map(T::from)
                .map_err(|_| E::invalid_value(serde::de::Unexpected::Bytes(v), &self))
        }
    }
    deserializer
        .deserialize_str(V(PhantomData))
        .map_err(|e: D::Error| D::Error::custom(e))
}

/// Implements `Display`, `FromStr`, `Serialize`, `Deserialize` and
/// [`QueryValue`](crate::QueryValue) for a generated string enum, given its inherent
/// `fn as_str(&self) -> &str` and its `From<&str>` conversion (which maps values it does
/// not know to the enum's `Unknown(String)` variant).
#[macro_export]
macro_rules! string_enum {
    ($($t:ty),* $(,)?) => {$(
        impl ::core::fmt::Display for $t {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl ::core::str::FromStr for $t {
            type Err = ::core::convert::Infallible;
            fn from_str(s: &str) -> ::core::result::Result<Self, Self::Err> {
                ::core::result::Result::Ok(<$t as ::core::convert::From<&str>>::from(s))
            }
        }
        impl $crate::__serde::Serialize for $t {
            fn serialize<S: $crate::__serde::Serializer>(&self, s: S) -> ::core::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
        impl<'de> $crate::__serde::Deserialize<'de> for $t {
            fn deserialize<D: $crate::__serde::Deserializer<'de>>(d: D) -> ::core::result::Result<Self, D::Error> {
                $crate::deserialize_string_enum(d)
            }
        }
        impl $crate::QueryValue for $t {
            fn append_to(&self, key: &str, out: &mut ::std::vec::Vec<(::std::string::String, ::std::string::String)>) {
                $crate::QueryValue::append_to(self.as_str(), key, out)
            }
        }
    )*};
}

#[cfg(test)]
mod tests {
    #[derive(Debug, PartialEq)]
    enum Color {
        Red,
        Unknown(String),
    }
    impl Color {
        fn as_str(&self) -> &str {
            match self {
                Color::Red => "red",
                Color::Unknown(v) => v,
            }
        }
    }
    impl From<&str> for Color {
        fn from(v: &str) -> Self {
            match v {
                "red" => Color::Red,
                other => Color::Unknown(other.to_owned()),
            }
        }
    }
    crate::string_enum!(Color);

    #[test]
    fn known_and_unknown_values_round_trip() {
        let c: Color = serde_json::from_str("\"red\"").unwrap();
        assert_eq!(c, Color::Red);
        let u: Color = serde_json::from_str("\"blue\"").unwrap();
        assert_eq!(u, Color::Unknown("blue".into()));
        assert_eq!(serde_json::to_string(&u).unwrap(), "\"blue\"");
        assert_eq!("red".parse::<Color>().unwrap(), Color::Red);
        assert_eq!(Color::Unknown("x y".into()).to_string(), "x y");
        assert!(serde_json::from_str::<Color>("3").is_err());
    }
}
