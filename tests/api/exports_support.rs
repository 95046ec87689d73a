//! Fixtures of the export tests: two victims and three experts with a connected, closed case
//! each, and the checks every export download must pass.

use serde_json::{Value, json};

use crate::connect::{matched_case, number_of};
use crate::helpers::{TestApp, case_of, intake_body};

/// A second victim, different from `intake_body` in every personal field.
pub const OTHER_IDENTITY: [&str; 5] = [
    "Piet Jansen",
    "piet@garage-jansen.nl",
    "1111 2222",
    "Garage Jansen",
    "koppeling van de werkplaats",
];

pub fn other_intake_body() -> Value {
    let mut body = intake_body();
    body["contact"] = json!({ "name": "Piet Jansen", "email": "piet@garage-jansen.nl", "phone": "+31 6 1111 2222" });
    body["company"] = json!({ "name": "Garage Jansen", "kvk_number": "11223344", "employees": 4, "sector": "garage" });
    body["description"] =
        json!("Na een klik op een link is de koppeling van de werkplaats versleuteld.");
    body
}

/// Two victims (A, B) and three experts; A is connected to expert 0 (complaint, step 1 ticked,
/// closed, feedback), B to expert 1 (expert 0's request to B withdrawn).
pub struct TwoCases {
    pub a: Value,
    pub b: Value,
    pub ids: Vec<String>,
    pub tokens: Vec<String>,
}

pub async fn two_cases(app: &TestApp) -> TwoCases {
    let (a, ids) = matched_case(app).await;
    let b = app.intake(&other_intake_body()).await;
    let mut tokens = Vec::new();
    for id in &ids[..2] {
        tokens.push(app.expert_token(number_of(app, id).await).await);
    }
    for (case, expert) in [(&a, 0), (&b, 1)] {
        let requests = app.ask_ok(case, &[&ids[0], &ids[1]]).await;
        let accepted = app
            .respond(&requests[expert], "accept", &tokens[expert], &json!({}))
            .await;
        assert_eq!(accepted.status(), 200);
    }
    let (id, token) = case_of(&a);
    let step = format!("/api/v1/intakes/{id}/steps/1");
    let ticked = app.post_auth(&step, token, &json!({ "done": true })).await;
    assert_eq!(ticked.status(), 200);
    let complaint =
        json!({ "expert_id": ids[0], "reason": "Kwam twee keer te laat op de afspraak" });
    assert_eq!(
        app.victim_post(&a, "complaints", &complaint).await.status(),
        201
    );
    let closed = json!({ "outcome": "resolved" });
    assert_eq!(app.victim_post(&a, "close", &closed).await.status(), 200);
    let feedback = json!({ "helped": 4, "resolved": true, "more_resilient": true, "comment": "Fijne hulp, dank" });
    assert_eq!(
        app.victim_post(&a, "feedback", &feedback).await.status(),
        201
    );
    TwoCases { a, b, ids, tokens }
}

/// `GET path` with `token`: asserts a JSON download and returns the document and its text.
pub async fn download(app: &TestApp, path: &str, token: &str) -> (Value, String) {
    let response = app.get_auth(path, token).await;
    assert_eq!(response.status(), 200, "{path}");
    assert_json_download(&response);
    let text = response.text().await.expect("body");
    (serde_json::from_str(&text).expect("json"), text)
}

pub fn assert_json_download(response: &reqwest::Response) {
    let headers = response.headers();
    let disposition = headers["content-disposition"].to_str().unwrap();
    assert!(
        disposition.starts_with("attachment; filename=\"") && disposition.ends_with(".json\""),
        "{disposition}"
    );
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    assert_eq!(headers["cache-control"], "no-store");
}
