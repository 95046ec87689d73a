//! Data survives a restart; migrations can run any number of times.

use crate::helpers::{TestDb, run_cli, spawn_app};

const PASSWORD: &str = "correct horse battery staple";

#[tokio::test]
async fn a_session_and_its_moderator_survive_a_restart() {
    let app = spawn_app().await;
    app.create_moderator("moderator@pvo.nl", PASSWORD).await;
    let token = app.token_for("moderator@pvo.nl", PASSWORD).await;

    let app = app.restart().await;

    assert_eq!(
        app.logout(&token).await.status(),
        204,
        "the old session was still known"
    );
    app.token_for("moderator@pvo.nl", PASSWORD).await;
}

#[tokio::test]
async fn migrate_runs_twice_and_serve_starts_on_the_migrated_database() {
    let db = TestDb::new();
    let env = [("DATABASE_URL", db.url.as_str())];
    let first = run_cli(&["migrate"], &env, &db.dir(), "").await;
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    let second = run_cli(&["migrate"], &env, &db.dir(), "").await;
    assert_eq!(second.code, Some(0), "{}", second.stderr);
    assert!(second.stdout.contains("up to date"));

    let created = run_cli(
        &["create-moderator", "mod@pvo.nl"],
        &env,
        &db.dir(),
        &format!("{PASSWORD}\n"),
    )
    .await;
    assert_eq!(created.code, Some(0), "{}", created.stderr);
    let id = created.stdout.trim();
    assert!(
        uuid::Uuid::parse_str(id).is_ok(),
        "prints the new id, got {id:?}"
    );
}

#[tokio::test]
async fn a_postgres_database_that_does_not_exist_yet_is_created_at_start() {
    let Ok(admin) = std::env::var("TEST_DATABASE_URL") else {
        return; // SQLite creates its file by nature; this is about PostgreSQL.
    };
    let name = format!("hh_new_{}", uuid::Uuid::new_v4().simple());
    let mut url = url::Url::parse(&admin).unwrap();
    url.set_path(&name);
    let dir = tempfile::tempdir().unwrap();
    let out = run_cli(
        &["migrate"],
        &[("DATABASE_URL", url.as_str())],
        dir.path(),
        "",
    )
    .await;
    use diesel::{Connection, PgConnection, connection::SimpleConnection};
    let mut conn = PgConnection::establish(&admin).unwrap();
    let _ = conn.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
}
