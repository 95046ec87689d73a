//! The API's OpenAPI document: served at `/api/v1/openapi.json`, version 3.1, and naming exactly
//! the routes the service mounts (from the route registry, the same list the server mounts),
//! with a problem answer on every operation.

use std::collections::BTreeSet;

use crate::helpers::{assert_problem, spawn_app};
use serde_json::Value;

async fn document() -> Value {
    let app = spawn_app().await;
    let response = app.get("/api/v1/openapi.json").await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

fn documented(doc: &Value) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("path item").keys() {
            if path.starts_with("/api/v1/") {
                found.insert(format!("{} {path}", method.to_uppercase()));
            }
        }
    }
    found
}

#[tokio::test]
async fn the_document_names_exactly_the_mounted_api_routes() {
    let doc = document().await;
    assert_eq!(doc["openapi"], "3.1.0");
    let mounted: BTreeSet<String> = hackhelpdesk::http::routes::api()
        .list()
        .into_iter()
        .map(|(method, path)| format!("{method} /api/v1{path}"))
        .collect();
    let documented = documented(&doc);
    let missing: Vec<_> = mounted.difference(&documented).collect();
    let not_mounted: Vec<_> = documented.difference(&mounted).collect();
    assert!(
        missing.is_empty(),
        "mounted but not documented: {missing:?}"
    );
    assert!(
        not_mounted.is_empty(),
        "documented but not mounted: {not_mounted:?}"
    );
}

#[tokio::test]
async fn every_operation_answers_problems_and_every_reference_resolves() {
    let doc = document().await;
    let problem = &doc["components"]["schemas"]["Problem"];
    for field in ["type", "title", "status", "detail", "code"] {
        assert!(problem["properties"][field].is_object(), "Problem.{field}");
    }
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let default = &op["responses"]["default"]["content"]["application/problem+json"];
            assert!(default.is_object(), "{method} {path} has no problem answer");
        }
    }
    let text = doc.to_string();
    for reference in text.split("\"$ref\":\"").skip(1) {
        let target = reference.split('"').next().unwrap();
        let name = target.trim_start_matches("#/components/schemas/");
        assert!(
            doc["components"]["schemas"][name].is_object(),
            "{target} does not resolve"
        );
    }
    let schemes = &doc["components"]["securitySchemes"];
    for scheme in ["session", "case_token", "link_token"] {
        assert_eq!(schemes[scheme]["scheme"], "bearer", "{scheme}");
    }
}

#[tokio::test]
async fn a_wrong_method_on_a_known_path_is_a_405_naming_the_allowed_ones() {
    let app = spawn_app().await;
    let response = app
        .client
        .put(app.url("/api/v1/intakes/some-id"))
        .send()
        .await
        .unwrap();
    let allow = response.headers()["allow"].to_str().unwrap().to_owned();
    assert_eq!(allow, "GET, DELETE");
    let body = assert_problem(response, 405).await;
    assert_eq!(body["code"], "method_not_allowed");
    let unknown = app.get("/api/v1/no-such-thing").await;
    assert_problem(unknown, 404).await;
}
