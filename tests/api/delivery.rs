//! Delivery through a real SMTP server (`smtp_sink`): both parts, the right language, the
//! disclaimer and escaped user text arrive; mail queued while the server is down, or before the
//! process is killed (`delivery_process`), arrives exactly once later; two instances never send a
//! message twice.
//!
//! The tests drive the mail worker themselves (`spawn_app_driven`): each pass says what it sent,
//! retried and gave up, and a pass that finds nothing due proves that nothing more goes out.

use std::collections::HashMap;

use chrono::Duration as Span;
use hackhelpdesk::{db::models::outbox, i18n::Lang, mail::worker::Delivery};
use serde_json::json;

use crate::helpers::spawn_app_driven;
use crate::smtp_sink::{Received, SmtpSink, eml_files, free_port};

const USER_TEXT: &str = "<script>alert('x')</script> & Co";

/// Asserts that every id was delivered exactly once (by Message-ID) and nothing else arrived.
pub fn assert_exactly_once(received: &[Received], ids: &[String]) {
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
    let app = spawn_app_driven(&[("SMTP_URL", &sink.url())]).await;

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
    assert!(
        sink.messages().is_empty(),
        "nothing leaves before the worker runs"
    );
    assert_eq!(app.deliver_due_mail().await, sent(2));
    let received = sink.messages();

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
    let row = app.outbox_row(&nl[0]).await;
    assert!(row.sent_at.is_some());
    assert_eq!(row.attempts, 1);
    assert_eq!(
        app.deliver_due_mail().await,
        Delivery::default(),
        "sent once"
    );
}

/// A pass that sent `n` messages and nothing else.
fn sent(n: usize) -> Delivery {
    Delivery {
        sent: n,
        ..Delivery::default()
    }
}

#[tokio::test]
async fn without_smtp_each_email_is_an_eml_file_in_the_mail_dir() {
    let app = spawn_app_driven(&[]).await;
    let ids = app
        .enqueue_emails(
            "test_email",
            Lang::Nl,
            &["jan@example.nl"],
            json!({"transport": "x"}),
        )
        .await;
    assert_eq!(app.deliver_due_mail().await, sent(1));
    let files = eml_files(&app.db.dir().join("mail"));
    assert_exactly_once(&files, &ids);
    assert_eq!(files[0].content_type, "multipart/alternative");
    assert!(files[0].part("text/plain").contains("Disclaimer"));
    assert!(app.outbox_row(&ids[0]).await.sent_at.is_some());
}

#[tokio::test]
async fn mail_queued_while_the_smtp_server_is_down_arrives_exactly_once_when_it_is_back() {
    let port = free_port();
    let url = format!("smtp://127.0.0.1:{port}");
    let app = spawn_app_driven(&[("SMTP_URL", &url)]).await;
    let to = [
        "a@example.nl",
        "b@example.nl",
        "c@example.nl",
        "d@example.nl",
    ];
    let ids = app
        .enqueue_emails("test_email", Lang::Nl, &to, json!({"transport": "x"}))
        .await;
    let retried = Delivery {
        retried: ids.len(),
        ..Delivery::default()
    };
    assert_eq!(app.deliver_due_mail().await, retried);
    let mut failed = Vec::new();
    for id in &ids {
        failed.push(app.outbox_row(id).await);
    }
    assert!(failed.iter().all(|r| r.attempts == 1
        && r.last_error.is_some()
        && r.sent_at.is_none()
        && r.gave_up_at.is_none()));
    assert!(
        failed[0].next_attempt_at > app.clock.now(),
        "a retry is scheduled"
    );
    assert_eq!(
        app.deliver_due_mail().await,
        Delivery::default(),
        "not yet due"
    );

    let sink = SmtpSink::start_on(port).await;
    assert_eq!(
        app.advance_and_deliver(Span::minutes(10)).await,
        sent(ids.len())
    );
    for id in &ids {
        assert!(app.outbox_row(id).await.sent_at.is_some());
    }
    assert_eq!(
        app.advance_and_deliver(Span::hours(2)).await,
        Delivery::default()
    );
    assert_exactly_once(&sink.messages(), &ids);
}

#[tokio::test]
async fn two_instances_on_one_database_deliver_every_message_exactly_once() {
    let sink = SmtpSink::start().await;
    let app = spawn_app_driven(&[("SMTP_URL", &sink.url())]).await;
    let other = app.spawn_instance().await;

    let to: Vec<String> = (0..30).map(|i| format!("slow{i}@example.nl")).collect();
    let to: Vec<&str> = to.iter().map(String::as_str).collect();
    let ids = app
        .enqueue_emails("test_email", Lang::Nl, &to, json!({"transport": "x"}))
        .await;

    // Both workers at once, each leasing batches until nothing is left.
    let (mine, theirs) = tokio::join!(app.deliver_due_mail(), other.deliver_due_mail());
    assert_eq!(mine.sent + theirs.sent, ids.len(), "{mine:?} {theirs:?}");
    assert_eq!(
        (mine.retried + theirs.retried, mine.gave_up + theirs.gave_up),
        (0, 0)
    );
    assert!(
        mine.sent > 0 && theirs.sent > 0,
        "both workers took part: {mine:?} {theirs:?}"
    );
    assert_eq!(app.deliver_due_mail().await, Delivery::default());
    assert_eq!(other.deliver_due_mail().await, Delivery::default());
    assert_exactly_once(&sink.messages(), &ids);
    let mut rows = Vec::new();
    for id in &ids {
        rows.push(app.outbox_row(id).await);
    }
    let workers: std::collections::HashSet<_> =
        rows.iter().filter_map(|r| r.claimed_by.clone()).collect();
    assert_eq!(workers.len(), 2, "both workers took part: {workers:?}");
    assert!(rows.iter().all(|r| r.attempts == 1 && r.sent_at.is_some()));
    other.handle.stop(true).await;
}

#[tokio::test]
async fn a_message_leased_by_a_worker_that_died_mid_send_goes_out_once_its_lease_expires() {
    let sink = SmtpSink::start().await;
    let app = spawn_app_driven(&[("SMTP_URL", &sink.url())]).await;
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
    assert_eq!(app.deliver_due_mail().await, Delivery::default());
    assert_eq!(
        app.advance_and_deliver(Span::minutes(4)).await,
        Delivery::default(),
        "a live lease is respected"
    );
    assert!(sink.messages().is_empty(), "a live lease is respected");

    assert_eq!(app.advance_and_deliver(Span::minutes(2)).await, sent(1));
    let row = app.outbox_row(&id).await;
    assert!(row.sent_at.is_some());
    assert_ne!(row.claimed_by.as_deref(), Some("dead-worker"));
    assert_exactly_once(&sink.messages(), &[id]);
}
