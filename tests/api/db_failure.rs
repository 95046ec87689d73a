//! Honest failure: while another process holds the database's write lock (SQLite) or a table
//! lock (PostgreSQL), writes and logins answer 503 with `Retry-After` after a short wait instead
//! of a 500, `/readyz` says not ready, and both recover once the lock is released. A database
//! that cannot be written at start-up stops the process with exit code 2 naming DATABASE_URL.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::process::Stdio;

use diesel::{Connection, PgConnection, SqliteConnection, connection::SimpleConnection};

use crate::helpers::{
    MODERATOR_PASSWORD, TestApp, TestDb, assert_problem, intake_body, run_cli, spawn_app_with,
};

/// Another connection that holds the lock writes need, until `release`.
enum Locker {
    Sqlite(SqliteConnection),
    Pg(PgConnection),
}

impl Locker {
    fn lock(app: &TestApp) -> Self {
        match app.db.url.strip_prefix("sqlite://") {
            Some(path) => {
                let mut conn = SqliteConnection::establish(path).expect("open the test database");
                conn.batch_execute("PRAGMA busy_timeout = 5000; BEGIN EXCLUSIVE")
                    .expect("take the write lock");
                Self::Sqlite(conn)
            }
            None => {
                let mut conn = PgConnection::establish(&app.db.url).expect("connect");
                // The outbox too: the mail worker's polls are writes, and one that succeeds
                // rightly tells readiness that writes work again.
                conn.batch_execute(
                    "BEGIN; LOCK TABLE intakes, login_throttle, outbox IN ACCESS EXCLUSIVE MODE",
                )
                .expect("lock the tables");
                Self::Pg(conn)
            }
        }
    }

    fn release(self) {
        match self {
            Self::Sqlite(mut conn) => conn.batch_execute("ROLLBACK"),
            Self::Pg(mut conn) => conn.batch_execute("ROLLBACK"),
        }
        .expect("release the lock");
    }
}

async fn assert_unavailable(response: reqwest::Response) {
    let retry_after = response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap_or_default().to_owned());
    let problem = assert_problem(response, 503).await;
    assert_eq!(problem["code"], "unavailable");
    assert_eq!(retry_after.as_deref(), Some("5"));
}

#[tokio::test]
async fn a_locked_database_answers_503_with_retry_after_and_is_not_ready_until_released() {
    let app = spawn_app_with(&[("DB_BUSY_TIMEOUT_MS", "300")]).await;
    app.create_moderator("moderator@pvo.nl", MODERATOR_PASSWORD)
        .await;
    assert_eq!(app.get("/readyz").await.status(), 200);

    let locker = Locker::lock(&app);
    let started = std::time::Instant::now();
    assert_unavailable(app.submit_intake(&intake_body()).await).await;
    assert_unavailable(app.login("moderator@pvo.nl", MODERATOR_PASSWORD).await).await;
    assert!(
        started.elapsed() < std::time::Duration::from_secs(8),
        "the short busy timeout applies: {:?}",
        started.elapsed()
    );
    assert_unavailable(app.get("/readyz").await).await;

    locker.release();
    assert_eq!(app.submit_intake(&intake_body()).await.status(), 201);
    assert_eq!(
        app.login("moderator@pvo.nl", MODERATOR_PASSWORD)
            .await
            .status(),
        201
    );
    assert_eq!(app.get("/readyz").await.status(), 200);
}

#[tokio::test]
async fn a_database_that_cannot_be_written_stops_start_up_with_exit_code_2() {
    let db = TestDb::new();
    let env = [("DATABASE_URL", db.url.as_str())];
    let migrated = run_cli(&["migrate"], &env, &db.dir(), "").await;
    assert_eq!(migrated.code, Some(0), "{}", migrated.stderr);

    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_hackhelpdesk"));
    command
        .arg("serve")
        .env_clear()
        .env("DATABASE_URL", &db.url)
        .env("BIND_ADDR", "127.0.0.1:0")
        .current_dir(db.dir())
        .stdin(Stdio::null())
        .kill_on_drop(true);
    match db.url.strip_prefix("sqlite://") {
        Some(path) => {
            // A read-only file in a read-only folder. Root may write anything, so as root the
            // binary runs as `nobody`, for whom the permissions hold.
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o444)).unwrap();
            std::fs::set_permissions(db.dir(), std::fs::Permissions::from_mode(0o555)).unwrap();
            if std::fs::metadata(db.dir()).unwrap().uid() == 0 {
                command.uid(65534).gid(65534);
            }
        }
        None => {
            let (admin, name) = pg_admin(&db.url);
            let mut admin = PgConnection::establish(&admin).expect("connect");
            admin
                .batch_execute(&format!(
                    "ALTER DATABASE {name} SET default_transaction_read_only = on"
                ))
                .expect("make the database read-only");
        }
    }
    let out = tokio::time::timeout(std::time::Duration::from_secs(60), command.output())
        .await
        .expect("exits within a minute")
        .expect("runs");
    if db.url.starts_with("sqlite://") {
        std::fs::set_permissions(db.dir(), std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line, got {stderr:?}");
    assert!(lines[0].contains("DATABASE_URL"), "{}", lines[0]);
}

/// The server's `postgres` database URL and the test database's name.
fn pg_admin(url: &str) -> (String, String) {
    let mut parsed = url::Url::parse(url).expect("url");
    let name = parsed.path().trim_start_matches('/').to_owned();
    parsed.set_path("/postgres");
    (parsed.to_string(), name)
}

/// PostgreSQL only: the server ends the app's connections (operator intervention) and the
/// database turns read-only. Every write is then a 503, never a 500, `/readyz` says so, and all
/// recovers when the database is writable again.
#[tokio::test]
async fn a_postgresql_database_that_turns_read_only_answers_503_until_it_is_writable() {
    // Up to 16 intakes from one client: past the intake budget, which would answer 429 first.
    let app = spawn_app_with(&[("DB_BUSY_TIMEOUT_MS", "300"), ("RATE_LIMITS", "off")]).await;
    if app.db.backend() != "postgres" {
        return;
    }
    let (admin, name) = pg_admin(&app.db.url);
    let mut admin = PgConnection::establish(&admin).expect("connect");
    let set_read_only = |admin: &mut PgConnection, on: bool| {
        admin
            .batch_execute(&format!(
                "ALTER DATABASE {name} SET default_transaction_read_only = {}; \
                 SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                 WHERE datname = '{name}' AND pid <> pg_backend_pid()",
                if on { "on" } else { "off" }
            ))
            .expect("alter the database");
    };

    set_read_only(&mut admin, true);
    for _ in 0..6 {
        assert_unavailable(app.submit_intake(&intake_body()).await).await;
    }
    assert_unavailable(app.get("/readyz").await).await;

    set_read_only(&mut admin, false);
    let mut statuses = Vec::new();
    for _ in 0..10 {
        let status = app.submit_intake(&intake_body()).await.status().as_u16();
        statuses.push(status);
        if status == 201 {
            break;
        }
        assert_eq!(status, 503, "only 503 while connections are renewed");
    }
    assert_eq!(statuses.last(), Some(&201), "{statuses:?}");
    assert_eq!(app.get("/readyz").await.status(), 200);
}
