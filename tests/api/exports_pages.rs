//! The export buttons: the case page links to `/case/{token}/export` and the expert's page to
//! `/expert/export`; both download the same JSON document as the API.

use serde_json::Value;

use crate::exports_support::{assert_json_download, download, two_cases};
use crate::helpers::{EXPERT_PASSWORD, case_of, location};

/// The export without what may change between two downloads: the export time, and whether the
/// mail worker has sent an email yet.
fn without_time(mut export: Value) -> Value {
    export.as_object_mut().unwrap().remove("exported_at");
    if let Some(emails) = export.get_mut("emails").and_then(Value::as_array_mut) {
        for email in emails {
            email.as_object_mut().unwrap().remove("sent_at");
        }
    }
    export
}

#[tokio::test]
async fn the_case_page_downloads_the_same_export_as_the_api() {
    let app = crate::helpers::spawn_app().await;
    let cases = two_cases(&app).await;
    let (id, token) = case_of(&cases.a);
    let browser = app.page_client("nl");
    let (status, html) = browser.page(&format!("/case/{token}")).await;
    assert_eq!(status, 200);
    assert!(html.contains(&format!("href=\"/case/{token}/export\" download")));
    assert!(html.contains("Gegevens downloaden (JSON)"));

    let response = browser.get(&format!("/case/{token}/export")).await;
    assert_eq!(response.status(), 200);
    assert_json_download(&response);
    let from_page: Value = response.json().await.unwrap();
    let (from_api, _) = download(&app, &format!("/api/v1/intakes/{id}/export"), token).await;
    assert_eq!(without_time(from_page), without_time(from_api));

    let unknown = browser.get("/case/not-a-real-case-token/export").await;
    assert_eq!(unknown.status(), 404);
}

#[tokio::test]
async fn the_expert_page_downloads_the_same_export_as_the_api() {
    let app = crate::helpers::spawn_app().await;
    let cases = two_cases(&app).await;
    let n = crate::connect::number_of(&app, &cases.ids[0]).await;
    let browser = app.page_client("nl");
    let anonymous = browser.get("/expert/export").await;
    assert_eq!(anonymous.status(), 303);
    assert!(location(&anonymous).starts_with("/login"));

    let email = format!("info{n}@veilig-it.nl");
    let login = browser
        .submit(
            "/login",
            "/login",
            &[("email", &email), ("password", EXPERT_PASSWORD)],
        )
        .await;
    assert_eq!(login.status(), 303);
    let (status, html) = browser.page("/expert").await;
    assert_eq!(status, 200);
    assert!(html.contains("href=\"/expert/export\" download"));

    let response = browser.get("/expert/export").await;
    assert_eq!(response.status(), 200);
    assert_json_download(&response);
    let from_page: Value = response.json().await.unwrap();
    let (from_api, _) = download(&app, "/api/v1/experts/me/export", &cases.tokens[0]).await;
    assert_eq!(from_page["subject"]["id"], cases.ids[0].as_str());
    assert_eq!(without_time(from_page), without_time(from_api));
}
