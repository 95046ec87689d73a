//! Match reasons in words, in the reader's page language: the codes matching stored
//! ([`Reason`]) with their parameters filled into the `[reason]` messages of the catalogues, the
//! incident from `[reason.incident]`, the language from `[language_name]`. The place is put in
//! between Unicode isolates ([`super::isolate`]), so "13 km from 's-Hertogenbosch" keeps its order
//! in an Arabic sentence too. A reason stored as a sentence before there were codes, and never read
//! back, is shown as it was stored.

use super::{Catalogues, Lang, PageLanguage, languages::language_name_in};
use crate::domain::Reason;

/// One reason in the words of `page`.
pub fn say(page: &PageLanguage, reason: &Reason) -> String {
    let distance = |key: &str, km: &u32, place: &str| {
        page.fill(key, &[("km", &km.to_string()), ("place", place)])
    };
    match reason {
        Reason::Distance { km, place } => distance("reason.distance", km, place),
        Reason::Remote { km, place } => distance("reason.remote", km, place),
        Reason::Expertise { incident } => {
            let key = format!("reason.incident.{}", incident.as_str());
            let name = page.get(&key).unwrap_or(incident.as_str());
            page.fill_words("reason.expertise", &[("incident", name)])
        }
        Reason::Speaks { language } => {
            let name = language_name_in(language, page);
            page.fill_words("reason.speaks", &[("language", &name)])
        }
        Reason::Available247 => page.fill("reason.available_24_7", &[]),
        Reason::HasRoom => page.fill("reason.has_room", &[]),
        Reason::Legacy { text } => text.clone(),
    }
}

/// Every reason in the words of `page`, in order.
pub fn say_all(page: &PageLanguage, reasons: &[Reason]) -> Vec<String> {
    reasons.iter().map(|r| say(page, r)).collect()
}

/// Every reason in `lang` (the API's languages), from the shared catalogues: plain strings,
/// without the isolates pages put around the place (an API client lays out its own text).
pub fn say_all_in(lang: Lang, reasons: &[Reason]) -> Vec<String> {
    let catalogues = Catalogues::shared().ok();
    match catalogues.as_ref().and_then(|c| c.get(lang.code())) {
        Some(page) => say_all(page, reasons)
            .iter()
            .map(|r| super::without_isolates(r))
            .collect(),
        // The catalogues are checked at start-up, so this is never reached in a running server.
        None => reasons.iter().map(|r| format!("{r:?}")).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::IncidentType;
    use crate::incidents::Catalogue;
    use crate::matching::{Candidate, MatchRequest, match_experts};

    fn page(code: &str) -> std::sync::Arc<Catalogues> {
        let catalogues = Catalogues::shared().unwrap();
        assert!(catalogues.get(code).is_some());
        catalogues
    }

    fn candidate(at: (f64, f64)) -> Candidate {
        Candidate {
            expert_id: "x".into(),
            company_name: "Bedrijf x".into(),
            kvk_number: "10000001".into(),
            email_domain: "x.nl".into(),
            lat: at.0,
            lon: at.1,
            radius_km: 50.0,
            remote: false,
            expertise: vec![IncidentType::Ransomware],
            languages: vec!["nl".into(), "en".into()],
            capacity: 3,
            open_cases: 0,
            available_24_7: true,
            eligible: true,
            last_referred_at: None,
        }
    }

    fn request(language: &str) -> MatchRequest {
        MatchRequest {
            incident_type: IncidentType::Ransomware,
            remote_possible: true,
            needs_on_site: true,
            lat: 51.495,
            lon: 4.29167,
            place: "Bergen op Zoom".into(),
            language: language.into(),
            victim_kvk: None,
            victim_email_domain: "bakkerij.nl".into(),
            exclude: vec![],
        }
    }

    #[test]
    fn reasons_read_as_sentences_in_the_victims_language() {
        let c = candidate((51.53083, 4.46528)); // Roosendaal, ~13 km
        let reasons = &match_experts(&request("nl"), std::slice::from_ref(&c))[0].reasons;
        let nl = say_all_in(Lang::Nl, reasons);
        assert_eq!(nl[0], "13 km van Bergen op Zoom");
        assert!(nl.contains(&"specialist in ransomware".to_owned()));
        assert!(nl.contains(&"spreekt Nederlands".to_owned()));
        assert!(nl.contains(&"dag en nacht bereikbaar (24/7)".to_owned()));
        let reasons = &match_experts(&request("en"), &[c])[0].reasons;
        let en = say_all_in(Lang::En, reasons);
        assert_eq!(en[0], "13 km from Bergen op Zoom");
        assert!(
            en.contains(&"speaks English".to_owned()) && en.contains(&"available 24/7".to_owned())
        );
    }

    #[test]
    fn the_same_codes_read_in_arabic() {
        let catalogues = page("ar");
        let ar = catalogues.get("ar").unwrap();
        let reasons = [
            Reason::Remote {
                km: 40,
                place: "Goes".into(),
            },
            Reason::Expertise {
                incident: IncidentType::DataBreach,
            },
            Reason::Speaks {
                language: "nl".into(),
            },
        ];
        assert_eq!(
            say_all(ar, &reasons),
            [
                "يساعد عن بُعد (على بعد 40 كم من \u{2068}Goes\u{2069})",
                "متخصص في تسريب البيانات",
                "يتحدث الهولندية",
            ]
        );
        let legacy = Reason::Legacy {
            text: "iets dat niemand meer leest".into(),
        };
        assert_eq!(say(ar, &legacy), "iets dat niemand meer leest");
    }

    #[test]
    fn the_same_codes_read_in_turkish_and_polish_without_bending_the_place() {
        let catalogues = page("tr");
        let reasons = [
            Reason::Distance {
                km: 13,
                place: "Bergen op Zoom".into(),
            },
            Reason::Expertise {
                incident: IncidentType::Ransomware,
            },
            Reason::Speaks {
                language: "tr".into(),
            },
        ];
        assert_eq!(
            say_all(catalogues.get("tr").unwrap(), &reasons),
            [
                "\u{2068}Bergen op Zoom\u{2069} konumundan 13 km uzakta",
                "fidye yazılımı uzmanı",
                "Türkçe konuşur",
            ]
        );
        assert_eq!(
            say_all(catalogues.get("pl").unwrap(), &reasons),
            [
                "13 km od miejscowości \u{2068}Bergen op Zoom\u{2069}",
                "specjalizacja: ransomware",
                "zna język turecki",
            ]
        );
    }

    /// The Dutch and English incident names in a reason are the first-aid catalogue's names in
    /// lower case, as reasons always said them. (Turkish, Polish and Arabic put the name in the
    /// form their reason sentence needs, so theirs may differ.)
    #[test]
    fn incident_names_in_reasons_follow_the_incident_catalogue() {
        let incidents = Catalogue::load().unwrap();
        let catalogues = Catalogues::shared().unwrap();
        for lang in Lang::STAFF {
            let page = catalogues.get(lang.code()).unwrap();
            for t in IncidentType::ALL {
                let key = format!("reason.incident.{}", t.as_str());
                assert_eq!(
                    page.get(&key),
                    Some(incidents.get(t).text(lang).name.to_lowercase().as_str()),
                    "{key} in {lang:?}"
                );
            }
        }
    }
}
