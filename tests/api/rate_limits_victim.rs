//! The limits are for scripts, not for people: a victim going through the whole case from one
//! address, with the limits on, never meets a 429 (nor does anyone else in the same test).

use serde_json::json;

use crate::helpers::{
    PageClient, TestApp, csrf_token, expert_body, link_token, location, spawn_app,
};

/// GETs a page that must be served.
async fn view(browser: &PageClient, path: &str) -> String {
    let (status, html) = browser.page(path).await;
    assert_eq!(status, 200, "{path}");
    html
}

/// POSTs a form from `page` that must be accepted (303 or 200), never refused.
async fn send(browser: &PageClient, page: &str, action: &str, fields: &[(&str, &str)]) -> u16 {
    let response = browser.submit(page, action, fields).await;
    let status = response.status().as_u16();
    assert!(status == 303 || status == 200, "{action}: {status}");
    status
}

/// Three approved experts in Bergen op Zoom (their registrations come from the same address).
async fn experts(app: &TestApp) {
    let moderator = app.moderator_token().await;
    for n in 1..=3 {
        let mut body = expert_body(n);
        body["capacity"] = json!(50);
        app.approved_expert(&moderator, &body).await;
    }
}

#[tokio::test]
async fn a_victim_going_through_the_whole_case_never_meets_a_limit() {
    let app = spawn_app().await;
    assert!(app.state.limits.enabled(), "the limits are on by default");
    experts(&app).await;
    let victim = app.page_client("nl");

    // Looks around, types a place name letter by letter, fills in the form (and clicks twice).
    view(&victim, "/").await;
    view(&victim, "/first-aid/ransomware").await;
    let place = "Bergen op Zoom";
    for end in 1..=place.len() {
        let typed = app
            .get(&format!("/api/v1/places?q={}", &place[..end]))
            .await;
        assert_eq!(typed.status(), 200, "suggestions while typing");
    }
    let fields = [
        ("incident_type", "ransomware"),
        ("urgency", "acute"),
        (
            "description",
            "Alles is versleuteld en er staat een losgeldbericht.",
        ),
        ("place", place),
        ("language", "nl"),
        ("contact_name", "Jan de Vries"),
        ("contact_email", "jan@bakkerij-devries.nl"),
        ("consent_to_share", "yes"),
        ("disclaimer_accepted", "yes"),
    ];
    let mut case = String::new();
    for _ in 0..2 {
        let sent = victim.submit("/intake", "/intake", &fields).await;
        assert_eq!(sent.status(), 303);
        case = location(&sent);
    }

    // Comes back to the case page now and then, asks an expert, ticks every step, closes.
    let mut html = String::new();
    for _ in 0..5 {
        html = view(&victim, &case).await;
    }
    let expert = html
        .split("name=\"expert_ids\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a match to ask")
        .to_owned();
    send(
        &victim,
        &case,
        &format!("{case}/ask"),
        &[("expert_ids", &expert)],
    )
    .await;
    let steps: Vec<String> = html
        .split(&format!("action=\"{case}/steps/"))
        .skip(1)
        .filter_map(|rest| rest.split('"').next().map(str::to_owned))
        .collect();
    assert!(steps.len() >= 3, "the case lists its steps");
    for step in &steps {
        let action = format!("{case}/steps/{step}");
        send(&victim, &case, &action, &[("done", "true")]).await;
        view(&victim, &case).await;
    }
    // Changes their mind about one step, and back.
    let first = format!("{case}/steps/{}", steps[0]);
    send(&victim, &case, &first, &[("done", "false")]).await;
    send(&victim, &case, &first, &[("done", "true")]).await;
    send(
        &victim,
        &case,
        &format!("{case}/close"),
        &[("outcome", "resolved")],
    )
    .await;
    assert!(view(&victim, &case).await.contains("afgesloten"));

    // The feedback link from the email, opened twice, answered once.
    assert_eq!(app.run_lifecycle().await.feedback_invitations, 1);
    let mail = app.emails_with("feedback_invitation").await.remove(0);
    let link = format!("/feedback/{}", link_token(&mail, "feedback"));
    let html = view(&victim, &link).await;
    assert!(!csrf_token(&html).is_empty());
    let fields = [("helped", "5"), ("resolved", "yes"), ("comment", "Snel")];
    assert_eq!(send(&victim, &link, &link, &fields).await, 200);
    view(&victim, &link).await;
}
