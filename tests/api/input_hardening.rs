//! Odd input found in review that must be refused with a clear 422, never stored and shown to
//! moderators or victims.

use serde_json::json;

use crate::helpers::{assert_problem, expert_body, problem_fields, spawn_app};

#[tokio::test]
async fn names_that_are_invisible_or_flip_the_text_direction_are_refused() {
    let app = spawn_app().await;
    for (n, (field, value)) in [
        ("company_name", "\u{200b}\u{200b}\u{200b}"),
        ("company_name", "\u{202e}V.B TI giliev"),
        ("contact_name", "Fatma\u{2067} Yilmaz"),
        ("contact_name", "\u{feff} \u{2060}"),
    ]
    .into_iter()
    .enumerate()
    {
        let mut body = expert_body(n as u32);
        body[field] = json!(value);
        let problem = assert_problem(app.register_expert(&body).await, 422).await;
        assert_eq!(problem_fields(&problem), [field], "{value:?}");
    }
    // Names in other scripts, with a zero-width non-joiner as Persian writes it, stay fine.
    let mut body = expert_body(9);
    body["contact_name"] = json!("Mehr\u{200c}dad Ahmadi");
    body["company_name"] = json!("Çelik & Zonen ICT");
    assert_eq!(app.register_expert(&body).await.status(), 201);
}
