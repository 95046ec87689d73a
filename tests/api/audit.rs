//! The audit log is append-only: the database itself refuses to change or remove entries, so
//! neither a bug nor someone with the application's database access can rewrite history.

use crate::helpers::{expert_body, spawn_app};
use diesel::connection::SimpleConnection;

#[tokio::test]
async fn the_database_refuses_to_update_delete_or_truncate_audit_entries() {
    let app = spawn_app().await;
    assert_eq!(app.register_expert(&expert_body(1)).await.status(), 201);
    let mut attempts = vec![
        "UPDATE audit_log SET action = 'forged'",
        "DELETE FROM audit_log",
    ];
    if app.db.backend() == "postgres" {
        attempts.push("TRUNCATE audit_log");
    }
    for sql in attempts {
        let result = app
            .state
            .db
            .run(move |conn| Ok(conn.batch_execute(sql)))
            .await
            .unwrap();
        let error = result.expect_err(sql).to_string();
        assert!(error.contains("append-only"), "{sql}: {error}");
    }
    let count: i64 = app
        .state
        .db
        .run(|conn| {
            use diesel::prelude::*;
            Ok(hackhelpdesk::db::schema::audit_log::table
                .count()
                .get_result(conn)?)
        })
        .await
        .unwrap();
    assert!(count >= 1, "the registration's entry is still there");
}
