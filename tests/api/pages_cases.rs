//! The victim's case page behind the case link, the expert's request pages and the one-click
//! feedback page: each in two languages, forms with bad input, and that a token opens only its
//! own case.

use crate::connect::{matched_case, number_of};
use crate::helpers::{
    EXPERT_PASSWORD, PageClient, TestApp, case_of, link_token, location, spawn_app,
};
use serde_json::Value;

fn case_path(created: &Value) -> String {
    format!("/case/{}", case_of(created).1)
}

/// An expert logged in through the login page, landing on `next`.
async fn expert_browser(app: &TestApp, expert_id: &str, next: &str) -> PageClient {
    let browser = app.page_client("en");
    let email = format!("info{}@veilig-it.nl", number_of(app, expert_id).await);
    let response = browser
        .submit(
            &format!("/login?next={next}"),
            "/login",
            &[
                ("email", &email),
                ("password", EXPERT_PASSWORD),
                ("next", next),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        location(&response),
        next,
        "back where the email link pointed"
    );
    browser
}

#[tokio::test]
async fn a_victim_asks_from_the_case_page_and_sees_the_expert_after_acceptance() {
    let app = spawn_app().await;
    let (created, ids) = matched_case(&app).await;
    let path = case_path(&created);

    for (lang, heading, choose) in [
        ("nl", "Uw zaak: Ransomware", "Kies 1 tot 3 experts"),
        ("en", "Your case: Ransomware", "Choose 1 to 3 experts"),
    ] {
        // The switch beats the case's own language (the intake's, Dutch).
        let browser = app.page_client(lang);
        browser.page(&format!("/?lang={lang}")).await;
        let response = browser.get(&path).await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["cache-control"], "no-store");
        assert_eq!(response.headers()["referrer-policy"], "same-origin");
        let html = hackhelpdesk::i18n::without_isolates(&response.text().await.unwrap());
        assert!(html.contains(heading), "{lang}: {heading}");
        assert!(html.contains(choose));
        assert!(
            html.contains(&format!("value=\"{}\"", ids[0])),
            "matches to ask"
        );
        assert!(!html.contains("Veilig IT 1 B.V.") || html.contains("name=\"expert_ids\""));
    }

    // Asking nobody: the error is next to the list and in the summary.
    let victim = app.page_client("nl");
    let none = victim.submit(&path, &format!("{path}/ask"), &[]).await;
    assert_eq!(none.status(), 422);
    let html = none.text().await.unwrap();
    assert!(html.contains("id=\"e-expert_ids\"") && html.contains("href=\"#f-expert_ids\""));

    let asked = victim
        .submit(&path, &format!("{path}/ask"), &[("expert_ids", &ids[0])])
        .await;
    assert_eq!(asked.status(), 303);
    let (_, html) = victim.page(&path).await;
    assert!(html.contains("Hulp gevraagd") && html.contains("wacht op antwoord"));
    // The answer deadline in the time on the victim's own clock, not UTC.
    let expires: chrono::NaiveDateTime =
        serde_json::from_value(app.case(&created).await["requests"][0]["expires_at"].clone())
            .unwrap();
    let deadline = hackhelpdesk::clock::for_people(expires);
    assert!(deadline.ends_with("CET") || deadline.ends_with("CEST"));
    assert!(
        html.contains(&deadline) && !html.contains("UTC"),
        "{deadline}"
    );
    assert!(
        !html.contains("tel:+31"),
        "no expert contact before acceptance"
    );

    // The expert opens the email's link, logs in, sees the request anonymised, accepts.
    let request_path = format!(
        "/experts/requests/{}",
        app.case(&created).await["requests"][0]["id"]
            .as_str()
            .unwrap()
    );
    let anonymous = app.page_client("en").get(&request_path).await;
    assert_eq!(anonymous.status(), 303);
    assert!(location(&anonymous).starts_with("/login?next=%2Fexperts%2Frequests%2F"));
    let expert = expert_browser(&app, &ids[0], &request_path).await;
    let (status, html) = expert.page(&request_path).await;
    assert_eq!(status, 200);
    assert!(html.contains("Help request: Ransomware") && html.contains("Bergen op Zoom"));
    assert!(!html.contains("Jan de Vries") && !html.contains("jan@bakkerij-devries.nl"));
    let (_, list) = expert.page("/expert/requests").await;
    assert!(
        list.contains(&request_path),
        "the list links to the request"
    );

    let accepted = expert
        .submit(&request_path, &format!("{request_path}/accept"), &[])
        .await;
    assert_eq!(accepted.status(), 303);
    let (_, html) = expert.page(&request_path).await;
    assert!(html.contains("Jan de Vries") && html.contains("jan@bakkerij-devries.nl"));

    let (_, html) = victim.page(&path).await;
    assert!(html.contains("Verbonden met een expert"));
    assert!(html.contains("info1@veilig-it.nl") || html.contains("mailto:info"));
    assert!(html.contains("tel:"), "the expert's phone once connected");

    // A second answer is refused with the reason on the page, not an error.
    let again = expert
        .submit(
            &request_path,
            &format!("{request_path}/decline"),
            &[("reason", "te druk")],
        )
        .await;
    assert_eq!(again.status(), 409);
    assert!(again.text().await.unwrap().contains("no longer possible"));
}

#[tokio::test]
async fn a_case_token_opens_only_its_own_case_and_unknown_tokens_get_the_404_page() {
    let app = spawn_app().await;
    let (created, _) = matched_case(&app).await;
    let browser = app.page_client("en");
    let (status, html) = browser.page("/case/not-a-real-token-at-all").await;
    assert_eq!(status, 404);
    assert!(html.contains("<html"), "the friendly page");
    // The intake id is not the token.
    let (status, _) = browser
        .page(&format!("/case/{}", case_of(&created).0))
        .await;
    assert_eq!(status, 404);
    // Posting to another (unknown) case is a 404 too, even with a valid CSRF token.
    let path = case_path(&created);
    let (status, html) = browser.page(&format!("{path}?lang=ar")).await;
    assert_eq!(status, 200);
    assert!(html.contains("dir=\"rtl\"") && html.contains("حالتك"));
    assert!(
        html.contains("lang=\"en\""),
        "step texts fall back to English, marked"
    );
    let response = browser
        .submit(
            &path,
            "/case/not-a-real-token-at-all/close",
            &[("outcome", "resolved")],
        )
        .await;
    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn steps_close_feedback_and_erasure_work_from_the_pages() {
    let app = spawn_app().await;
    let (created, _) = matched_case(&app).await;
    let path = case_path(&created);
    let victim = app.page_client("en");
    victim.page("/?lang=en").await;

    let ticked = victim
        .submit(&path, &format!("{path}/steps/2"), &[("done", "true")])
        .await;
    assert_eq!(ticked.status(), 303);
    assert_eq!(
        app.case(&created).await["steps_done"],
        serde_json::json!([2])
    );
    let (_, html) = victim.page(&path).await;
    assert!(html.contains("Mark as not done"), "step 2 shows as done");

    let bad = victim
        .submit(&path, &format!("{path}/close"), &[("outcome", "whatever")])
        .await;
    assert_eq!(bad.status(), 422);
    assert!(bad.text().await.unwrap().contains("id=\"e-outcome\""));
    let closed = victim
        .submit(&path, &format!("{path}/close"), &[("outcome", "resolved")])
        .await;
    assert_eq!(closed.status(), 303);
    let (_, html) = victim.page(&path).await;
    assert!(
        html.contains("Closed as") && html.contains("How did it go?"),
        "{html}"
    );

    // The one-click feedback link from the email: a bad score first, the comment kept.
    assert_eq!(app.run_lifecycle().await.feedback_invitations, 1);
    let mail = app.emails_with("feedback_invitation").await.remove(0);
    let link = format!("/feedback/{}", link_token(&mail, "feedback"));
    let nl = app.page_client("nl");
    let (status, html) = nl.page(&link).await;
    assert_eq!(status, 200);
    assert!(html.contains("Hoe ging het?"));
    let bad = nl
        .submit(&link, &link, &[("comment", "Snel geholpen")])
        .await;
    assert_eq!(bad.status(), 422);
    let html = bad.text().await.unwrap();
    assert!(html.contains("id=\"e-helped\"") && html.contains(">Snel geholpen</textarea>"));
    let good = nl
        .submit(
            &link,
            &link,
            &[("helped", "5"), ("resolved", "yes"), ("comment", "Snel")],
        )
        .await;
    assert_eq!(good.status(), 200);
    let (_, html) = nl.page(&link).await;
    assert!(html.contains("al beantwoord"), "once only");
    assert!(
        app.case(&created).await["feedback_given"]
            .as_bool()
            .unwrap()
    );

    // Erasure asks first, then erases.
    let (status, html) = victim.page(&format!("{path}/erase")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Are you sure?"));
    let erased = victim
        .submit(&format!("{path}/erase"), &format!("{path}/erase"), &[])
        .await;
    assert_eq!(erased.status(), 200);
    let (_, html) = victim.page(&path).await;
    assert!(html.contains("Data erased") && !html.contains("Jan de Vries"));
}

#[tokio::test]
async fn the_intake_form_keeps_input_on_errors_and_leads_to_the_case_page() {
    let app = spawn_app().await;
    for (lang, heading) in [
        ("nl", "Hulp van een expert vragen"),
        ("en", "Get help from an expert"),
    ] {
        let (status, html) = app.page_client(lang).page("/intake?type=phishing").await;
        assert_eq!(status, 200);
        assert!(html.contains(heading), "{lang}");
        assert!(html.contains("value=\"phishing\" lang=\"") && html.contains(" selected>"));
        assert!(html.contains("href=\"/disclaimer\""));
    }
    let (_, first_aid) = app.page_client("nl").page("/first-aid/ransomware").await;
    assert!(
        first_aid.contains("href=\"/intake?type=ransomware\""),
        "reachable from first aid"
    );

    let victim = app.page_client("en");
    let mut fields = vec![
        ("incident_type", "ransomware"),
        ("urgency", "acute"),
        ("description", "Alles is versleuteld <script>"),
        ("place", "Atlantis"),
        ("language", "nl"),
        ("contact_name", "Jan de Vries"),
        ("contact_email", "geen-adres"),
        ("company_kvk", "12"),
        ("consent_to_share", "yes"),
    ];
    let bad = victim.submit("/intake", "/intake", &fields).await;
    assert_eq!(bad.status(), 422);
    let html = bad.text().await.unwrap();
    for field in [
        "place",
        "contact_email",
        "company_kvk",
        "disclaimer_accepted",
    ] {
        assert!(
            html.contains(&format!("id=\"e-{field}\"")),
            "error next to {field}"
        );
        assert!(
            html.contains(&format!("href=\"#f-{field}\"")),
            "summary links {field}"
        );
    }
    assert!(!html.contains("id=\"e-contact_name\""));
    assert!(
        html.contains(">Alles is versleuteld &lt;script&gt;</textarea>"),
        "kept, escaped"
    );
    assert!(html.contains("value=\"Atlantis\"") && html.contains("value=\"geen-adres\""));
    assert!(
        html.contains("id=\"f-consent_to_share\" name=\"consent_to_share\" value=\"yes\" checked")
    );

    fields.retain(|(k, _)| !["place", "contact_email", "company_kvk"].contains(k));
    fields.extend([
        ("place", "Bergen op Zoom"),
        ("contact_email", "jan@bakkerij-devries.nl"),
        ("disclaimer_accepted", "yes"),
    ]);
    let good = victim.submit("/intake", "/intake", &fields).await;
    assert_eq!(good.status(), 303);
    let case = location(&good);
    // A double click sends the same form again: still one intake, one email.
    let again = victim.submit("/intake", "/intake", &fields).await;
    assert_eq!(again.status(), 303);
    assert!(location(&again).starts_with("/case/"));
    let (_, html) = victim.page(&location(&again)).await;
    assert!(html.contains("Your case: Ransomware"));
    assert!(case.starts_with("/case/"));
    let (status, html) = victim.page(&case).await;
    assert_eq!(status, 200);
    assert!(html.contains("Your case: Ransomware"));
    assert_eq!(
        app.emails_with("intake_received").await.len(),
        1,
        "the case email"
    );
}

#[tokio::test]
async fn the_resilience_link_opens_a_one_click_form_in_any_language() {
    let app = spawn_app().await;
    let (created, ids) = matched_case(&app).await;
    let request = app.ask_ok(&created, &[&ids[0]]).await.remove(0);
    let expert = app.expert_token(number_of(&app, &ids[0]).await).await;
    let accepted = app
        .respond(&request, "accept", &expert, &serde_json::json!({}))
        .await;
    assert_eq!(accepted.status(), 200);
    app.clock.advance(chrono::Duration::days(91));
    app.run_lifecycle().await;
    app.run_lifecycle().await;
    let mail = app.emails_with("resilience_check").await.remove(0);
    let link = format!("/resilience/{}", link_token(&mail, "resilience"));

    let (status, html) = app.page_client("ar").page(&link).await;
    assert_eq!(status, 200);
    assert!(html.contains("dir=\"rtl\"") && html.contains("هل أنت محمي"));
    let (status, _) = app.page_client("en").page("/resilience/not-a-token").await;
    assert_eq!(status, 404);

    let browser = app.page_client("en");
    let long = "x".repeat(2001);
    let bad = browser
        .submit(
            &link,
            &link,
            &[
                ("mfa", "yes"),
                ("offline_backups", "no"),
                ("comment", &long),
            ],
        )
        .await;
    assert_eq!(bad.status(), 422);
    let html = bad.text().await.unwrap();
    assert!(html.contains("id=\"e-comment\""));
    for unanswered in ["incident_plan", "auto_updates"] {
        assert!(
            html.contains(&format!("id=\"e-{unanswered}\"")),
            "{unanswered}"
        );
    }
    assert!(!html.contains("id=\"e-mfa\""));
    assert!(
        html.contains("name=\"mfa\" value=\"yes\" checked"),
        "choices kept"
    );
    let good = browser
        .submit(
            &link,
            &link,
            &[
                ("offline_backups", "yes"),
                ("mfa", "yes"),
                ("incident_plan", "unknown"),
                ("auto_updates", "no"),
                ("reported_to_police", "yes"),
            ],
        )
        .await;
    assert_eq!(good.status(), 200);
    assert!(
        good.text()
            .await
            .unwrap()
            .contains("Your answer has been saved.")
    );
    let (_, html) = browser.page(&link).await;
    assert!(html.contains("already answered"));
}
