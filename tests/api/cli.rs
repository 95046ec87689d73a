//! The binary as an operator meets it: bad configuration stops it with one clear line, the
//! moderator command checks its input, and SIGTERM stops the server cleanly.

use std::time::Duration;

use crate::helpers::{TestDb, run_cli};

const PASSWORD: &str = "correct horse battery staple";

#[tokio::test]
async fn a_bad_setting_stops_the_process_with_one_line_naming_the_variable() {
    let dir = tempfile::tempdir().unwrap();
    for (variable, value) in [
        ("DATABASE_URL", "mysql://root@localhost/hh"),
        ("BIND_ADDR", "everywhere"),
        ("PUBLIC_URL", "hackhelpdesk.nl"),
        ("SMTP_URL", "mail.example.nl"),
        ("RATE_LIMITS", "sometimes"),
        ("TRUSTED_PROXIES", "10.0.0.0/33"),
    ] {
        let out = run_cli(&["serve"], &[(variable, value)], dir.path(), "").await;
        assert_eq!(out.code, Some(2), "{variable}={value}: {}", out.stderr);
        let lines: Vec<&str> = out.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "one line, got {:?}", out.stderr);
        assert!(lines[0].contains(variable), "{}", lines[0]);
    }
}

#[tokio::test]
async fn a_port_in_use_is_reported_as_a_bind_addr_problem() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let db = TestDb::new();
    let out = run_cli(
        &["serve"],
        &[("BIND_ADDR", &addr), ("DATABASE_URL", &db.url)],
        &db.dir(),
        "",
    )
    .await;
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert!(out.stderr.contains("BIND_ADDR"), "{}", out.stderr);
    assert!(
        out.stderr.to_lowercase().contains("in use"),
        "{}",
        out.stderr
    );
}

#[tokio::test]
async fn create_moderator_refuses_short_passwords_and_duplicates() {
    let db = TestDb::new();
    let env = [("DATABASE_URL", db.url.as_str())];
    let short = run_cli(
        &["create-moderator", "mod@pvo.nl"],
        &env,
        &db.dir(),
        "too short\n",
    )
    .await;
    assert_eq!(short.code, Some(1));
    assert!(short.stderr.contains("12"), "{}", short.stderr);

    let first = run_cli(
        &["create-moderator", "mod@pvo.nl"],
        &env,
        &db.dir(),
        PASSWORD,
    )
    .await;
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    let again = run_cli(
        &["create-moderator", "MOD@pvo.nl"],
        &env,
        &db.dir(),
        PASSWORD,
    )
    .await;
    assert_eq!(again.code, Some(1));
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);

    let bad_email = run_cli(
        &["create-moderator", "not-an-email"],
        &env,
        &db.dir(),
        PASSWORD,
    )
    .await;
    assert_eq!(bad_email.code, Some(1));
    assert!(bad_email.stderr.contains("email"), "{}", bad_email.stderr);
}

#[tokio::test]
async fn serve_stops_cleanly_on_sigterm() {
    let db = TestDb::new();
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let bind = format!("127.0.0.1:{port}");
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_hackhelpdesk"))
        .arg("serve")
        .env_clear()
        .env("DATABASE_URL", &db.url)
        .env("BIND_ADDR", &bind)
        .current_dir(db.dir())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let client = reqwest::Client::new();
    let mut ready = false;
    for _ in 0..200 {
        if let Ok(r) = client.get(format!("http://{bind}/readyz")).send().await {
            ready = r.status() == 200;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(ready, "server became ready");

    let pid = child.id().unwrap().to_string();
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = tokio::time::timeout(Duration::from_secs(20), child.wait())
        .await
        .expect("stops in time")
        .unwrap();
    assert!(status.success(), "exit status {status:?}");
}

/// One-shot commands end with their own exit code every time. On PostgreSQL, the pool used to
/// open a spare connection in the background after each checkout; a command that exited while
/// it was connecting died of SIGSEGV in the TLS library's exit handlers (about 1 run in 13), so
/// `verify-audit` could report neither "intact" nor "broken".
#[tokio::test]
async fn one_shot_commands_exit_with_their_own_code_every_time() {
    let db = TestDb::new();
    let env = [("DATABASE_URL", db.url.as_str())];
    for round in 0..40 {
        let command = if round % 2 == 0 {
            "migrate"
        } else {
            "verify-audit"
        };
        let out = run_cli(&[command], &env, &db.dir(), "").await;
        assert_eq!(out.code, Some(0), "{command} run {round}: {}", out.stderr);
    }
}
