//! Why an expert was matched, as data: a code with its parameters, stored as JSON in the matches
//! and the audit log (`{"code":"distance","km":12,"place":"Bergen op Zoom"}`) and put into words
//! only where a person reads it, in that person's language (`crate::i18n::reasons`). A later
//! wording change or a new page language therefore never rewrites what was stored.

use serde::{Deserialize, Serialize};

use super::IncidentType;

/// One reason an expert fits an intake.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Reason {
    /// Helps on site; the victim's `place` is `km` away (rounded, at least 1).
    Distance { km: u32, place: String },
    /// Helps remotely; the victim's `place` is `km` away.
    Remote { km: u32, place: String },
    /// Has the intake's incident type as expertise.
    Expertise {
        #[schema(value_type = String)]
        incident: IncidentType,
    },
    /// Speaks the language (ISO 639-1 code) the victim wants help in.
    Speaks { language: String },
    /// Reachable day and night.
    #[serde(rename = "available_24_7")]
    Available247,
    /// Has no open case at the moment.
    HasRoom,
    /// A sentence stored before reasons were codes that could not be read back: shown as stored.
    Legacy { text: String },
}

impl Reason {
    /// The list stored in a match row: a JSON array of reasons (`[]` for text that is no list).
    pub fn list_from_json(stored: &str) -> Vec<Reason> {
        serde_json::from_str(stored).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn reasons_are_tagged_by_code_with_their_parameters() {
        let reasons = vec![
            Reason::Distance {
                km: 12,
                place: "Bergen op Zoom".into(),
            },
            Reason::Expertise {
                incident: IncidentType::DataBreach,
            },
            Reason::Speaks {
                language: "tr".into(),
            },
            Reason::Available247,
            Reason::HasRoom,
        ];
        let stored = json!(reasons);
        assert_eq!(
            stored,
            json!([
                {"code": "distance", "km": 12, "place": "Bergen op Zoom"},
                {"code": "expertise", "incident": "data_breach"},
                {"code": "speaks", "language": "tr"},
                {"code": "available_24_7"},
                {"code": "has_room"},
            ])
        );
        assert_eq!(Reason::list_from_json(&stored.to_string()), reasons);
    }
}
