//! Typed ids: an intake's id cannot be passed where an expert's is expected. Each is a newtype
//! over the app-generated text UUID (v7, sorts by time), stored as `Text` on both backends and
//! serialized as the bare string, so the JSON contract does not change.
//!
//! An id read from a client is not checked to be a UUID: an unknown id is simply "not found".

/// Declares text-id newtypes with diesel `Text` mapping and transparent serde.
macro_rules! text_ids {
    ($( $(#[$meta:meta])* $name:ident ),+ $(,)?) => {$(
        $(#[$meta])*
        #[derive(
            Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default,
            serde::Serialize, serde::Deserialize,
            diesel::expression::AsExpression, diesel::deserialize::FromSqlRow,
        )]
        #[serde(transparent)]
        #[diesel(sql_type = diesel::sql_types::Text)]
        pub struct $name(String);

        impl $name {
            /// A new, time-ordered id.
            pub fn generate() -> Self {
                Self(uuid::Uuid::now_v7().to_string())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl From<String> for $name {
            fn from(raw: String) -> Self {
                Self(raw)
            }
        }

        impl From<&str> for $name {
            fn from(raw: &str) -> Self {
                Self(raw.to_owned())
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> Self {
                id.0
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                &self.0 == other
            }
        }

        $crate::domain::code::text_sql!($name, |raw| Ok(Self(raw)), |me| me.0.as_str());
    )+};
}

text_ids! {
    /// An intake (a victim's case).
    IntakeId,
    /// An expert company.
    ExpertId,
    /// A help request: one victim asking one expert.
    RequestId,
    /// A victim's complaint about an expert.
    ComplaintId,
}

#[cfg(test)]
mod tests {
    use super::{ExpertId, IntakeId};

    #[test]
    fn ids_serialize_as_the_bare_string_and_compare_with_text() {
        let id = IntakeId::generate();
        let json = serde_json::to_value(&id).unwrap();
        assert_eq!(json, serde_json::json!(id.as_str()));
        assert_eq!(serde_json::from_value::<IntakeId>(json).unwrap(), id);
        let expert = ExpertId::from("e-1");
        assert_eq!(expert, "e-1");
    }
}
