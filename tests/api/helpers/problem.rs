//! Asserting problem+json answers.

use serde_json::Value;

/// Asserts a problem+json answer with the given status and returns its body.
pub async fn assert_problem(response: reqwest::Response, status: u16) -> Value {
    assert_eq!(response.status().as_u16(), status, "unexpected status");
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        content_type.starts_with("application/problem+json"),
        "content-type {content_type}"
    );
    let body: Value = response.json().await.expect("problem body is JSON");
    assert_eq!(body["status"], status);
    for member in ["type", "title", "detail"] {
        assert!(body[member].is_string(), "problem lacks {member}: {body}");
    }
    body
}

/// The field names of a 422 problem.
pub fn problem_fields(body: &Value) -> Vec<String> {
    body["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .filter_map(|e| e["field"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}
