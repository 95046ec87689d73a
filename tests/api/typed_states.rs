//! Typed states at the edges: an unknown status in the database is corruption (a 500 that says
//! nothing of the cause, never a silent default), and a bad code from a client is a 422 naming
//! its field.

use diesel::RunQueryDsl;
use serde_json::json;

use crate::helpers::{assert_problem, intake_body, problem_fields, spawn_app};

#[tokio::test]
async fn an_unknown_status_in_the_database_is_a_500_not_a_default() {
    let app = spawn_app().await;
    let created = app.intake(&intake_body()).await;
    let id = created["id"].as_str().expect("id").to_owned();
    let token = created["access_token"].as_str().expect("token").to_owned();
    let path = format!("/api/v1/intakes/{id}");
    assert_eq!(app.get_auth(&path, &token).await.status(), 200);

    let target = id.clone();
    app.state
        .db
        .run(move |conn| {
            diesel::sql_query(format!(
                "UPDATE intakes SET status = 'half_open' WHERE id = '{target}'"
            ))
            .execute(conn)?;
            Ok(())
        })
        .await
        .expect("corrupt the status");

    let problem = assert_problem(app.get_auth(&path, &token).await, 500).await;
    let text = problem.to_string();
    assert!(!text.contains("half_open"), "the cause leaked: {text}");
}

#[tokio::test]
async fn a_bad_urgency_or_incident_type_is_a_422_on_that_field() {
    let app = spawn_app().await;
    let mut body = intake_body();
    body["urgency"] = json!("urgent");
    body["incident_type"] = json!("ceo_fraud");
    let problem = assert_problem(app.submit_intake(&body).await, 422).await;
    let fields = problem_fields(&problem);
    assert!(fields.contains(&"urgency".to_owned()), "{problem}");
    assert!(fields.contains(&"incident_type".to_owned()), "{problem}");
}
