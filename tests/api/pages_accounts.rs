//! Page forms and accounts: registration that keeps input and shows errors per field, CSRF,
//! login/logout, pause and profile edits, and the moderators' queue and audit log.

use crate::helpers::{EXPERT_PASSWORD, MODERATOR_PASSWORD, csrf_token, location, spawn_app};

#[tokio::test]
async fn registration_with_bad_input_shows_each_error_and_keeps_the_input() {
    let app = spawn_app().await;
    let browser = app.page_client("nl");
    let bad = browser
        .submit(
            "/experts/register",
            "/experts/register",
            &[
                ("company_name", "Veilig <b>IT</b>"),
                ("kvk_number", "123"),
                ("email", "info@veilig-it.nl"),
                ("password", "kort"),
                ("contact_name", "Fatma Yilmaz"),
                ("phone", "+31 6 1234 5678"),
                ("place", "Atlantis"),
                ("radius_km", "veel"),
                ("capacity", "3"),
                ("languages", "nl"),
                ("code_of_conduct_version", "1"),
            ],
        )
        .await;
    assert_eq!(bad.status(), 422);
    let html = bad.text().await.unwrap();
    for field in [
        "kvk_number",
        "password",
        "place",
        "radius_km",
        "expertise",
        "accept_code_of_conduct",
    ] {
        assert!(
            html.contains(&format!("id=\"e-{field}\"")),
            "error next to {field}"
        );
    }
    assert!(
        html.contains("href=\"#f-kvk_number\""),
        "the summary links to the field"
    );
    assert!(html.contains("Vul een KvK-nummer van 8 cijfers in."));
    assert!(
        html.contains("value=\"Veilig &lt;b&gt;IT&lt;/b&gt;\""),
        "input kept, escaped"
    );
    assert!(html.contains("value=\"Atlantis\"") && html.contains("value=\"veel\""));
    assert!(
        !html.contains("value=\"kort\""),
        "passwords are never sent back"
    );
    assert!(
        !html.contains("id=\"e-email\""),
        "good fields have no error"
    );
    assert!(
        app.emails_to("info@veilig-it.nl").await.is_empty(),
        "nobody was registered"
    );

    let good = browser
        .submit(
            "/experts/register",
            "/experts/register",
            &[
                ("company_name", "Veilig IT B.V."),
                ("kvk_number", "12345678"),
                ("email", "info@veilig-it.nl"),
                ("password", EXPERT_PASSWORD),
                ("contact_name", "Fatma Yilmaz"),
                ("phone", "+31 6 1234 5678"),
                ("place", "bergen op zoom"),
                ("radius_km", "40"),
                ("capacity", "3"),
                ("remote", "yes"),
                ("expertise", "ransomware"),
                ("expertise", "phishing"),
                ("languages", "nl"),
                ("languages", "tr"),
                ("code_of_conduct_version", "1"),
                ("accept_code_of_conduct", "yes"),
            ],
        )
        .await;
    assert_eq!(good.status(), 303);
    assert_eq!(location(&good), "/experts/registered");
    let emails = app.emails_to("info@veilig-it.nl").await;
    assert_eq!(emails[0].template, "expert_verification");
}

#[tokio::test]
async fn a_form_without_the_csrf_token_is_refused_with_a_friendly_page() {
    let app = spawn_app().await;
    let browser = app.page_client("en");
    browser.page("/login").await;
    let forged = browser
        .post_form("/login", &[("email", "a@b.nl"), ("password", "x")])
        .await;
    assert_eq!(forged.status(), 403);
    let html = forged.text().await.unwrap();
    assert!(html.contains("the form has expired"), "{html}");
    let wrong = browser
        .post_form(
            "/login",
            &[("csrf_token", "x".repeat(43).as_str()), ("email", "a@b.nl")],
        )
        .await;
    assert_eq!(wrong.status(), 403);
}

#[tokio::test]
async fn an_expert_logs_in_pauses_resumes_and_logs_out() {
    let app = spawn_app().await;
    app.pending_expert(1).await;
    let browser = app.page_client("nl");
    assert_eq!(location(&browser.get("/expert").await), "/login");

    let wrong = browser
        .submit(
            "/login",
            "/login",
            &[("email", "info1@veilig-it.nl"), ("password", "nope")],
        )
        .await;
    assert_eq!(wrong.status(), 401);
    let html = wrong.text().await.unwrap();
    assert!(html.contains("Het e-mailadres of het wachtwoord klopt niet."));
    assert!(html.contains("value=\"info1@veilig-it.nl\""));

    let login = browser
        .submit(
            "/login",
            "/login",
            &[
                ("email", "info1@veilig-it.nl"),
                ("password", EXPERT_PASSWORD),
            ],
        )
        .await;
    assert_eq!(location(&login), "/expert");
    let cookie = login.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let (status, profile) = browser.page("/expert").await;
    assert_eq!(status, 200);
    assert!(profile.contains("Veilig IT 1 B.V.") && profile.contains("Wacht op beoordeling"));

    let paused = browser.submit("/expert", "/expert/pause", &[]).await;
    assert_eq!(location(&paused), "/expert?done=paused");
    let (_, html) = browser.page("/expert?done=paused").await;
    assert!(html.contains("U staat op pauze.") && html.contains("Weer aanvragen ontvangen"));
    browser.submit("/expert", "/expert/resume", &[]).await;
    let (_, html) = browser.page("/expert").await;
    assert!(html.contains("Pauzeren"));

    let out = browser.submit("/expert", "/logout", &[]).await;
    assert_eq!(location(&out), "/");
    assert_eq!(location(&browser.get("/expert").await), "/login");
}

#[tokio::test]
async fn the_expert_edits_the_profile_and_a_bad_value_comes_back_with_its_error() {
    let app = spawn_app().await;
    app.pending_expert(1).await;
    let browser = app.page_client("en");
    browser
        .submit(
            "/login",
            "/login",
            &[
                ("email", "info1@veilig-it.nl"),
                ("password", EXPERT_PASSWORD),
            ],
        )
        .await;
    let (_, form) = browser.page("/expert/profile").await;
    assert!(form.contains("value=\"Bergen op Zoom\"") && form.contains("checked"));
    let token = csrf_token(&form);
    let fields = |capacity: &'static str| {
        vec![
            ("csrf_token", token.clone()),
            ("company_name", "Veilig IT 1 B.V.".to_owned()),
            ("kvk_number", "12340001".to_owned()),
            ("contact_name", "Ayse Yilmaz".to_owned()),
            ("phone", "+31 6 1234 5678".to_owned()),
            ("place", "Goes".to_owned()),
            ("radius_km", "40".to_owned()),
            ("capacity", capacity.to_owned()),
            ("expertise", "phishing".to_owned()),
            ("languages", "nl".to_owned()),
        ]
    };
    let as_refs = |v: &Vec<(&'static str, String)>| -> Vec<(&'static str, String)> { v.clone() };
    let bad = browser
        .client
        .post(format!("{}/expert/profile", browser.base))
        .form(&as_refs(&fields("500")))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
    let html = bad.text().await.unwrap();
    assert!(html.contains("Enter a number from 1 to 50.") && html.contains("value=\"Goes\""));
    let good = browser
        .client
        .post(format!("{}/expert/profile", browser.base))
        .form(&fields("5"))
        .send()
        .await
        .unwrap();
    assert_eq!(location(&good), "/expert?done=saved");
    let (_, profile) = browser.page("/expert").await;
    assert!(
        profile.contains("Ayse Yilmaz") && profile.contains("<bdi>Goes</bdi> (<bdi>Zeeland</bdi>)")
    );
}

#[tokio::test]
async fn a_moderator_approves_from_the_queue_and_sees_it_in_the_audit_log() {
    let app = spawn_app().await;
    let first = app.pending_expert(1).await;
    let second = app.pending_expert(2).await;
    app.create_moderator("moderator@pvo.nl", MODERATOR_PASSWORD)
        .await;
    let browser = app.page_client("nl");
    let login = browser
        .submit(
            "/login",
            "/login",
            &[
                ("email", "moderator@pvo.nl"),
                ("password", MODERATOR_PASSWORD),
            ],
        )
        .await;
    assert_eq!(location(&login), "/moderator/experts");
    let (status, queue) = browser.page("/moderator/experts").await;
    assert_eq!(status, 200);
    assert!(queue.contains("Veilig IT 1 B.V.") && queue.contains("Veilig IT 2 B.V."));

    let approve = browser
        .submit(
            "/moderator/experts",
            &format!("/moderator/experts/{first}/approve"),
            &[("status", "pending_review")],
        )
        .await;
    assert_eq!(
        location(&approve),
        "/moderator/experts?status=pending_review&done=approve"
    );
    let (_, queue) = browser.page("/moderator/experts").await;
    assert!(!queue.contains("Veilig IT 1 B.V.") && queue.contains("Veilig IT 2 B.V."));
    assert_eq!(
        app.emails_to("info1@veilig-it.nl")
            .await
            .last()
            .unwrap()
            .template,
        "expert_approved"
    );

    let no_reason = browser
        .submit(
            "/moderator/experts",
            &format!("/moderator/experts/{second}/reject"),
            &[("status", "pending_review"), ("reason", " x ")],
        )
        .await;
    assert_eq!(no_reason.status(), 422);
    let html = no_reason.text().await.unwrap();
    assert!(
        html.contains("Vul een reden in van 3 tot 2000 tekens.")
            && html.contains("> x </textarea>")
    );

    let (_, audit) = browser.page("/moderator/audit").await;
    assert!(audit.contains("expert.approved") && audit.contains(&first));

    let expert = app.page_client("nl");
    expert
        .submit(
            "/login",
            "/login",
            &[
                ("email", "info1@veilig-it.nl"),
                ("password", EXPERT_PASSWORD),
            ],
        )
        .await;
    assert_eq!(
        expert.page("/moderator/experts").await.0,
        403,
        "experts may not moderate"
    );
}
