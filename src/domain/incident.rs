//! The incident types of the contract: the codes an intake, an expert's expertise and the
//! first-aid catalogue share.

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum IncidentType {
    Ransomware,
    Phishing,
    AccountTakeover,
    BusinessEmailCompromise,
    Malware,
    DataBreach,
    Ddos,
    WebsiteCompromise,
    HelpdeskFraud,
    WebshopFraud,
    IdentityFraud,
    Extortion,
    Other,
}

impl IncidentType {
    pub const ALL: [IncidentType; 13] = [
        Self::Ransomware,
        Self::Phishing,
        Self::AccountTakeover,
        Self::BusinessEmailCompromise,
        Self::Malware,
        Self::DataBreach,
        Self::Ddos,
        Self::WebsiteCompromise,
        Self::HelpdeskFraud,
        Self::WebshopFraud,
        Self::IdentityFraud,
        Self::Extortion,
        Self::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ransomware => "ransomware",
            Self::Phishing => "phishing",
            Self::AccountTakeover => "account_takeover",
            Self::BusinessEmailCompromise => "business_email_compromise",
            Self::Malware => "malware",
            Self::DataBreach => "data_breach",
            Self::Ddos => "ddos",
            Self::WebsiteCompromise => "website_compromise",
            Self::HelpdeskFraud => "helpdesk_fraud",
            Self::WebshopFraud => "webshop_fraud",
            Self::IdentityFraud => "identity_fraud",
            Self::Extortion => "extortion",
            Self::Other => "other",
        }
    }

    /// The type with exactly this code.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == raw)
    }
}

#[cfg(test)]
mod tests {
    use super::IncidentType;

    #[test]
    fn codes_round_trip_and_match_serde() {
        for t in IncidentType::ALL {
            assert_eq!(IncidentType::parse(t.as_str()), Some(t));
            assert_eq!(
                serde_json::to_value(t).unwrap(),
                serde_json::json!(t.as_str())
            );
        }
        assert_eq!(IncidentType::parse("Ransomware"), None);
        assert_eq!(IncidentType::parse("ceo_fraud"), None);
    }
}
