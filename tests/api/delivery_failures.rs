//! When mail cannot be delivered: a temporary refusal is retried, a permanent one gives up at
//! once, a day of failures gives up too; each give-up alerts the moderators, but an alert that
//! cannot be delivered never causes another alert. And `send-test-email` for operators.
//!
//! The tests drive the mail worker (`spawn_app_driven`) and move the manual clock: each pass
//! says what it sent, retried and gave up.

use std::time::Duration;

use chrono::Duration as Span;
use hackhelpdesk::{db::models::outbox, i18n::Lang, mail::worker::Delivery};
use serde_json::json;

use crate::helpers::{TestApp, TestDb, run_cli, spawn_app_driven};
use crate::smtp_sink::{SmtpSink, free_port, wait_for_files};

fn delivery(sent: usize, retried: usize, gave_up: usize) -> Delivery {
    Delivery {
        sent,
        retried,
        gave_up,
    }
}

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
    let app =
        spawn_app_driven(&[("SMTP_URL", &sink.url()), ("MODERATOR_ALERT_EMAIL", ALERTS)]).await;
    let ids = app
        .enqueue_emails(
            "test_email",
            Lang::En,
            &["bounce@example.nl"],
            json!({"transport": "x"}),
        )
        .await;

    // One pass: the message is given up at once, and the alert it raises goes out.
    assert_eq!(app.deliver_due_mail().await, delivery(1, 0, 1));
    let row = app.outbox_row(&ids[0]).await;
    assert!(row.gave_up_at.is_some());
    assert_eq!(row.attempts, 1, "no retry after a 5xx");
    assert!(row.sent_at.is_none());
    assert!(
        row.last_error.as_deref().unwrap().contains("550"),
        "{row:?}"
    );
    assert_eq!(
        app.advance_and_deliver(Span::hours(1)).await,
        Delivery::default(),
        "never tried again"
    );

    let received = sink.messages();
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
    let app = spawn_app_driven(&[("SMTP_URL", &sink.url())]).await;
    let ids = app
        .enqueue_emails(
            "test_email",
            Lang::Nl,
            &["busy@example.nl"],
            json!({"transport": "x"}),
        )
        .await;
    let start = app.clock.now();
    assert_eq!(app.deliver_due_mail().await, delivery(0, 1, 0));
    let first = app.outbox_row(&ids[0]).await;
    assert_eq!(first.attempts, 1);
    assert_eq!((first.next_attempt_at - start).num_seconds(), 5);
    assert!(first.last_error.as_deref().unwrap().contains("451"));
    assert_eq!(
        app.advance_and_deliver(Span::seconds(4)).await,
        Delivery::default(),
        "not before the 5 s are up"
    );

    assert_eq!(
        app.advance_and_deliver(Span::seconds(1)).await,
        delivery(0, 1, 0)
    );
    let second = app.outbox_row(&ids[0]).await;
    assert_eq!(second.attempts, 2);
    assert_eq!((second.next_attempt_at - app.clock.now()).num_seconds(), 10);
    assert_eq!(
        app.advance_and_deliver(Span::seconds(9)).await,
        Delivery::default(),
        "the second wait is twice as long"
    );
    assert!(second.gave_up_at.is_none() && sink.messages().is_empty());
}

#[tokio::test]
async fn after_a_day_of_failures_the_worker_gives_up_and_never_alerts_about_an_alert() {
    let down = format!("smtp://127.0.0.1:{}", free_port());
    let app = spawn_app_driven(&[("SMTP_URL", &down), ("MODERATOR_ALERT_EMAIL", ALERTS)]).await;
    let ids = app
        .enqueue_emails(
            "test_email",
            Lang::Nl,
            &["jan@example.nl"],
            json!({"transport": "x"}),
        )
        .await;
    assert_eq!(app.deliver_due_mail().await, delivery(0, 1, 0));
    assert_eq!(app.outbox_row(&ids[0]).await.attempts, 1);

    assert_eq!(
        app.advance_and_deliver(Span::hours(23)).await,
        delivery(0, 1, 0)
    );
    let row = app.outbox_row(&ids[0]).await;
    assert_eq!(row.attempts, 2);
    assert!(row.gave_up_at.is_none(), "still trying after 23 hours");
    assert!(alert_rows(&app).await.is_empty());

    // Past the day: given up, and the alert it raises is tried in the same pass (and fails).
    assert_eq!(
        app.advance_and_deliver(Span::hours(2)).await,
        delivery(0, 1, 1)
    );
    assert!(app.outbox_row(&ids[0]).await.gave_up_at.is_some());
    let alerts = alert_rows(&app).await;
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].template, "delivery_failed");
    assert_eq!(alerts[0].attempts, 1);

    // The alert fails for a day too: given up, and no alert about it.
    assert_eq!(
        app.advance_and_deliver(Span::hours(25)).await,
        delivery(0, 0, 1)
    );
    let alerts = alert_rows(&app).await;
    assert!(alerts[0].gave_up_at.is_some());
    assert_eq!(alerts.len(), 1, "no alert about an alert");
    assert_eq!(
        app.advance_and_deliver(Span::hours(25)).await,
        Delivery::default(),
        "nothing left to send"
    );
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
