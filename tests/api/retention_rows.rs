//! Retention of everything else: sent emails lose their text after 30 days (unsent ones never),
//! dead sessions, expired verification links and forgotten login-throttle rows are deleted while
//! live ones stay.

use chrono::Duration;
use diesel::prelude::*;
use hackhelpdesk::db::schema::{expert_verification_tokens, login_throttle, sessions};
use hackhelpdesk::i18n::Lang;
use hackhelpdesk::mail::transport::eml_path;
use serde_json::json;

use crate::helpers::{MODERATOR_PASSWORD, TestApp, expert_body, spawn_app, spawn_app_driven};

async fn count(app: &TestApp, table: &'static str) -> i64 {
    app.state
        .db
        .run(move |conn| {
            Ok(match table {
                "sessions" => sessions::table.count().get_result(conn)?,
                "verification" => expert_verification_tokens::table.count().get_result(conn)?,
                _ => login_throttle::table.count().get_result(conn)?,
            })
        })
        .await
        .unwrap()
}

#[tokio::test]
async fn sent_emails_lose_their_text_after_30_days_whatever_the_case() {
    let app = spawn_app_driven(&[]).await;
    // An expert's email (no intake) and a victim's.
    let registered = app.register_expert(&expert_body(1)).await;
    assert_eq!(registered.status(), 201);
    let created = app.intake(&crate::helpers::intake_body()).await;
    assert!(created["id"].is_string());
    let expert_mail = app.emails_to("info1@veilig-it.nl").await;
    let victim_mail = app.emails_to("jan@bakkerij-devries.nl").await;
    let ids: Vec<String> = expert_mail
        .iter()
        .chain(&victim_mail)
        .map(|m| m.id.clone())
        .collect();
    assert!(expert_mail.len() == 1 && !victim_mail.is_empty());
    let sent = app.deliver_all(&ids).await;
    let dir = &app.state.settings.mail_dir;
    assert!(ids.iter().all(|id| eml_path(dir, id).exists()));

    app.clock.advance(Duration::days(29));
    assert_eq!(app.run_lifecycle().await.retention.email_texts_dropped, 0);
    assert_eq!(app.outbox_row(&ids[0]).await.text_body, sent[0].text_body);

    app.clock.advance(Duration::days(2));
    let report = app.run_lifecycle().await;
    assert_eq!(report.retention.email_texts_dropped, ids.len());
    for before in &sent {
        let after = app.outbox_row(&before.id).await;
        assert_eq!(after.recipient, "", "{}", before.template);
        assert_eq!(after.subject, "[removed]");
        assert!(after.text_body.is_empty() && after.html_body.is_empty());
        // What the audit needs stays.
        assert_eq!(after.template, before.template);
        assert_eq!(after.sent_at, before.sent_at);
        assert!(after.recipient_hash.is_some());
        assert_eq!(after.recipient_hash, before.recipient_hash);
        assert!(!eml_path(dir, &after.id).exists(), "file copy deleted");
    }
    assert_eq!(app.run_lifecycle().await.retention.email_texts_dropped, 0);
}

#[tokio::test]
async fn unsent_emails_keep_their_text() {
    // Nothing listens on port 9: every delivery fails and is retried later.
    let app = spawn_app_driven(&[("SMTP_URL", "smtp://127.0.0.1:9")]).await;
    let ids = app
        .enqueue_emails(
            "test_email",
            Lang::En,
            &["someone@example.nl"],
            json!({ "transport": "smtp" }),
        )
        .await;
    assert_eq!(app.deliver_due_mail().await.retried, 1, "tried and failed");
    app.clock.advance(Duration::days(40));
    app.run_lifecycle().await;
    let row = app.outbox_row(&ids[0]).await;
    assert!(row.sent_at.is_none());
    assert_eq!(row.recipient, "someone@example.nl");
    assert!(!row.text_body.is_empty());
}

#[tokio::test]
async fn dead_sessions_expired_links_and_forgotten_throttles_are_deleted_live_ones_kept() {
    let app = spawn_app().await;
    app.create_moderator("moderator@pvo.nl", MODERATOR_PASSWORD)
        .await;
    let old = app.token_for("moderator@pvo.nl", MODERATOR_PASSWORD).await;
    let revoked = app.token_for("moderator@pvo.nl", MODERATOR_PASSWORD).await;
    assert_eq!(app.logout(&revoked).await.status(), 204);
    assert_eq!(app.register_expert(&expert_body(1)).await.status(), 201);
    let wrong = app
        .login("ghost@example.nl", "not the password at all")
        .await;
    assert_eq!(wrong.status(), 401);
    let throttles = count(&app, "throttle").await;
    assert!(throttles >= 1);

    // 13 hours on: the first session expired (12 h), the verification link (48 h) lives on, the
    // login failure (forgotten after 1 h) is gone.
    app.clock.advance(Duration::hours(13));
    let live = app.token_for("moderator@pvo.nl", MODERATOR_PASSWORD).await;
    let report = app.run_lifecycle().await.retention;
    assert_eq!(report.sessions_deleted, 2, "expired and revoked");
    assert_eq!(report.throttle_rows_deleted as i64, throttles);
    assert_eq!(report.verification_links_deleted, 0);
    assert_eq!(count(&app, "sessions").await, 1);
    assert_eq!(
        app.get_auth("/api/v1/moderation/experts", &live)
            .await
            .status(),
        200
    );
    assert_eq!(
        app.get_auth("/api/v1/moderation/experts", &old)
            .await
            .status(),
        401
    );
    assert_eq!(count(&app, "verification").await, 1);
    assert_eq!(count(&app, "throttle").await, 0);
    let wrong = app
        .login("ghost@example.nl", "not the password at all")
        .await;
    assert_eq!(wrong.status(), 401);
    assert_eq!(
        app.run_lifecycle().await.retention.throttle_rows_deleted,
        0,
        "fresh"
    );
    assert_eq!(count(&app, "throttle").await, throttles);

    app.clock.advance(Duration::hours(36));
    let report = app.run_lifecycle().await.retention;
    assert_eq!(report.verification_links_deleted, 1);
    assert_eq!(count(&app, "verification").await, 0);
    assert_eq!(report.throttle_rows_deleted as i64, throttles);
}
