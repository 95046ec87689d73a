//! When mail cannot be delivered: a temporary refusal is retried, a permanent one gives up at
//! once, a day of failures gives up too; each give-up alerts the moderators, but an alert that
//! cannot be delivered never causes another alert. And `send-test-email` for operators.

use std::time::Duration;

use chrono::Duration as Span;
use hackhelpdesk::{db::models::outbox, i18n::Lang};
use serde_json::json;

use crate::helpers::{TestApp, TestDb, run_cli, spawn_app_with};
use crate::smtp_sink::{SmtpSink, free_port, wait_for_files};

const ALERTS: &str = "alerts@pvo.nl";

async fn alert_rows(app: &TestApp) -> Vec<outbox::OutboxMessage> {
    app.state
        .db
        .run(|conn| outbox::for_recipient(conn, ALERTS))
        .await
        .unwrap()
}

#[tokio::test]
async fn a_permanent_refusal_gives_up_at_once_and_alerts_the_moderators_in_dutch() {
    let sink = SmtpSink::start().await;
    let app = spawn_app_with(&[
        ("SMTP_URL", &sink.url()),
        ("MAIL_POLL_MS", "50"),
        ("MODERATOR_ALERT_EMAIL", ALERTS),
    ])
    .await;
    let ids = app
        .enqueue_emails(
            "test_email",
            Lang::En,
            &["bounce@example.nl"],
            json!({"transport": "x"}),
        )
        .await;

    let rows = app.wait_for_outbox(&ids, |r| r.gave_up_at.is_some()).await;
    assert_eq!(rows[0].attempts, 1, "no retry after a 5xx");
    assert!(rows[0].sent_at.is_none());
    assert!(
        rows[0].last_error.as_deref().unwrap().contains("550"),
        "{rows:?}"
    );

    let received = sink.wait_for(1, Duration::from_secs(20)).await;
    assert_eq!(received.len(), 1);
    let alert = &received[0];
    assert_eq!(alert.to(), ALERTS);
    assert_eq!(alert.header("content-language"), Some("nl"));
    assert!(alert.subject().starts_with("E-mail niet afgeleverd"));
    let text = alert.part("text/plain");
    assert!(
        text.contains(&ids[0]) && text.contains("bounce@example.nl"),
        "{text}"
    );
    assert!(text.contains("550"), "{text}");
}

#[tokio::test]
async fn a_temporary_refusal_is_retried_with_growing_delays() {
    let sink = SmtpSink::start().await;
    let app = spawn_app_with(&[("SMTP_URL", &sink.url()), ("MAIL_POLL_MS", "50")]).await;
    let ids = app
        .enqueue_emails(
            "test_email",
            Lang::Nl,
            &["busy@example.nl"],
            json!({"transport": "x"}),
        )
        .await;
    let start = app.clock.now();
    let first = app.wait_for_outbox(&ids, |r| r.attempts == 1).await;
    assert_eq!((first[0].next_attempt_at - start).num_seconds(), 5);
    assert!(first[0].last_error.as_deref().unwrap().contains("451"));

    app.advance_and_wake(Span::seconds(5));
    let second = app.wait_for_outbox(&ids, |r| r.attempts == 2).await;
    assert_eq!(
        (second[0].next_attempt_at - app.clock.now()).num_seconds(),
        10
    );
    assert!(second[0].gave_up_at.is_none() && sink.messages().is_empty());
}

#[tokio::test]
async fn after_a_day_of_failures_the_worker_gives_up_and_never_alerts_about_an_alert() {
    let down = format!("smtp://127.0.0.1:{}", free_port());
    let app = spawn_app_with(&[
        ("SMTP_URL", &down),
        ("MAIL_POLL_MS", "50"),
        ("MODERATOR_ALERT_EMAIL", ALERTS),
    ])
    .await;
    let ids = app
        .enqueue_emails(
            "test_email",
            Lang::Nl,
            &["jan@example.nl"],
            json!({"transport": "x"}),
        )
        .await;
    app.wait_for_outbox(&ids, |r| r.attempts == 1).await;

    app.advance_and_wake(Span::hours(23));
    let rows = app.wait_for_outbox(&ids, |r| r.attempts == 2).await;
    assert!(rows[0].gave_up_at.is_none(), "still trying after 23 hours");
    assert!(alert_rows(&app).await.is_empty());

    app.advance_and_wake(Span::hours(2));
    app.wait_for_outbox(&ids, |r| r.gave_up_at.is_some()).await;
    let alerts = alert_rows(&app).await;
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].template, "delivery_failed");

    let alert_id = [alerts[0].id.clone()];
    app.wait_for_outbox(&alert_id, |r| r.attempts >= 1).await;
    app.advance_and_wake(Span::hours(25));
    app.wait_for_outbox(&alert_id, |r| r.gave_up_at.is_some())
        .await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(alert_rows(&app).await.len(), 1, "no alert about an alert");
}

#[tokio::test]
async fn send_test_email_reports_success_or_the_smtp_error() {
    let sink = SmtpSink::start().await;
    let db = TestDb::new();
    let url = sink.url();
    let ok = run_cli(
        &["send-test-email", "ops@example.nl", "--lang", "en"],
        &[("SMTP_URL", &url)],
        &db.dir(),
        "",
    )
    .await;
    assert_eq!(ok.code, Some(0), "{}", ok.stderr);
    assert!(ok.stdout.contains("accepted"), "{}", ok.stdout);
    let received = sink.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(received[0].to(), "ops@example.nl");
    assert_eq!(received[0].subject(), "Test message from the Hackhelpdesk");

    let refused = run_cli(
        &["send-test-email", "bounce@example.nl"],
        &[("SMTP_URL", &url)],
        &db.dir(),
        "",
    )
    .await;
    assert_eq!(refused.code, Some(1));
    assert!(refused.stderr.contains("550"), "{}", refused.stderr);

    let down = format!("smtp://user:s3cret@127.0.0.1:{}", free_port());
    let failed = run_cli(
        &["send-test-email", "ops@example.nl"],
        &[("SMTP_URL", &down)],
        &db.dir(),
        "",
    )
    .await;
    assert_eq!(failed.code, Some(1));
    assert!(failed.stderr.contains("not sent"), "{}", failed.stderr);
    assert!(!failed.stderr.contains("s3cret"), "{}", failed.stderr);

    let bad = run_cli(
        &["send-test-email", "a@b\r\nBcc: x@y.nl"],
        &[],
        &db.dir(),
        "",
    )
    .await;
    assert_eq!(bad.code, Some(1), "{}", bad.stderr);
}

#[tokio::test]
async fn send_test_email_without_smtp_writes_the_file_it_names() {
    let db = TestDb::new();
    let out = run_cli(&["send-test-email", "ops@example.nl"], &[], &db.dir(), "").await;
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(out.stdout.contains("mail-outbox"), "{}", out.stdout);
    let files = wait_for_files(&db.dir().join("mail-outbox"), 1, Duration::from_secs(5)).await;
    assert_eq!(files[0].subject(), "Testbericht van de Hackhelpdesk");
}
