//! Who is logged in: an expert company or a PVO moderator. Victims have no account; they hold a
//! case token instead.

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Expert,
    Moderator,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Expert => "expert",
            Self::Moderator => "moderator",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "expert" => Some(Self::Expert),
            "moderator" => Some(Self::Moderator),
            _ => None,
        }
    }
}
