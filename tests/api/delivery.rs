//! Delivery through a real SMTP server (`smtp_sink`): both parts, the right language, the
//! disclaimer and escaped user text arrive; mail queued while the server is down, or before the
//! process is killed, arrives exactly once later; two instances never send a message twice.

use std::collections::HashMap;
use std::time::Duration;

use chrono::Duration as Span;
use hackhelpdesk::{db::models::outbox, i18n::Lang};
use serde_json::json;

use crate::helpers::{TestDb, spawn_app_with, test_settings};
use crate::smtp_sink::{Received, SmtpSink, free_port, wait_for_files};

const WAIT: Duration = Duration::from_secs(20);
const USER_TEXT: &str = "<script>alert('x')</script> & Co";

/// Asserts that every id was delivered exactly once (by Message-ID) and nothing else arrived.
fn assert_exactly_once(received: &[Received], ids: &[String]) {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for message in received {
        *seen.entry(message.message_id()).or_default() += 1;
    }
    for id in ids {
        let key = format!("<{id}@localhost>");
        assert_eq!(seen.get(key.as_str()), Some(&1), "{key} in {seen:?}");
    }
    assert_eq!(received.len(), ids.len(), "{seen:?}");
}

#[tokio::test]
async fn mail_arrives_over_smtp_with_both_parts_its_language_the_disclaimer_and_escaped_text() {
    let sink = SmtpSink::start().await;
    let app = spawn_app_with(&[("SMTP_URL", &sink.url()), ("MAIL_POLL_MS", "50")]).await;

    let data = json!({ "transport": USER_TEXT });
    let nl = app
        .enqueue_emails(
            "test_email",
            Lang::Nl,
            &["Jan <jan@example.nl>"],
            data.clone(),
        )
        .await;
    let en = app
        .enqueue_emails("test_email", Lang::En, &["ann@example.com"], data)
        .await;
    let received = sink.wait_for(2, WAIT).await;

    assert_exactly_once(&received, &[nl[0].clone(), en[0].clone()]);
    for (id, lang, subject) in [
        (&nl[0], "nl", "Testbericht van de Hackhelpdesk"),
        (&en[0], "en", "Test message from the Hackhelpdesk"),
    ] {
        let m = received
            .iter()
            .find(|m| m.message_id() == format!("<{id}@localhost>"))
            .expect("received");
        assert_eq!(m.content_type, "multipart/alternative");
        assert_eq!(m.subject(), subject);
        assert_eq!(m.header("content-language"), Some(lang));
        assert_eq!(m.header("from"), Some("Hackhelpdesk <noreply@localhost>"));
        assert!(m.header("date").is_some());
        let text = m.part("text/plain");
        let html = m.part("text/html");
        assert!(
            text.contains(USER_TEXT),
            "plain text shows the text as typed"
        );
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.contains("<script>"), "{html}");
        assert!(text.contains("\nDisclaimer\n") && html.contains(">Disclaimer</h2>"));
        assert!(html.contains(&format!("<html lang=\"{lang}\">")));
    }
    assert!(received.iter().any(|m| m.to() == "Jan <jan@example.nl>"));
    let rows = app.wait_for_outbox(&nl, |r| r.sent_at.is_some()).await;
    assert_eq!(rows[0].attempts, 1);
}

#[tokio::test]
async fn without_smtp_each_email_is_an_eml_file_in_the_mail_dir() {
    let app = spawn_app_with(&[("MAIL_POLL_MS", "50")]).await;
    let ids = app
        .enqueue_emails(
            "test_email",
            Lang::Nl,
            &["jan@example.nl"],
            json!({"transport": "x"}),
        )
        .await;
    let files = wait_for_files(&app.db.dir().join("mail"), 1, WAIT).await;
    assert_exactly_once(&files, &ids);
    assert_eq!(files[0].content_type, "multipart/alternative");
    assert!(files[0].part("text/plain").contains("Disclaimer"));
    app.wait_for_outbox(&ids, |r| r.sent_at.is_some()).await;
}

#[tokio::test]
async fn mail_queued_while_the_smtp_server_is_down_arrives_exactly_once_when_it_is_back() {
    let port = free_port();
    let url = format!("smtp://127.0.0.1:{port}");
    let app = spawn_app_with(&[("SMTP_URL", &url), ("MAIL_POLL_MS", "50")]).await;
    let to = [
        "a@example.nl",
        "b@example.nl",
        "c@example.nl",
        "d@example.nl",
    ];
    let ids = app
        .enqueue_emails("test_email", Lang::Nl, &to, json!({"transport": "x"}))
        .await;
    let failed = app
        .wait_for_outbox(&ids, |r| r.attempts >= 1 && r.last_error.is_some())
        .await;
    assert!(
        failed
            .iter()
            .all(|r| r.sent_at.is_none() && r.gave_up_at.is_none())
    );
    assert!(
        failed[0].next_attempt_at > app.clock.now(),
        "a retry is scheduled"
    );

    let sink = SmtpSink::start_on(port).await;
    app.advance_and_wake(Span::minutes(10));
    let received = sink.wait_for(ids.len(), WAIT).await;
    app.wait_for_outbox(&ids, |r| r.sent_at.is_some()).await;
    app.advance_and_wake(Span::hours(2));
    tokio::time::sleep(Duration::from_millis(300)).await;

    assert_exactly_once(&sink.messages(), &ids);
    assert_eq!(received.len(), ids.len());
}

#[tokio::test]
async fn mail_survives_a_killed_process_and_goes_out_exactly_once_after_the_restart() {
    let db = TestDb::new();
    let port = free_port();
    let smtp_url = format!("smtp://127.0.0.1:{port}");
    let env = [
        ("DATABASE_URL", db.url.as_str()),
        ("SMTP_URL", smtp_url.as_str()),
        ("MAIL_POLL_MS", "50"),
    ];
    let mut first = serve(&env).await;
    let overrides = HashMap::from([("SMTP_URL".to_owned(), smtp_url.clone())]);
    let settings = test_settings(&db, &overrides);
    let queue = hackhelpdesk::startup::open_database(&settings)
        .await
        .unwrap();
    let mailer = std::sync::Arc::new(hackhelpdesk::mail::Mailer::new(&settings).unwrap());
    let enqueue = |to: &'static str| {
        let mailer = mailer.clone();
        queue.run(move |conn| {
            let to = hackhelpdesk::mail::parse_recipient(to).unwrap();
            let now = hackhelpdesk::db::now();
            mailer.enqueue(
                conn,
                "test_email",
                Lang::En,
                &to,
                &json!({"transport": "x"}),
                now,
            )
        })
    };
    let mut ids = vec![enqueue("a@example.nl").await.unwrap()];
    ids.push(enqueue("b@example.nl").await.unwrap());
    wait_until_attempted(&queue, &ids).await;

    first.kill().await.expect("kill -9");
    ids.push(enqueue("c@example.nl").await.unwrap());
    let sink = SmtpSink::start_on(port).await;
    let _second = serve(&env).await;

    sink.wait_for(ids.len(), WAIT).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_exactly_once(&sink.messages(), &ids);
}

/// Runs the real binary's `serve` with `env` and waits until it answers.
async fn serve(env: &[(&str, &str)]) -> tokio::process::Child {
    let bind = format!("127.0.0.1:{}", free_port());
    let child = tokio::process::Command::new(env!("CARGO_BIN_EXE_hackhelpdesk"))
        .arg("serve")
        .env_clear()
        .envs(env.iter().copied())
        .env("BIND_ADDR", &bind)
        .env("MAIL_DIR", std::env::temp_dir().join("hh-unused-mail"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("binary starts");
    let client = reqwest::Client::new();
    for _ in 0..300 {
        if client
            .get(format!("http://{bind}/readyz"))
            .send()
            .await
            .is_ok()
        {
            return child;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("serve did not become ready");
}

async fn wait_until_attempted(db: &hackhelpdesk::db::Database, ids: &[String]) {
    for _ in 0..400 {
        let ids = ids.to_vec();
        let rows = db
            .run(move |conn| {
                ids.iter()
                    .map(|id| hackhelpdesk::db::models::outbox::find(conn, id))
                    .collect::<Result<Vec<_>, _>>()
            })
            .await
            .unwrap();
        if rows.iter().flatten().all(|r| r.attempts >= 1) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("the first process never tried to send");
}

#[tokio::test]
async fn two_instances_on_one_database_deliver_every_message_exactly_once() {
    let sink = SmtpSink::start().await;
    let app = spawn_app_with(&[("SMTP_URL", &sink.url()), ("MAIL_POLL_MS", "20")]).await;
    let other = app.spawn_instance().await;

    let to: Vec<String> = (0..30).map(|i| format!("slow{i}@example.nl")).collect();
    let to: Vec<&str> = to.iter().map(String::as_str).collect();
    let ids = app
        .enqueue_emails("test_email", Lang::Nl, &to, json!({"transport": "x"}))
        .await;
    other.state.mailer.wake();

    sink.wait_for(ids.len(), WAIT).await;
    let rows = app.wait_for_outbox(&ids, |r| r.sent_at.is_some()).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_exactly_once(&sink.messages(), &ids);
    let workers: std::collections::HashSet<_> =
        rows.iter().filter_map(|r| r.claimed_by.clone()).collect();
    assert_eq!(workers.len(), 2, "both workers took part: {workers:?}");
    assert!(rows.iter().all(|r| r.attempts == 1));
    other.handle.stop(true).await;
}

#[tokio::test]
async fn a_message_leased_by_a_worker_that_died_mid_send_goes_out_once_its_lease_expires() {
    let sink = SmtpSink::start().await;
    let app = spawn_app_with(&[("SMTP_URL", &sink.url()), ("MAIL_POLL_MS", "20")]).await;
    let (mailer, now) = (app.state.mailer.clone(), app.clock.now());
    let (id, claimed) = app
        .state
        .db
        .run(move |conn| {
            hackhelpdesk::db::write_tx(conn, |conn| {
                let to = hackhelpdesk::mail::parse_recipient("jan@example.nl").unwrap();
                let data = json!({"transport": "x"});
                let id = mailer.enqueue(conn, "test_email", Lang::Nl, &to, &data, now)?;
                let lease = now + Span::minutes(5);
                let claimed = outbox::claim_due(conn, "dead-worker", now, lease, 10)?;
                Ok((id, claimed))
            })
        })
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1);
    app.state.mailer.wake();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(sink.messages().is_empty(), "a live lease is respected");

    app.advance_and_wake(Span::minutes(6));
    let rows = app
        .wait_for_outbox(std::slice::from_ref(&id), |r| r.sent_at.is_some())
        .await;
    assert_ne!(rows[0].claimed_by.as_deref(), Some("dead-worker"));
    assert_exactly_once(&sink.wait_for(1, WAIT).await, &[id]);
}
