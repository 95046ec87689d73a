//! Match reasons are stored as codes and read in the reader's language: a case created in Dutch
//! shows its reasons in Arabic on an Arabic page, in English on an English page and in the API
//! when asked for English; reasons stored as Dutch sentences before there were codes are turned
//! into codes once, at start-up, and then read in every language too.

use diesel::prelude::*;
use hackhelpdesk::db::schema::{data_steps, intake_matches};
use serde_json::{Value, json};

use crate::helpers::{MODERATOR_PASSWORD, TestApp, case_of, expert_at, intake_body, spawn_app};

const DUTCH: [&str; 5] = [
    "1 km van Bergen op Zoom",
    "specialist in ransomware",
    "spreekt Nederlands",
    "dag en nacht bereikbaar (24/7)",
    "heeft nu ruimte voor een nieuwe zaak",
];
const ENGLISH: [&str; 5] = [
    "1 km from Bergen op Zoom",
    "ransomware specialist",
    "speaks Dutch",
    "available 24/7",
    "has room for a new case now",
];
const ARABIC: [&str; 5] = [
    "على بعد 1 كم من Bergen op Zoom",
    "متخصص في برامج الفدية",
    "يتحدث الهولندية",
    "متاح ليلًا ونهارًا (24/7)",
    "لديه متسع لحالة جديدة الآن",
];

/// A Dutch intake from Bergen op Zoom with one expert there, reachable day and night.
async fn dutch_case(app: &TestApp) -> Value {
    let moderator = app.moderator_token().await;
    let changes = json!({ "available_24_7": true });
    app.approved_expert(&moderator, &expert_at(1, "Bergen op Zoom", changes))
        .await;
    let created = app.intake(&intake_body()).await;
    assert_eq!(created["matches"].as_array().unwrap().len(), 1);
    created
}

fn texts(m: &Value) -> Vec<&str> {
    m["reasons"]
        .as_array()
        .expect("reasons")
        .iter()
        .map(|r| r.as_str().expect("text"))
        .collect()
}

/// The case page in `lang`: every reason in `expected` is on it and no Dutch reason is.
async fn assert_page_reads(app: &TestApp, created: &Value, lang: &str, expected: &[&str]) {
    let path = format!("/case/{}", case_of(created).1);
    let (status, html) = app.reader(lang).await.page(&path).await;
    assert_eq!(status, 200);
    for reason in expected {
        assert!(html.contains(reason), "{lang} page lacks {reason:?}");
    }
    if lang != "nl" {
        for dutch in DUTCH {
            assert!(!html.contains(dutch), "{lang} page shows Dutch {dutch:?}");
        }
    }
}

#[tokio::test]
async fn an_arabic_or_english_page_shows_the_reasons_of_a_dutch_case_in_its_own_language() {
    let app = spawn_app().await;
    let created = dutch_case(&app).await;
    assert_eq!(
        texts(&created["matches"][0]),
        DUTCH,
        "the victim's language"
    );
    assert_eq!(
        created["matches"][0]["reason_codes"],
        json!([
            {"code": "distance", "km": 1, "place": "Bergen op Zoom"},
            {"code": "expertise", "incident": "ransomware"},
            {"code": "speaks", "language": "nl"},
            {"code": "available_24_7"},
            {"code": "has_room"},
        ])
    );

    assert_page_reads(&app, &created, "ar", &ARABIC).await;
    assert_page_reads(&app, &created, "en", &ENGLISH).await;
    assert_page_reads(&app, &created, "nl", &DUTCH).await;

    let (id, token) = case_of(&created);
    for path in [
        format!("/api/v1/intakes/{id}?lang=en"),
        format!("/api/v1/intakes/{id}"),
    ] {
        let response = app
            .client
            .get(app.url(&path))
            .bearer_auth(token)
            .header("accept-language", "en-GB,en;q=0.9")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let case: Value = response.json().await.unwrap();
        assert_eq!(texts(&case["matches"][0]), ENGLISH, "{path}");
        assert_eq!(
            case["matches"][0]["reason_codes"],
            created["matches"][0]["reason_codes"]
        );
    }
    let plain = app.case(&created).await;
    assert_eq!(
        texts(&plain["matches"][0]),
        DUTCH,
        "unasked: the case's language"
    );
}

#[tokio::test]
async fn the_audit_log_keeps_codes_not_sentences() {
    let app = spawn_app().await;
    dutch_case(&app).await;
    let moderator = app.token_for("moderator@pvo.nl", MODERATOR_PASSWORD).await;
    let audit: Value = app
        .get_auth(
            "/api/v1/moderation/audit?action=referral.offered",
            &moderator,
        )
        .await
        .json()
        .await
        .unwrap();
    let entry = &audit.as_array().expect("entries")[0];
    assert_eq!(entry["details"]["reason_codes"][0]["code"], "distance");
    assert!(
        !entry.to_string().contains("km van"),
        "no sentence: {entry}"
    );
}

#[tokio::test]
async fn reasons_stored_as_dutch_sentences_read_in_english_and_arabic_after_the_next_start() {
    let app = spawn_app().await;
    let created = dutch_case(&app).await;
    let (id, _) = case_of(&created);
    // As the rows were before reasons became codes: the Dutch sentences, one of them of a shape
    // no version ever wrote; and the one-time step not yet done.
    let mut old: Vec<&str> = DUTCH.to_vec();
    old.push("onbekende oude reden");
    let old = json!(old).to_string();
    let intake_id = id.to_owned();
    app.state
        .db
        .run(move |conn| {
            diesel::update(intake_matches::table.filter(intake_matches::intake_id.eq(&intake_id)))
                .set(intake_matches::reason_codes.eq(old))
                .execute(conn)?;
            diesel::delete(data_steps::table).execute(conn)?;
            Ok(())
        })
        .await
        .unwrap();

    let app = app.restart().await;

    let mut english = ENGLISH.to_vec();
    english.push("onbekende oude reden");
    assert_page_reads(&app, &created, "en", &english).await;
    assert_page_reads(&app, &created, "ar", &ARABIC).await;
    let case = app.case(&created).await;
    assert_eq!(
        case["matches"][0]["reason_codes"][5],
        json!({"code": "legacy", "text": "onbekende oude reden"})
    );
    assert_eq!(case["matches"][0]["reason_codes"][0]["code"], "distance");
    let ran: i64 = app
        .state
        .db
        .run(|conn| Ok(data_steps::table.count().get_result(conn)?))
        .await
        .unwrap();
    assert_eq!(ran, 1, "the step is recorded, so it runs once");
}
