//! Property test against the running app, on whichever database the tests use: arbitrary text
//! (control characters, direction overrides, zero-width characters, long runs of any Unicode)
//! in any text field of the main endpoints, in a query and in a path never gets a 5xx.
//! The cases are drawn with proptest's `TestRunner` inside the async test; bounded, so the
//! suite stays fast.

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Value, json};

use crate::helpers::{EXPERT_PASSWORD, expert_body, intake_body, spawn_app_with};
use crate::input_control::{at, string_paths};

const CASES: u32 = 48;

/// Text a careless or hostile client might send.
fn nasty_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[\\x00-\\x1f\\x7f\u{85}\u{2028}\u{202a}-\u{202e}\u{2066}-\u{2069}\u{200b}\u{feff}a-z0-9 %+&=/.@-]{0,40}",
        proptest::collection::vec(any::<char>(), 0..2000)
            .prop_map(|chars| chars.into_iter().collect::<String>()),
    ]
}

/// `body` with the string at the `pick`-th path replaced by `text`.
fn with_text(mut body: Value, pick: prop::sample::Index, text: &str) -> (String, Value) {
    let mut paths = Vec::new();
    string_paths(&body, "", &mut paths);
    let path = pick.get(&paths).clone();
    *at(&mut body, &path) = json!(text);
    (path, body)
}

#[tokio::test]
async fn arbitrary_text_in_any_field_query_or_path_is_never_a_server_error() {
    // Every field in turn is a flood by design: the per-client limits would answer first.
    let app = spawn_app_with(&[("RATE_LIMITS", "off")]).await;
    let registered = app.register_expert(&expert_body(1)).await;
    assert_eq!(registered.status(), 201);
    let mut runner = TestRunner::new(Config::with_cases(CASES));
    let strategy = (0..6usize, any::<prop::sample::Index>(), nasty_text());
    for case in 0..CASES {
        let (endpoint, pick, text) = strategy.new_tree(&mut runner).expect("a case").current();
        let (what, response) = match endpoint {
            0 => {
                let (path, body) = with_text(intake_body(), pick, &text);
                (path, app.submit_intake(&body).await)
            }
            1 => {
                let (path, body) = with_text(expert_body(100 + case), pick, &text);
                (path, app.register_expert(&body).await)
            }
            2 => {
                let login = json!({ "email": "info1@veilig-it.nl", "password": EXPERT_PASSWORD });
                let (path, body) = with_text(login, pick, &text);
                (path, app.post_json("/api/v1/sessions", &body).await)
            }
            3 => {
                let response = app
                    .client
                    .get(app.url("/api/v1/places"))
                    .query(&[("q", text.as_str())])
                    .send()
                    .await
                    .expect("request sent");
                ("q".to_owned(), response)
            }
            4 => {
                let segment: String =
                    url::form_urlencoded::byte_serialize(text.as_bytes()).collect();
                let path = format!("/api/v1/intakes/{segment}");
                (path.clone(), app.get_auth(&path, "not-a-token").await)
            }
            _ => {
                let segment: String =
                    url::form_urlencoded::byte_serialize(text.as_bytes()).collect();
                let path = format!("/case/{segment}");
                (path.clone(), app.get(&path).await)
            }
        };
        let status = response.status();
        assert!(
            status.is_client_error() || status.is_success(),
            "endpoint {endpoint}, {what} = {text:?}: {status} {:?}",
            response.text().await
        );
    }
}
