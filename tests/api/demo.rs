//! `seed-demo` and the candidate query that matching will use.

use hackhelpdesk::db::models::{code_of_conduct, expert};
use hackhelpdesk::domain::IncidentType;
use serde_json::Value;

use crate::helpers::{TestDb, run_cli, spawn_app};

#[tokio::test]
async fn seed_demo_creates_approved_experts_across_the_country_who_can_log_in() {
    let db = TestDb::new();
    let env = [("DATABASE_URL", db.url.as_str())];
    let out = run_cli(&["seed-demo", "--experts", "40"], &env, &db.dir(), "").await;
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(
        out.stdout.contains("created 40 approved demo experts"),
        "{}",
        out.stdout
    );
    let again = run_cli(&["seed-demo", "--experts", "5"], &env, &db.dir(), "").await;
    assert!(
        again.stdout.contains("45 demo experts in all"),
        "{}",
        again.stdout
    );

    let app = spawn_app_with_db(db).await;
    let token = app
        .token_for(
            "demo-000045@demo.invalid",
            hackhelpdesk::demo::DEMO_PASSWORD,
        )
        .await;
    let me: Value = app
        .get_auth("/api/v1/experts/me", &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["status"], "approved");
    assert_eq!(me["matchable"], true);

    let rows = app
        .state
        .db
        .run(|conn| expert::list(conn, None, None, 100))
        .await
        .unwrap();
    let provinces: std::collections::BTreeSet<String> =
        rows.iter().map(|r| r.base_province.clone()).collect();
    assert!(
        provinces.len() >= 5,
        "spread over the country: {provinces:?}"
    );
}

async fn spawn_app_with_db(db: TestDb) -> crate::helpers::TestApp {
    crate::helpers::spawn_app_on(db).await
}

#[tokio::test]
async fn candidates_are_approved_unpaused_current_and_have_the_expertise() {
    let app = spawn_app().await;
    let moderator = app.moderator_token().await;
    let mut ids = Vec::new();
    for n in 1..=3 {
        let id = app.pending_expert(n).await;
        app.moderate(&moderator, &id, "approve", None).await;
        ids.push(id);
    }
    app.pending_expert(4).await; // pending: never a candidate
    let paused = app
        .token_for("info2@veilig-it.nl", crate::helpers::EXPERT_PASSWORD)
        .await;
    app.post_auth("/api/v1/experts/me/pause", &paused, &serde_json::json!({}))
        .await;

    let (ransomware, ddos) = app
        .state
        .db
        .run(|conn| {
            let current = code_of_conduct::current_version(conn)?;
            Ok((
                expert::candidates(conn, IncidentType::Ransomware, current)?,
                expert::candidates(conn, IncidentType::Ddos, current)?,
            ))
        })
        .await
        .unwrap();
    let mut found: Vec<String> = ransomware.into_iter().map(|r| r.id.into()).collect();
    found.sort();
    let mut expected = vec![ids[0].clone(), ids[2].clone()];
    expected.sort();
    assert_eq!(found, expected);
    assert!(ddos.is_empty());
}
