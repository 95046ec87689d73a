//! The audit log's hash chain: `hackhelpdesk verify-audit` (the real binary) passes on an
//! untouched log and, after an intruder drops the append-only triggers, names the first entry
//! that was rewritten, removed or inserted. Concurrent writers on two instances keep the chain
//! intact, and the moderators' audit page says whether it verifies.

use diesel::connection::SimpleConnection;
use serde_json::{Value, json};

use crate::helpers::{
    CliOutput, MODERATOR_PASSWORD, TestApp, expert_body, intake_body, run_cli, spawn_app,
    spawn_app_with,
};

/// A flow's worth of entries: an expert registered, verified and approved, an intake matched.
async fn with_a_flow() -> TestApp {
    let app = spawn_app().await;
    let moderator = app.moderator_token().await;
    app.approved_expert(&moderator, &expert_body(1)).await;
    app.intake(&intake_body()).await;
    assert!(entries(&app).await >= 4, "enough entries to tamper with");
    app
}

async fn entries(app: &TestApp) -> i64 {
    app.state
        .db
        .run(|conn| {
            use diesel::prelude::*;
            Ok(hackhelpdesk::db::schema::audit_log::table
                .count()
                .get_result(conn)?)
        })
        .await
        .unwrap()
}

/// The id of the chained entry `seq`.
async fn id_at(app: &TestApp, seq: i64) -> String {
    app.state
        .db
        .run(move |conn| {
            use diesel::prelude::*;
            use hackhelpdesk::db::schema::audit_log;
            Ok(audit_log::table
                .filter(audit_log::seq.eq(seq))
                .select(audit_log::id)
                .first::<String>(conn)?)
        })
        .await
        .unwrap()
}

/// What an intruder with the database's credentials does: switch off the append-only triggers,
/// then change the table.
async fn tamper(app: &TestApp, sql: &'static str) {
    let unguard = if app.db.backend() == "postgres" {
        "ALTER TABLE audit_log DISABLE TRIGGER USER;"
    } else {
        "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;"
    };
    app.state
        .db
        .run(move |conn| Ok(conn.batch_execute(&format!("{unguard} {sql}"))?))
        .await
        .unwrap();
}

async fn verify_audit(app: &TestApp) -> CliOutput {
    run_cli(
        &["verify-audit"],
        &[("DATABASE_URL", app.db.url.as_str())],
        &app.db.dir(),
        "",
    )
    .await
}

/// Exit 1 with one line on stderr that names `id` (and `seq` when given).
fn assert_broken_at(out: &CliOutput, seq: Option<i64>, id: &str) {
    assert_eq!(out.code, Some(1), "{} / {}", out.stdout, out.stderr);
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line: {:?}", out.stderr);
    assert!(lines[0].contains("broken at entry"), "{}", lines[0]);
    assert!(lines[0].contains(id), "names {id}: {}", lines[0]);
    if let Some(seq) = seq {
        assert!(lines[0].contains(&format!("#{seq} ")), "{}", lines[0]);
    }
}

#[tokio::test]
async fn verify_audit_passes_on_an_untouched_log_and_prints_the_head_hash() {
    let app = with_a_flow().await;
    let out = verify_audit(&app).await;
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let n = entries(&app).await;
    assert!(
        out.stdout.contains(&format!("intact: {n} entries")),
        "{}",
        out.stdout
    );
    let head: String = app
        .state
        .db
        .run(hackhelpdesk::db::models::audit_chain::head)
        .await
        .unwrap()
        .expect("a head")
        .1;
    assert_eq!(head.len(), 64);
    assert!(out.stdout.contains(&head), "{}", out.stdout);
}

#[tokio::test]
async fn a_rewritten_entry_is_named() {
    let app = with_a_flow().await;
    let second = id_at(&app, 2).await;
    tamper(&app, "UPDATE audit_log SET reason = 'forged' WHERE seq = 2").await;
    assert_broken_at(&verify_audit(&app).await, Some(2), &second);
}

#[tokio::test]
async fn a_removed_entry_is_detected_at_the_entry_after_it() {
    let app = with_a_flow().await;
    let third = id_at(&app, 3).await;
    tamper(&app, "DELETE FROM audit_log WHERE seq = 2").await;
    let out = verify_audit(&app).await;
    assert_broken_at(&out, Some(3), &third);
    assert!(
        out.stderr.contains("#2 before it was removed"),
        "{}",
        out.stderr
    );
}

#[tokio::test]
async fn an_inserted_entry_is_named() {
    let app = with_a_flow().await;
    tamper(
        &app,
        "INSERT INTO audit_log (id, occurred_at, actor_kind, actor_id, action, subject_kind, \
         subject_id, details) VALUES ('forged-entry', '2026-01-01 12:00:00', 'moderator', \
         'm-1', 'expert.approved', 'expert', 'e-1', '{}')",
    )
    .await;
    assert_broken_at(&verify_audit(&app).await, None, "forged-entry");
}

#[tokio::test]
async fn an_entry_appended_with_a_made_up_hash_is_named() {
    let app = with_a_flow().await;
    let next = entries(&app).await + 1;
    let sql: &'static str = format!(
        "INSERT INTO audit_log (id, occurred_at, actor_kind, action, subject_kind, subject_id, \
         details, seq, prev_hash, hash) SELECT 'forged-tail', occurred_at, actor_kind, action, \
         subject_kind, subject_id, details, {next}, hash, hash FROM audit_log WHERE seq = {}",
        next - 1
    )
    .leak();
    tamper(&app, sql).await;
    assert_broken_at(&verify_audit(&app).await, Some(next), "forged-tail");
}

#[tokio::test]
async fn entries_from_before_the_chain_are_its_genesis_and_protected_too() {
    let app = spawn_app().await;
    // As after an upgrade: entries written before the chain existed have no seq or hashes.
    app.state
        .db
        .run(|conn| {
            Ok(conn.batch_execute(
                "INSERT INTO audit_log (id, occurred_at, actor_kind, action, subject_kind, \
                 subject_id, details) VALUES \
                 ('legacy-1', '2026-01-01 09:00:00', 'system', 'expert.registered', 'expert', 'e-1', '{}'), \
                 ('legacy-2', '2026-01-02 09:00:00', 'system', 'expert.verified', 'expert', 'e-1', '{}')",
            )?)
        })
        .await
        .unwrap();
    app.pending_expert(1).await;
    let out = verify_audit(&app).await;
    assert_eq!(out.code, Some(0), "{}", out.stderr);

    let first_chained = id_at(&app, 1).await;
    tamper(
        &app,
        "UPDATE audit_log SET subject_id = 'e-2' WHERE id = 'legacy-1'",
    )
    .await;
    assert_broken_at(&verify_audit(&app).await, Some(1), &first_chained);
}

#[tokio::test]
async fn eight_concurrent_writers_on_two_instances_keep_the_chain_intact() {
    let app = spawn_app_with(&[("RATE_LIMITS", "off")]).await;
    let moderator = app.moderator_token().await;
    app.approved_expert(&moderator, &expert_body(1)).await;
    let other = app.spawn_instance().await;
    let before = entries(&app).await;
    let mut writers = Vec::new();
    for w in 0..8 {
        let base = if w % 2 == 0 {
            app.address.clone()
        } else {
            other.address.clone()
        };
        let client = app.client.clone();
        writers.push(tokio::spawn(async move {
            for i in 0..4 {
                let mut body = intake_body();
                body["contact"]["email"] = json!(format!("victim{w}-{i}@example.nl"));
                body["description"] = json!(format!(
                    "Schrijver {w}, melding {i}: alle bestanden zijn versleuteld."
                ));
                let response = client
                    .post(format!("{base}/api/v1/intakes"))
                    .json(&body)
                    .send()
                    .await
                    .expect("sent");
                assert_eq!(response.status(), 201, "{:?}", response.text().await);
            }
        }));
    }
    for writer in writers {
        writer.await.expect("writer finished");
    }
    let n = entries(&app).await;
    assert!(
        n >= before + 32 * 2,
        "each intake is audited: {before} → {n}"
    );

    let verdict: Value = app
        .get_auth("/api/v1/moderation/audit/verify", &moderator)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(verdict["intact"], true, "{verdict}");
    assert_eq!(verdict["entries"], n);
    assert_eq!(verdict["first_bad"], Value::Null);
    let newest: Value = app
        .get_auth("/api/v1/moderation/audit?limit=1", &moderator)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(newest[0]["seq"], n, "seq runs 1..=n without gaps");
    assert_eq!(newest[0]["hash"], verdict["head"]);
    let out = verify_audit(&app).await;
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    other.handle.stop(true).await;
}

#[tokio::test]
async fn the_moderators_audit_page_says_whether_the_chain_is_intact() {
    let app = with_a_flow().await;
    let browser = app.page_client("en");
    let login = browser
        .submit(
            "/login",
            "/login",
            &[
                ("email", "moderator@pvo.nl"),
                ("password", MODERATOR_PASSWORD),
            ],
        )
        .await;
    assert_eq!(login.status(), 303);
    let (status, page) = browser.page("/moderator/audit").await;
    assert_eq!(status, 200);
    assert!(page.contains("Hash chain intact"), "{page}");

    let second = id_at(&app, 2).await;
    tamper(&app, "UPDATE audit_log SET action = 'forged' WHERE seq = 2").await;
    let (_, page) = browser.page("/moderator/audit").await;
    assert!(
        page.contains(&format!("Hash chain broken at entry #2 ({second})")),
        "{page}"
    );
    let verdict: Value = app
        .get_auth(
            "/api/v1/moderation/audit/verify",
            &app.token_for("moderator@pvo.nl", MODERATOR_PASSWORD).await,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(verdict["intact"], false);
    assert_eq!(verdict["first_bad"], second.as_str());
}

#[tokio::test]
async fn a_tail_rewritten_with_fresh_hashes_is_caught_by_the_noted_head_hash() {
    let app = with_a_flow().await;
    let noted = verify_audit(&app).await;
    assert_eq!(noted.code, Some(0), "{}", noted.stderr);
    let head = noted.stdout.trim().rsplit(' ').next().unwrap().to_owned();
    // The intruder removes the last entry: the rest of the chain is still consistent.
    let last = entries(&app).await;
    let sql: &'static str = format!("DELETE FROM audit_log WHERE seq = {last}").leak();
    tamper(&app, sql).await;
    assert_eq!(verify_audit(&app).await.code, Some(0), "self-consistent");

    let out = run_cli(
        &["verify-audit", "--known-head", &head],
        &[("DATABASE_URL", app.db.url.as_str())],
        &app.db.dir(),
        "",
    )
    .await;
    assert_eq!(out.code, Some(1), "{}", out.stdout);
    assert!(
        out.stderr.contains("noted head hash is not in the chain"),
        "{}",
        out.stderr
    );
}
