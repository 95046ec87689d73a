//! The public first-aid catalogue: incident types, step plans and the referral policy.

use crate::helpers::{assert_problem, spawn_app};
use hackhelpdesk::{domain::IncidentType, incidents::links};
use serde_json::Value;

async fn json(response: reqwest::Response) -> Value {
    assert_eq!(response.status(), 200);
    response.json().await.expect("JSON body")
}

#[tokio::test]
async fn all_13_incident_types_are_listed_in_contract_order() {
    let app = spawn_app().await;
    let response = app.get("/api/v1/incident-types").await;
    assert_eq!(response.headers()["content-language"], "nl");
    let types = json(response).await;
    let codes: Vec<&str> = types
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["code"].as_str().unwrap())
        .collect();
    let expected: Vec<&str> = IncidentType::ALL.iter().map(|t| t.as_str()).collect();
    assert_eq!(codes, expected);
    for t in types.as_array().unwrap() {
        assert!(t["name"].as_str().is_some_and(|n| !n.is_empty()), "{t}");
        assert!(
            t["description"].as_str().is_some_and(|d| d.len() > 20),
            "{t}"
        );
        assert!(t["remote_possible"].is_boolean(), "{t}");
    }
    assert_eq!(types[3]["name"], "CEO-fraude en factuurfraude");
}

#[tokio::test]
async fn the_language_comes_from_the_query_then_the_header_else_dutch() {
    let app = spawn_app().await;
    let path = "/api/v1/incident-types";
    let english = json(app.get(&format!("{path}?lang=en")).await).await;
    assert_eq!(english[3]["name"], "CEO and invoice fraud");
    let by_header = json(
        app.get_with(path, "accept-language", "en-GB,en;q=0.8")
            .await,
    )
    .await;
    assert_eq!(by_header, english);
    let query_wins = app
        .get_with(&format!("{path}?lang=nl"), "accept-language", "en")
        .await;
    assert_eq!(json(query_wins).await[12]["name"], "Iets anders");
    let unsupported = app
        .get_with(&format!("{path}?lang=de"), "accept-language", "en")
        .await;
    assert_eq!(json(unsupported).await[12]["name"], "Iets anders");
}

#[tokio::test]
async fn every_plan_has_4_to_8_steps_in_both_languages_linking_only_to_public_bodies() {
    let app = spawn_app().await;
    for code in IncidentType::ALL.map(IncidentType::as_str) {
        let path = format!("/api/v1/incident-types/{code}/steps");
        let nl = json(app.get(&format!("{path}?lang=nl")).await).await;
        let en = json(app.get(&format!("{path}?lang=en")).await).await;
        assert_eq!(nl["code"], code);
        let (nl_steps, en_steps) = (
            nl["steps"].as_array().unwrap(),
            en["steps"].as_array().unwrap(),
        );
        assert!(
            (4..=8).contains(&nl_steps.len()),
            "{code}: {} steps",
            nl_steps.len()
        );
        assert_eq!(nl_steps.len(), en_steps.len(), "{code}");
        assert_ne!(
            nl_steps[0]["title"], en_steps[0]["title"],
            "{code} is translated"
        );
        for step in nl_steps.iter().chain(en_steps) {
            assert!(
                step["title"].as_str().is_some_and(|t| !t.is_empty()),
                "{code}"
            );
            assert!(
                step["body"].as_str().is_some_and(|b| !b.is_empty()),
                "{code}"
            );
            for link in step["links"].as_array().expect("links is a list") {
                let link = link.as_str().unwrap();
                assert_eq!(links::check(link), Ok(()), "{code} links to {link}");
            }
        }
    }
}

/// All titles, bodies and links of a plan as one lowercase text.
async fn plan_text(app: &crate::helpers::TestApp, code: &str, lang: &str) -> String {
    let plan = json(
        app.get(&format!("/api/v1/incident-types/{code}/steps?lang={lang}"))
            .await,
    )
    .await;
    plan["steps"].to_string().to_lowercase()
}

#[tokio::test]
async fn the_ransomware_plan_gives_the_key_advice_in_both_languages() {
    let app = spawn_app().await;
    let en = plan_text(&app, "ransomware", "en").await;
    for advice in [
        "do not switch the computer off",
        "disconnect",
        "photo of the ransom note",
        "do not pay",
        "https://www.nomoreransom.org",
        "offline backup",
        "police",
        "within 72 hours",
        "https://www.autoriteitpersoonsgegevens.nl",
    ] {
        assert!(en.contains(advice), "English plan lacks {advice:?}");
    }
    let nl = plan_text(&app, "ransomware", "nl").await;
    for advice in [
        "zet de computer niet uit",
        "van het netwerk",
        "losgeldbericht",
        "betaal niet",
        "https://www.nomoreransom.org",
        "offline back-up",
        "aangifte",
        "binnen 72 uur",
        "autoriteit persoonsgegevens",
    ] {
        assert!(nl.contains(advice), "Dutch plan lacks {advice:?}");
    }
}

#[tokio::test]
async fn an_unknown_incident_type_is_a_404_problem() {
    let app = spawn_app().await;
    for code in ["ceo_fraud", "Ransomware", "%20"] {
        let response = app
            .get(&format!("/api/v1/incident-types/{code}/steps"))
            .await;
        assert_problem(response, 404).await;
    }
}

#[tokio::test]
async fn the_referral_policy_is_published_in_both_languages() {
    let app = spawn_app().await;
    let nl = json(app.get("/api/v1/referral-policy").await).await;
    let en = json(app.get("/api/v1/referral-policy?lang=en").await).await;
    assert_eq!(nl["version"], en["version"]);
    assert_eq!(nl["lang"], "nl");
    assert_eq!(en["title"], "How we choose experts for you");
    let codes = |policy: &Value, list: &str| -> Vec<String> {
        policy[list]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        codes(&nl, "factors"),
        ["language_first", "reach", "distance", "load", "rotation"]
    );
    assert_eq!(codes(&nl, "factors"), codes(&en, "factors"));
    assert_eq!(codes(&nl, "rules"), codes(&en, "rules"));
    for rule in [
        "eligibility",
        "conflict_of_interest",
        "published_factors_only",
        "at_most_three",
    ] {
        assert!(codes(&en, "rules").contains(&rule.to_owned()), "{rule}");
    }
    assert_eq!(en["factors"][0]["order"], 1);
    assert!(en["rules"].to_string().contains("pay for"));
    assert!(nl["rules"].to_string().contains("betalen"));
}

#[tokio::test]
async fn the_incident_types_carry_an_etag_per_language_and_a_match_is_not_modified() {
    let app = spawn_app().await;
    let path = "/api/v1/incident-types";
    let dutch = app.get(path).await;
    assert_eq!(dutch.status(), 200);
    assert_eq!(dutch.headers()["cache-control"], "no-cache");
    assert_eq!(dutch.headers()["x-content-type-options"], "nosniff");
    assert_eq!(dutch.headers()["content-type"], "application/json");
    let etag = dutch.headers()["etag"].to_str().unwrap().to_owned();
    let english = app.get(&format!("{path}?lang=en")).await;
    let english_etag = english.headers()["etag"].to_str().unwrap().to_owned();
    assert_ne!(etag, english_etag);

    let again = app.get_with(path, "if-none-match", &etag).await;
    assert_eq!(again.status(), 304);
    assert_eq!(again.headers()["etag"], etag.as_str());
    assert_eq!(again.headers()["content-language"], "nl");
    assert!(again.text().await.unwrap().is_empty());
    let weak = app
        .get_with(path, "if-none-match", &format!("\"x\", W/{etag}"))
        .await;
    assert_eq!(weak.status(), 304);
    // The Dutch tag does not validate the English answer.
    let other = app
        .get_with(&format!("{path}?lang=en"), "if-none-match", &etag)
        .await;
    assert_eq!(other.status(), 200);
    assert_eq!(json(other).await[3]["name"], "CEO and invoice fraud");
}
