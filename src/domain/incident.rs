//! The incident types of the contract: the codes an intake, an expert's expertise and the
//! first-aid catalogue share.

use super::code::codes;

codes! {
    /// An incident type of the contract.
    pub enum IncidentType {
        Ransomware => "ransomware",
        Phishing => "phishing",
        AccountTakeover => "account_takeover",
        BusinessEmailCompromise => "business_email_compromise",
        Malware => "malware",
        DataBreach => "data_breach",
        Ddos => "ddos",
        WebsiteCompromise => "website_compromise",
        HelpdeskFraud => "helpdesk_fraud",
        WebshopFraud => "webshop_fraud",
        IdentityFraud => "identity_fraud",
        Extortion => "extortion",
        Other => "other",
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
