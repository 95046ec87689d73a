//! How urgent an intake is: `acute` (happening now, business at a standstill), `recent` (last
//! days), `past`.

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    Acute,
    Recent,
    Past,
}

impl Urgency {
    pub const ALL: [Urgency; 3] = [Self::Acute, Self::Recent, Self::Past];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Acute => "acute",
            Self::Recent => "recent",
            Self::Past => "past",
        }
    }

    /// The urgency with exactly this code.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|u| u.as_str() == raw)
    }
}

#[cfg(test)]
mod tests {
    use super::Urgency;

    #[test]
    fn codes_round_trip_and_match_serde() {
        for u in Urgency::ALL {
            assert_eq!(Urgency::parse(u.as_str()), Some(u));
            assert_eq!(
                serde_json::to_value(u).unwrap(),
                serde_json::json!(u.as_str())
            );
        }
        assert_eq!(Urgency::parse("urgent"), None);
    }
}
