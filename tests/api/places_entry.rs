//! Entering a place: a name several places share is a choice, a Dutch postcode resolves to its
//! place, an empty field asks for the place; in the API and on the intake and registration pages.

use crate::helpers::{assert_problem, expert_at, intake_body, location, problem_fields, spawn_app};
use serde_json::{Value, json};

/// The one field error of a 422 on `field`.
async fn field_error(response: reqwest::Response, field: &str) -> Value {
    let body = assert_problem(response, 422).await;
    assert_eq!(problem_fields(&body), [field], "{body}");
    body["errors"][0].clone()
}

fn with_place(place: &str) -> Value {
    let mut body = intake_body();
    body["location"] = json!({ "place": place });
    body
}

fn candidate_values(error: &Value) -> Vec<String> {
    error["candidates"]
        .as_array()
        .expect("candidates")
        .iter()
        .map(|c| c["value"].as_str().expect("value").to_owned())
        .collect()
}

#[tokio::test]
async fn an_ambiguous_place_is_a_422_listing_the_candidates_and_a_candidate_is_taken() {
    let app = spawn_app().await;
    let error = field_error(app.submit_intake(&with_place("bergen")).await, "location").await;
    assert_eq!(error["code"], "place_ambiguous");
    let values = candidate_values(&error);
    for wanted in [
        "Bergen (Noord-Holland)",
        "Bergen (Limburg)",
        "Bergen op Zoom",
    ] {
        assert!(values.iter().any(|v| v == wanted), "{wanted} in {values:?}");
    }
    let limburg =
        &error["candidates"][values.iter().position(|v| v == "Bergen (Limburg)").unwrap()];
    assert_eq!(
        (&limburg["name"], &limburg["province"]),
        (&json!("Bergen"), &json!("Limburg"))
    );
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("several places")
    );

    let created = app.intake(&with_place("Bergen (Limburg)")).await;
    let case = app.case(&created).await;
    assert_eq!(case["location"]["province"], "Limburg", "{case}");
    assert_eq!(case["location"]["place"], "Bergen");

    // The expert's base is the same kind of location.
    let expert = expert_at(1, "Bergen", json!({}));
    let error = field_error(app.register_expert(&expert).await, "base").await;
    assert_eq!(error["code"], "place_ambiguous");
    assert!(candidate_values(&error).contains(&"Bergen (Noord-Holland)".to_owned()));
}

#[tokio::test]
async fn suggestions_carry_the_name_that_picks_exactly_that_place() {
    let app = spawn_app().await;
    let places: Vec<Value> = app
        .get("/api/v1/places?q=bergen")
        .await
        .json()
        .await
        .unwrap();
    let names: Vec<&str> = places
        .iter()
        .map(|p| p["unambiguous_name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"Bergen (Noord-Holland)"), "{names:?}");
    assert!(names.contains(&"Bergen op Zoom"), "{names:?}");
}

#[tokio::test]
async fn a_dutch_postcode_resolves_to_its_place_and_an_unknown_one_asks_for_the_name() {
    let app = spawn_app().await;
    for typed in ["4611 AB", "4611ab", "4611"] {
        let created = app.intake(&with_place(typed)).await;
        let case = app.case(&created).await;
        assert_eq!(case["location"]["place"], "Bergen op Zoom", "{typed}");
        assert_eq!(case["location"]["province"], "Noord-Brabant", "{typed}");
    }
    // 1000 is a PO-box range: no place of its own.
    let error = field_error(app.submit_intake(&with_place("1000 AA")).await, "location").await;
    assert_eq!(error["code"], "postcode_unknown");
    assert!(error["message"].as_str().unwrap().contains("place name"));
}

#[tokio::test]
async fn an_empty_place_says_it_is_missing() {
    let app = spawn_app().await;
    let error = field_error(app.submit_intake(&with_place("  ")).await, "location").await;
    assert_eq!(error["code"], "place_missing");
    let error = field_error(app.submit_intake(&with_place("Atlantis")).await, "location").await;
    assert_eq!(error["code"], "place_unknown");
}

fn page_fields(place: &str) -> Vec<(&str, &str)> {
    vec![
        ("incident_type", "ransomware"),
        ("urgency", "acute"),
        ("description", "Alles is versleuteld, ook de back-up."),
        ("place", place),
        ("language", "nl"),
        ("contact_name", "Jan de Vries"),
        ("contact_email", "jan@bakkerij-devries.nl"),
        ("consent_to_share", "yes"),
        ("disclaimer_accepted", "yes"),
    ]
}

#[tokio::test]
async fn the_intake_page_offers_the_places_of_an_ambiguous_name_and_keeps_what_was_typed() {
    let app = spawn_app().await;
    let victim = app.page_client("nl");
    let refused = victim
        .submit("/intake", "/intake", &page_fields("Bergen"))
        .await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(
        html.contains("Er zijn meerdere plaatsen met deze naam."),
        "message"
    );
    assert!(
        html.contains("Welke plaats bedoelt u?"),
        "the choice's legend"
    );
    for (value, shown) in [
        ("Bergen (Noord-Holland)", "(<bdi>Noord-Holland</bdi>)"),
        ("Bergen (Limburg)", "(<bdi>Limburg</bdi>)"),
        ("Bergen op Zoom", "(<bdi>Noord-Brabant</bdi>)"),
    ] {
        assert!(
            html.contains(&format!("name=\"place_choice\" value=\"{value}\"")),
            "a radio button for {value}"
        );
        assert!(html.contains(shown), "{shown}");
    }
    assert!(html.contains(">Alles is versleuteld, ook de back-up.</textarea>"));
    assert!(html.contains("value=\"jan@bakkerij-devries.nl\""));
    assert!(html.contains("value=\"Bergen\""), "the name typed stays");

    let mut picked = page_fields("Bergen");
    picked.push(("place_choice", "Bergen (Limburg)"));
    let created = victim.submit("/intake", "/intake", &picked).await;
    assert_eq!(created.status(), 303);
    assert!(location(&created).starts_with("/case/"));
    let moderator = app.moderator_token().await;
    let stats: Value = app
        .get_auth("/api/v1/stats", &moderator)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        stats["by_province"]["Limburg"], 1,
        "the case is in Limburg: {stats}"
    );

    // A name typed anew wins over an old pick.
    let mut retyped = page_fields("Atlantis");
    retyped.push(("place_choice", "Bergen (Limburg)"));
    let refused = victim.submit("/intake", "/intake", &retyped).await;
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap().contains("value=\"Atlantis\""));
}

#[tokio::test]
async fn the_intake_page_says_fill_in_your_place_and_reads_postcodes() {
    let app = spawn_app().await;
    for (lang, wanted) in [("nl", "Vul uw plaats in."), ("en", "Fill in your place.")] {
        let refused = app
            .page_client(lang)
            .submit("/intake", "/intake", &page_fields(""))
            .await;
        assert_eq!(refused.status(), 422);
        let html = refused.text().await.unwrap();
        assert!(html.contains(wanted), "{lang}");
        assert!(!html.contains("We kennen deze plaats niet"), "{lang}");
        assert!(!html.contains("We do not know this place"), "{lang}");
    }
    let victim = app.page_client("nl");
    let refused = victim
        .submit("/intake", "/intake", &page_fields("1000 AA"))
        .await;
    assert_eq!(refused.status(), 422);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("Deze postcode kennen we niet. Vul de naam van uw plaats in.")
    );
    let created = victim
        .submit("/intake", "/intake", &page_fields("4611 AB"))
        .await;
    assert_eq!(created.status(), 303);
    let (_, case) = victim.page(&location(&created)).await;
    assert!(case.contains("Bergen op Zoom"));
}

#[tokio::test]
async fn the_registration_page_offers_the_same_choice() {
    let app = spawn_app().await;
    let expert = app.page_client("en");
    let fields = [
        ("company_name", "Veilig IT B.V."),
        ("place", "Bergen"),
        ("radius_km", "40"),
    ];
    let refused = expert
        .submit("/experts/register", "/experts/register", &fields)
        .await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains("Several places have this name."));
    assert!(html.contains("value=\"Bergen (Noord-Holland)\""));
    assert!(html.contains("value=\"Veilig IT B.V.\""), "input kept");
}

#[tokio::test]
async fn use_my_location_stays_hidden_until_the_script_shows_it() {
    let app = spawn_app().await;
    let (_, html) = app.page_client("nl").page("/intake").await;
    assert!(html.contains("data-geolocate hidden"));
    let css = app.get("/static/app.css").await.text().await.unwrap();
    assert!(
        css.contains("[hidden] { display: none !important; }"),
        "the hidden attribute beats button styles"
    );
}
