//! Stable codes: the one place where an enum of the domain is tied to the text that stands for it
//! in JSON, in the database, in query strings and in templates.
//!
//! [`codes!`] declares such an enum from `Variant => "code"` pairs and gives it `as_str`, `parse`,
//! `FromStr`, `Display`, serde as the code, `ALL` and `CODES`, and diesel `FromSql`/`ToSql` for
//! `Text` on every backend (SQLite, PostgreSQL and the `MultiConnection` over both, in the manner
//! of vaultwarden's `impl_FromToSqlText!`). A code in the database that no variant has is a
//! deserialization error, so the request that read it fails as a logged 500 (the data is corrupt)
//! instead of silently turning into some default.

use std::fmt;

/// A text that is not one of an enum's codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCode {
    /// The enum's name, e.g. `IntakeStatus`.
    pub kind: &'static str,
    pub raw: String,
    pub expected: &'static [&'static str],
}

impl fmt::Display for UnknownCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown {} {:?}, expected one of {}",
            self.kind,
            self.raw,
            self.expected.join(", ")
        )
    }
}

impl std::error::Error for UnknownCode {}

/// Declares an enum whose variants each have one stable text code (see the module doc).
macro_rules! codes {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident => $code:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            diesel::expression::AsExpression, diesel::deserialize::FromSqlRow,
        )]
        #[diesel(sql_type = diesel::sql_types::Text)]
        $vis enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: [Self; [$($code),+].len()] = [$(Self::$variant),+];
            /// Every code, in declaration order.
            pub const CODES: [&'static str; [$($code),+].len()] = [$($code),+];

            /// The stable code.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( Self::$variant => $code ),+
                }
            }

            /// The variant with exactly this code.
            pub fn parse(raw: &str) -> Option<Self> {
                match raw {
                    $( $code => Some(Self::$variant), )+
                    _ => None,
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::domain::code::UnknownCode;

            fn from_str(raw: &str) -> Result<Self, Self::Err> {
                Self::parse(raw).ok_or_else(|| $crate::domain::code::UnknownCode {
                    kind: stringify!($name),
                    raw: raw.to_owned(),
                    expected: &Self::CODES,
                })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let raw = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                Self::parse(&raw)
                    .ok_or_else(|| serde::de::Error::unknown_variant(&raw, &Self::CODES))
            }
        }

        $crate::domain::code::text_sql!($name, |raw| Ok(raw.parse::<Self>()?), |me| me.as_str());
    };
}
pub(crate) use codes;

/// diesel `FromSql`/`ToSql` for `Text` on every backend (SQLite, PostgreSQL and the
/// `MultiConnection` over both) for a type read from an owned `String` and written as a `&str`:
/// the one text mapping that [`codes!`] and the typed ids share.
macro_rules! text_sql {
    ($name:ty, |$raw:ident| $from:expr, |$me:ident| $to:expr) => {
        impl<DB> diesel::deserialize::FromSql<diesel::sql_types::Text, DB> for $name
        where
            DB: diesel::backend::Backend,
            String: diesel::deserialize::FromSql<diesel::sql_types::Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
                let $raw = String::from_sql(bytes)?;
                $from
            }
        }

        impl<DB> diesel::serialize::ToSql<diesel::sql_types::Text, DB> for $name
        where
            DB: diesel::backend::Backend,
            str: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
        {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, DB>,
            ) -> diesel::serialize::Result {
                let $me = self;
                $to.to_sql(out)
            }
        }
    };
}
pub(crate) use text_sql;

#[cfg(test)]
mod tests {
    codes! {
        /// A test enum.
        pub enum Colour {
            Red => "red",
            DarkBlue => "dark_blue",
        }
    }

    #[test]
    fn codes_round_trip_through_text_serde_and_from_str() {
        assert_eq!(Colour::CODES, ["red", "dark_blue"]);
        for c in Colour::ALL {
            assert_eq!(Colour::parse(c.as_str()), Some(c));
            assert_eq!(c.as_str().parse::<Colour>(), Ok(c));
            assert_eq!(c.to_string(), c.as_str());
            let json = serde_json::to_value(c).unwrap();
            assert_eq!(json, serde_json::json!(c.as_str()));
            assert_eq!(serde_json::from_value::<Colour>(json).unwrap(), c);
        }
        let e = "Red".parse::<Colour>().unwrap_err();
        assert_eq!(
            e.to_string(),
            "unknown Colour \"Red\", expected one of red, dark_blue"
        );
        let e = serde_json::from_str::<Colour>("\"blue\"").unwrap_err();
        assert!(e.to_string().contains("unknown variant `blue`"), "{e}");
    }
}
