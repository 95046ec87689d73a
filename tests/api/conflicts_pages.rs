//! The pages say what a conflict was, in the reader's language: the sentence of the conflict's
//! catalogue key (`conflict.<code>`) on the form that was refused, on the moderators' list after
//! the redirect (`?done=conflict&why=<code>`), or on the error page.

use serde_json::{Value, json};

use crate::connect::{matched_case, number_of};
use crate::helpers::{
    EXPERT_PASSWORD, MODERATOR_PASSWORD, PageClient, TestApp, case_of, expert_body, location,
    spawn_app,
};

/// The sentence for `code` in `lang`, as a page shows it (HTML-escaped).
fn sentence(lang: &str, code: &str) -> String {
    let catalogues = hackhelpdesk::i18n::Catalogues::shared().unwrap();
    let text = catalogues
        .get(lang)
        .and_then(|l| l.get(&format!("conflict.{code}")))
        .unwrap_or_else(|| panic!("conflict.{code} in {lang}"));
    handlebars::html_escape(text)
}

/// Asserts that `html` shows the sentence of `code` in `lang`.
fn shows(html: &str, lang: &str, code: &str) {
    let expected = sentence(lang, code);
    assert!(html.contains(&expected), "{lang}: {expected:?} missing");
}

/// A browser in `lang`, logged in through the login page.
async fn logged_in(app: &TestApp, lang: &str, email: &str, password: &str) -> PageClient {
    let browser = app.reader(lang).await;
    let login = [("email", email), ("password", password)];
    let response = browser.submit("/login", "/login", &login).await;
    assert_eq!(response.status(), 303);
    browser
}

#[tokio::test]
async fn the_expert_request_page_says_the_request_was_already_accepted_or_withdrawn() {
    let app = spawn_app().await;
    let (created, ids) = matched_case(&app).await;
    let requests = app.ask_ok(&created, &[&ids[0], &ids[1]]).await;
    let token = app.expert_token(number_of(&app, &ids[0]).await).await;
    let accepted = app
        .respond(&requests[0], "accept", &token, &json!({}))
        .await;
    assert_eq!(accepted.status(), 200);
    for (lang, n, request, code) in [
        ("nl", 0, &requests[0], "request_accepted"),
        ("en", 0, &requests[0], "request_accepted"),
        ("nl", 1, &requests[1], "request_withdrawn"),
        ("en", 1, &requests[1], "request_withdrawn"),
    ] {
        let email = format!("info{}@veilig-it.nl", number_of(&app, &ids[n]).await);
        let expert = logged_in(&app, lang, &email, EXPERT_PASSWORD).await;
        let path = format!("/experts/requests/{request}");
        let action = format!("{path}/decline");
        let refused = expert
            .submit(&path, &action, &[("reason", "te druk")])
            .await;
        assert_eq!(refused.status(), 409);
        shows(&refused.text().await.unwrap(), lang, code);
    }
}

#[tokio::test]
async fn the_case_page_says_the_case_is_closed() {
    let app = spawn_app().await;
    let (created, ids) = matched_case(&app).await;
    let closed = app
        .victim_post(&created, "close", &json!({ "outcome": "no_longer_needed" }))
        .await;
    assert_eq!(closed.status(), 200);
    let path = format!("/case/{}", case_of(&created).1);
    for lang in ["nl", "en"] {
        let victim = app.reader(lang).await;
        let ask = format!("{path}/ask");
        let refused = victim.submit(&path, &ask, &[("expert_ids", &ids[0])]).await;
        assert_eq!(refused.status(), 409);
        shows(&refused.text().await.unwrap(), lang, "case_closed");
    }
}

#[tokio::test]
async fn the_registration_page_says_taken_the_same_way_for_email_and_kvk_number() {
    let app = spawn_app().await;
    assert_eq!(app.register_expert(&expert_body(1)).await.status(), 201);
    let taken: Value = expert_body(1);
    let (email, kvk) = (
        taken["email"].as_str().unwrap(),
        taken["kvk_number"].as_str().unwrap(),
    );
    for (lang, email, kvk) in [("nl", email, "87654321"), ("en", "nieuw@veilig-it.nl", kvk)] {
        let browser = app.reader(lang).await;
        let form = [
            ("company_name", "Ander Bedrijf B.V."),
            ("kvk_number", kvk),
            ("email", email),
            ("password", EXPERT_PASSWORD),
            ("contact_name", "Fatma Yilmaz"),
            ("phone", "+31 6 1234 5678"),
            ("place", "bergen op zoom"),
            ("radius_km", "40"),
            ("capacity", "3"),
            ("expertise", "ransomware"),
            ("languages", "nl"),
            ("code_of_conduct_version", "1"),
            ("accept_code_of_conduct", "yes"),
        ];
        let refused = browser
            .submit("/experts/register", "/experts/register", &form)
            .await;
        assert_eq!(refused.status(), 422);
        shows(&refused.text().await.unwrap(), lang, "registration_taken");
    }
}

#[tokio::test]
async fn the_moderators_list_and_the_error_page_say_what_the_status_did_not_allow() {
    let app = spawn_app().await;
    app.moderator_token().await;
    assert_eq!(app.register_expert(&expert_body(1)).await.status(), 201);
    let id = app.register_expert(&expert_body(2)).await;
    let id = id.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for lang in ["nl", "en"] {
        let moderator = logged_in(&app, lang, "moderator@pvo.nl", MODERATOR_PASSWORD).await;
        let list = "/moderator/experts?status=unverified";
        let action = format!("/moderator/experts/{id}/approve");
        let refused = moderator
            .submit(list, &action, &[("status", "unverified")])
            .await;
        assert_eq!(refused.status(), 303);
        let back = location(&refused);
        assert!(
            back.contains("done=conflict") && back.contains("why=expert_status"),
            "{back}"
        );
        let (_, html) = moderator.page(&back).await;
        shows(&html, lang, "expert_status");

        // An unverified expert asks for a review it cannot ask for yet: the error page says so.
        let expert = logged_in(&app, lang, "info1@veilig-it.nl", EXPERT_PASSWORD).await;
        let refused = expert.submit("/expert", "/expert/resubmit", &[]).await;
        assert_eq!(refused.status(), 409);
        shows(&refused.text().await.unwrap(), lang, "expert_status");
    }
}
