//! Mail survives a killed process: the real binary (`serve`) is killed with mail leased and
//! queued, and after the restart every message arrives exactly once. The processes deliver in
//! the background, so the test polls (bounded) for what they did, then stops them and lets a
//! worker of its own prove that nothing is left to send.

use std::collections::HashMap;
use std::time::Duration;

use hackhelpdesk::{db::models::outbox, i18n::Lang, mail::worker::Delivery};
use serde_json::json;

use crate::delivery::assert_exactly_once;
use crate::helpers::{TestDb, test_settings};
use crate::smtp_sink::{SmtpSink, free_port};

const WAIT: Duration = Duration::from_secs(20);

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
    wait_until(&queue, &ids, |r| r.attempts >= 1).await;

    first.kill().await.expect("kill -9");
    ids.push(enqueue("c@example.nl").await.unwrap());
    let sink = SmtpSink::start_on(port).await;
    let mut second = serve(&env).await;

    sink.wait_for(ids.len(), WAIT).await;
    wait_until(&queue, &ids, |r| r.sent_at.is_some()).await;
    second.kill().await.expect("kill -9");
    // Nothing can arrive after the second process is gone; and a worker on the same database
    // finds nothing left to send.
    let mut check = hackhelpdesk::startup::Application::build(settings)
        .await
        .expect("builds");
    let worker = check.take_mail_worker().expect("a mail worker");
    assert_eq!(
        worker.run_due_now().await.expect("pass"),
        Delivery::default()
    );
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

/// Waits (bounded) until the process under test brought every row in `ids` to `done`.
async fn wait_until(
    db: &hackhelpdesk::db::Database,
    ids: &[String],
    done: impl Fn(&outbox::OutboxMessage) -> bool,
) {
    for _ in 0..800 {
        let ids = ids.to_vec();
        let rows = db
            .run(move |conn| {
                ids.iter()
                    .map(|id| hackhelpdesk::db::models::outbox::find(conn, id))
                    .collect::<Result<Vec<_>, _>>()
            })
            .await
            .unwrap();
        if rows.iter().all(|r| r.as_ref().is_some_and(&done)) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("the serving process never brought the rows there");
}
