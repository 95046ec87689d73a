//! The in-memory candidate index stays exact: changes made through the API on this instance or on
//! another instance of the same database reach the next intake, and the write transaction never
//! records an expert that may no longer be asked, even when an index is behind.

use diesel::prelude::*;
use hackhelpdesk::db::schema::experts;
use hackhelpdesk::domain::IncidentType;
use hackhelpdesk::http::AppState;
use hackhelpdesk::matching::{Match, MatchRequest};
use serde_json::{Value, json};

use crate::helpers::{EXPERT_PASSWORD, TestApp, expert_at, intake_body, spawn_app_with};

/// Submits `body` as an intake to the instance at `address`; returns the 201 body.
async fn intake_on(app: &TestApp, address: &str, body: &Value) -> Value {
    let response = app
        .client
        .post(format!("{address}/api/v1/intakes"))
        .json(body)
        .send()
        .await
        .expect("request sent");
    assert_eq!(response.status(), 201, "{:?}", response.text().await);
    response.json().await.expect("json")
}

/// A victim who may do remote work with anyone (no on-site need, no conflicts of interest).
fn remote_intake(place: &str) -> Value {
    let mut body = intake_body();
    body["location"] = json!({ "place": place });
    body["needs_on_site"] = json!(false);
    body
}

#[tokio::test]
async fn an_instance_never_offers_an_expert_another_instance_just_suspended_or_filled() {
    let app = spawn_app_with(&[("RATE_LIMITS", "off")]).await;
    let other = app.spawn_instance().await;
    let moderator = app.moderator_token().await;
    let first = app
        .approved_expert(&moderator, &expert_at(1, "Bergen op Zoom", json!({})))
        .await;
    let second = app
        .approved_expert(
            &moderator,
            &expert_at(2, "Roosendaal", json!({ "capacity": 1 })),
        )
        .await;

    // Approved on this instance, offered by the other at once.
    let created = intake_on(&app, &other.address, &intake_body()).await;
    assert_eq!(
        TestApp::match_ids(&created),
        [first.clone(), second.clone()]
    );

    // Suspended here: the other instance's very next intake leaves it out.
    let suspended = app
        .moderate(&moderator, &first, "suspend", Some("verkooppraatjes"))
        .await;
    assert_eq!(suspended.status(), 200);
    let after_suspension = intake_on(&app, &other.address, &intake_body()).await;
    assert_eq!(
        TestApp::match_ids(&after_suspension),
        std::slice::from_ref(&second)
    );

    // Filled here: a request waiting for the second expert's answer takes its only place.
    let victim = app.intake(&intake_body()).await;
    let requests = app.ask_ok(&victim, &[&second]).await;
    let while_full = intake_on(&app, &other.address, &intake_body()).await;
    assert!(TestApp::match_ids(&while_full).is_empty(), "{while_full:#}");
    assert_eq!(while_full["status"], "unmatched");

    // Declined here: the place is free again, on the other instance too.
    let token = app.token_for("info2@veilig-it.nl", EXPERT_PASSWORD).await;
    let declined = app
        .respond(&requests[0], "decline", &token, &json!({ "reason": "vol" }))
        .await;
    assert_eq!(declined.status(), 200, "{:?}", declined.text().await);
    let freed = intake_on(&app, &other.address, &intake_body()).await;
    assert_eq!(TestApp::match_ids(&freed), [second]);
    other.handle.stop(true).await;
}

#[tokio::test]
async fn the_write_transaction_rechecks_the_chosen_experts_when_the_index_is_behind() {
    let app = spawn_app_with(&[("RATE_LIMITS", "off")]).await;
    let moderator = app.moderator_token().await;
    let near = app
        .approved_expert(&moderator, &expert_at(1, "Bergen op Zoom", json!({})))
        .await;
    let farther = app
        .approved_expert(&moderator, &expert_at(2, "Roosendaal", json!({})))
        .await;
    let created = app.intake(&intake_body()).await;
    assert_eq!(
        TestApp::match_ids(&created),
        [near.clone(), farther.clone()]
    );

    // Ranked from the index; then, before the intake's write transaction, the near expert is
    // suspended elsewhere (the log has it, the index has not read it): the transaction finds
    // it in the log, checks again and ranks the next one up.
    let state = app.state.clone();
    let (before, confirmed) = app
        .state
        .db
        .run(move |conn| {
            let request = bergen_op_zoom(IncidentType::Ransomware, true);
            let ranked = state.candidates.rank(conn, &request)?;
            let before: Vec<String> = ranked
                .matches
                .iter()
                .map(|m| m.expert_id.to_string())
                .collect();
            diesel::update(experts::table.find(&near))
                .set(experts::status.eq("suspended"))
                .execute(conn)?;
            let confirmed = hackhelpdesk::db::write_tx(conn, |conn| {
                state.candidates.confirm(conn, &request, ranked)
            })?;
            let confirmed: Vec<String> =
                confirmed.into_iter().map(|m| m.expert_id.into()).collect();
            Ok((before, confirmed))
        })
        .await
        .unwrap();
    assert_eq!(before.len(), 2, "both were ranked: {before:?}");
    assert_eq!(
        confirmed,
        [farther],
        "the suspended expert is dropped in the write transaction, the next one moves up"
    );
}

fn bergen_op_zoom(incident: IncidentType, needs_on_site: bool) -> MatchRequest {
    MatchRequest {
        incident_type: incident,
        remote_possible: true,
        needs_on_site,
        lat: 51.495,
        lon: 4.29167,
        place: "Bergen op Zoom".into(),
        language: "nl".into(),
        victim_kvk: None,
        victim_email_domain: String::new(),
        exclude: Vec::new(),
    }
}

/// What the index ranks and what the slow reference ranks over the database, for a spread of
/// intakes (every incident type the experts have, near and far, on site and remote).
async fn rankings(state: &actix_web::web::Data<AppState>) -> Vec<(Vec<Match>, Vec<Match>)> {
    let state = state.clone();
    let db = state.db.clone();
    db.run(move |conn| {
        let mut out = Vec::new();
        for incident in [
            IncidentType::Ransomware,
            IncidentType::Phishing,
            IncidentType::Ddos,
        ] {
            for (place, lat, lon) in [
                ("Bergen op Zoom", 51.495, 4.29167),
                ("Groningen", 53.21917, 6.56667),
                ("Utrecht", 52.0907, 5.1214),
            ] {
                for needs_on_site in [true, false] {
                    let request = MatchRequest {
                        incident_type: incident,
                        remote_possible: true,
                        needs_on_site,
                        lat,
                        lon,
                        place: place.into(),
                        language: "nl".into(),
                        victim_kvk: None,
                        victim_email_domain: String::new(),
                        exclude: Vec::new(),
                    };
                    let indexed = state.candidates.rank(conn, &request)?.matches;
                    let reference = hackhelpdesk::intakes::pool::reference_ranking(conn, &request)?;
                    out.push((indexed, reference));
                }
            }
        }
        Ok(out)
    })
    .await
    .unwrap()
}

fn assert_same(label: &str, pairs: &[(Vec<Match>, Vec<Match>)]) {
    assert!(
        pairs.iter().any(|(_, r)| !r.is_empty()),
        "{label}: nothing to compare"
    );
    for (indexed, reference) in pairs {
        let a: Vec<_> = indexed
            .iter()
            .map(|m| (&m.expert_id, m.mode, m.distance_km, &m.reasons))
            .collect();
        let b: Vec<_> = reference
            .iter()
            .map(|m| (&m.expert_id, m.mode, m.distance_km, &m.reasons))
            .collect();
        assert_eq!(a, b, "{label}: the index ranks as the database does");
    }
}

const CODE_V2: &str =
    "Versie 2: gratis eerste hulp, geen verkooppraatje, vertrouwelijkheid, geen toegang.";

#[tokio::test]
async fn both_instances_rank_as_the_database_after_every_kind_of_change() {
    let app = spawn_app_with(&[("RATE_LIMITS", "off")]).await;
    let other = app.spawn_instance().await;
    let moderator = app.moderator_token().await;
    let mut ids = Vec::new();
    for (n, place, changes) in [
        (1, "Bergen op Zoom", json!({ "remote": true })),
        (2, "Roosendaal", json!({ "capacity": 1 })),
        (
            3,
            "Groningen",
            json!({ "remote": true, "expertise": ["phishing", "ddos"] }),
        ),
        (4, "Utrecht", json!({ "remote": true, "radius_km": 5 })),
        (5, "Goes", json!({})),
    ] {
        ids.push(
            app.approved_expert(&moderator, &expert_at(n, place, changes))
                .await,
        );
    }
    assert_same("after approval, here", &rankings(&app.state).await);
    assert_same("after approval, there", &rankings(&other.state).await);

    // A referral (fair rotation), a waiting request (capacity), a pause, a profile change (place,
    // radius, expertise, capacity), a suspension, and a new code of conduct, each checked on
    // both instances.
    let victim = app.intake(&remote_intake("Bergen op Zoom")).await;
    assert_same("after a referral", &rankings(&other.state).await);
    app.ask_ok(&victim, &[&ids[1]]).await;
    assert_same("after a request", &rankings(&other.state).await);
    let third = app.token_for("info3@veilig-it.nl", EXPERT_PASSWORD).await;
    let paused = app
        .post_auth("/api/v1/experts/me/pause", &third, &json!({}))
        .await;
    assert_eq!(paused.status(), 200);
    assert_same("after a pause", &rankings(&other.state).await);
    let fourth = app.token_for("info4@veilig-it.nl", EXPERT_PASSWORD).await;
    let moved = app
        .patch_auth(
            "/api/v1/experts/me",
            &fourth,
            &json!({
                "base": { "place": "Groningen" }, "radius_km": 40,
                "expertise": ["ransomware", "ddos"], "capacity": 2
            }),
        )
        .await;
    assert_eq!(moved.status(), 200, "{:?}", moved.text().await);
    assert_same("after a profile change, here", &rankings(&app.state).await);
    assert_same(
        "after a profile change, there",
        &rankings(&other.state).await,
    );
    let suspended = app
        .moderate(&moderator, &ids[4], "suspend", Some("klachten"))
        .await;
    assert_eq!(suspended.status(), 200);
    assert_same("after a suspension", &rankings(&other.state).await);
    let published = app
        .post_auth(
            "/api/v1/moderation/code-of-conduct",
            &moderator,
            &json!({ "text_nl": CODE_V2, "text_en": format!("{CODE_V2} (English)") }),
        )
        .await;
    assert_eq!(published.status(), 201);
    let after_code: Vec<_> = rankings(&other.state).await;
    assert!(
        after_code.iter().all(|(indexed, _)| indexed.is_empty()),
        "nobody has accepted version 2 yet"
    );
    let first = app.token_for("info1@veilig-it.nl", EXPERT_PASSWORD).await;
    let accepted = app
        .post_auth(
            "/api/v1/experts/me/code-of-conduct",
            &first,
            &json!({ "version": 2 }),
        )
        .await;
    assert_eq!(accepted.status(), 200);
    assert_same(
        "after accepting the new code",
        &rankings(&other.state).await,
    );
    other.handle.stop(true).await;
}

#[tokio::test]
async fn an_idle_instance_learns_of_changes_within_a_second_or_so() {
    let app = spawn_app_with(&[("RATE_LIMITS", "off")]).await;
    let other = app.spawn_instance().await;
    let moderator = app.moderator_token().await;
    assert!(other.state.candidates.is_empty());
    app.approved_expert(&moderator, &expert_at(1, "Bergen op Zoom", json!({})))
        .await;
    // No intake on the other instance: its background task alone must bring the news. Twice a
    // second by design; the deadline leaves room for a busy test machine.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while other.state.candidates.is_empty() {
        assert!(
            std::time::Instant::now() < deadline,
            "the idle instance never learnt of the approval"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    other.handle.stop(true).await;
}
