use crate::helpers::spawn_app;

#[tokio::test]
async fn healthz_says_the_process_is_alive() {
    let app = spawn_app().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ok");
}

#[tokio::test]
async fn readyz_reports_the_database_it_answers_from() {
    let app = spawn_app().await;
    let response = app.get("/readyz").await;
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ready");
    assert_eq!(body["database"], app.db.backend());
}

#[tokio::test]
async fn every_answer_carries_a_request_id_for_support() {
    let app = spawn_app().await;
    let ok = app.get("/healthz").await;
    let missing = app.get("/api/v1/nothing-here").await;
    let a = ok
        .headers()
        .get("x-request-id")
        .expect("request id on a success")
        .to_owned();
    let b = missing
        .headers()
        .get("x-request-id")
        .expect("request id on an error")
        .to_owned();
    assert_ne!(a, b);
}
