//! The real binary for the log tests (`logs.rs`): started with its output captured from the first
//! byte, and the emails it writes to `MAIL_DIR` read back.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use reqwest::Client;
use serde_json::Value;

use crate::helpers::TestDb;

pub struct Server {
    pub child: tokio::process::Child,
    pub base: String,
    /// stdout and stderr, read from the start so a full pipe never blocks the server.
    pub output: tokio::task::JoinHandle<String>,
}

pub async fn start(db: &TestDb, format: &str) -> Server {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let mail_dir = db.dir().join("mail");
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_hackhelpdesk"))
        .arg("serve")
        .env_clear()
        .env("DATABASE_URL", &db.url)
        .env("BIND_ADDR", format!("127.0.0.1:{port}"))
        .env("MAIL_DIR", &mail_dir)
        .env("MAIL_POLL_MS", "100")
        .env("LIFECYCLE_POLL_SECS", "1")
        .env("RATE_LIMITS", "off")
        .env("LOG_FORMAT", format)
        .env(
            "RUST_LOG",
            "hackhelpdesk=trace,tracing_actix_web=trace,info",
        )
        .current_dir(db.dir())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let output = tokio::spawn(read_all(
        child.stdout.take().unwrap(),
        child.stderr.take().unwrap(),
    ));
    let base = format!("http://127.0.0.1:{port}");
    let client = Client::new();
    for _ in 0..300 {
        if let Ok(r) = client.get(format!("{base}/readyz")).send().await
            && r.status() == 200
        {
            return Server {
                child,
                base,
                output,
            };
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the server did not become ready");
}

async fn read_all(
    mut stdout: tokio::process::ChildStdout,
    mut stderr: tokio::process::ChildStderr,
) -> String {
    use tokio::io::AsyncReadExt;
    let (mut out, mut err) = (String::new(), String::new());
    let (a, b) = tokio::join!(
        stdout.read_to_string(&mut out),
        stderr.read_to_string(&mut err)
    );
    a.unwrap();
    b.unwrap();
    out + &err
}

/// The decoded text parts of every email written to `dir`.
fn mail_texts(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut texts = Vec::new();
    for entry in entries.flatten() {
        if entry.path().extension().is_some_and(|e| e == "eml") {
            let raw = std::fs::read(entry.path()).unwrap();
            let mail = mailparse::parse_mail(&raw).unwrap();
            let mut parts = vec![mail];
            while let Some(part) = parts.pop() {
                if part.subparts.is_empty() {
                    texts.push(part.get_body().unwrap_or_default());
                } else {
                    parts.extend(part.subparts);
                }
            }
        }
    }
    texts
}

/// The token after `marker` in the first email that has one (waits for the mail worker).
pub async fn token_in_mail(dir: &Path, marker: &str) -> String {
    for _ in 0..100 {
        for text in mail_texts(dir) {
            if let Some(start) = text.find(marker) {
                return text[start + marker.len()..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                    .collect();
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no email with {marker}");
}

pub fn cookie_client() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

pub async fn json_of(response: reqwest::Response, status: u16, what: &str) -> Value {
    assert_eq!(response.status(), status, "{what}");
    response.json().await.unwrap()
}

pub fn random_token(n: usize) -> String {
    format!("guess{n}x{}", uuid::Uuid::new_v4().simple())
}
