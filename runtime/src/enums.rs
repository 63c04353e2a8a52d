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

/// Defines a generated string enum: the listed variants, each with its wire value (which
/// also becomes the variant's documentation), plus
/// `Unknown(String)` for values the API description does not list, so that a new value
/// from the server survives a round trip instead of failing. The enum is
/// `#[non_exhaustive]` and gets `as_str`, `From<&str>`, `Display`, `FromStr`, `Default`
/// (the `default` variant when given, else `Unknown("")`), serde and
/// [`QueryValue`](crate::QueryValue) implementations.
///
/// ```
/// genauth_runtime::string_enum! {
///     /// How `user_id` identifies the user.
///     pub enum UserIdType default UserId {
///         UserId = "user_id",
///         Phone = "phone",
///     }
/// }
/// assert_eq!(UserIdType::from("phone"), UserIdType::Phone);
/// assert_eq!(UserIdType::from("passkey").as_str(), "passkey");
/// assert_eq!(UserIdType::default(), UserIdType::UserId);
/// ```
#[macro_export]
macro_rules! string_enum {
    (@def [$($meta:tt)*] $vis:vis $name:ident { $( [$($vmeta:tt)*] $variant:ident = $wire:literal, )* }) => {
        $($meta)*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        $vis enum $name {
            $( $($vmeta)* #[doc = concat!("`", $wire, "`")] $variant, )*
            /// A value this SDK does not know; kept verbatim so it survives a round trip.
            Unknown(::std::string::String),
        }
        impl $name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )*
                    Self::Unknown(v) => v,
                }
            }
        }
        impl ::core::convert::From<&str> for $name {
            fn from(v: &str) -> Self {
                match v {
                    $( $wire => Self::$variant, )*
                    other => Self::Unknown(::std::borrow::ToOwned::to_owned(other)),
                }
            }
        }
        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl ::core::str::FromStr for $name {
            type Err = ::core::convert::Infallible;
            fn from_str(s: &str) -> ::core::result::Result<Self, Self::Err> {
                ::core::result::Result::Ok(<$name as ::core::convert::From<&str>>::from(s))
            }
        }
        impl $crate::__serde::Serialize for $name {
            fn serialize<S: $crate::__serde::Serializer>(&self, s: S) -> ::core::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
        impl<'de> $crate::__serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__serde::Deserializer<'de>>(d: D) -> ::core::result::Result<Self, D::Error> {
                $crate::deserialize_string_enum(d)
            }
        }
        impl $crate::QueryValue for $name {
            fn append_to(&self, key: &str, out: &mut ::std::vec::Vec<(::std::string::String, ::std::string::String)>) {
                $crate::QueryValue::append_to(self.as_str(), key, out)
            }
        }
    };
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident default $default:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal, )*
        }
    ) => {
        $crate::string_enum!(@def [$(#[$meta])*] $vis $name { $( [$(#[$vmeta])*] $variant = $wire, )* });
        impl ::core::default::Default for $name {
            fn default() -> Self {
                Self::$default
            }
        }
    };
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal, )*
        }
    ) => {
        $crate::string_enum!(@def [$(#[$meta])*] $vis $name { $( [$(#[$vmeta])*] $variant = $wire, )* });
        /// Without a default in the API description: the empty unknown value.
        impl ::core::default::Default for $name {
            fn default() -> Self {
                Self::Unknown(::std::string::String::new())
            }
        }
    };
}

#[cfg(test)]
mod tests {
    crate::string_enum! {
        /// A test enum.
        pub enum Color default Red {
            /// `red`
            Red = "red",
            /// `light blue`
            LightBlue = "light blue",
        }
    }

    crate::string_enum! {
        pub enum Bare {
            A = "a",
        }
    }

    #[test]
    fn known_and_unknown_values_round_trip() {
        let c: Color = serde_json::from_str("\"red\"").unwrap();
        assert_eq!(c, Color::Red);
        let u: Color = serde_json::from_str("\"blue\"").unwrap();
        assert_eq!(u, Color::Unknown("blue".into()));
        assert_eq!(serde_json::to_string(&u).unwrap(), "\"blue\"");
        assert_eq!("light blue".parse::<Color>().unwrap(), Color::LightBlue);
        assert_eq!(Color::Unknown("x y".into()).to_string(), "x y");
        assert!(serde_json::from_str::<Color>("3").is_err());
        assert_eq!(Color::default(), Color::Red);
        assert_eq!(Bare::default(), Bare::Unknown(String::new()));
        let mut pairs = Vec::new();
        crate::QueryValue::append_to(&Color::LightBlue, "c", &mut pairs);
        assert_eq!(pairs, vec![("c".to_owned(), "light blue".to_owned())]);
    }
}
