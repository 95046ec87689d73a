//! End-to-end flows in headless Chromium against the real server: a victim presses the help
//! button, answers triage and ticks a step; an expert registers (bad input first), confirms,
//! logs in and pauses; a moderator approves an expert from the queue. Key pages are
//! screenshotted at 390 and 1280 px and checked with axe-core (no serious violations).

use crate::browser_support::start_browser;
use crate::helpers::{EXPERT_PASSWORD, MODERATOR_PASSWORD, spawn_app};

#[tokio::test]
async fn a_victim_presses_help_answers_triage_and_ticks_a_step() {
    let Some(browser) = start_browser().await else {
        return;
    };
    let app = spawn_app().await;
    browser.goto(&app.url("/?lang=nl")).await;
    browser.screenshot("home", 390).await;
    browser.screenshot("home", 1280).await;
    browser.assert_accessible("home").await;

    browser.click_and_load("a.help-button").await;
    assert!(
        browser.text("legend").await.contains("betalen"),
        "the first question"
    );
    browser.click_and_load("button[value=n]").await;
    browser.find("input[name=path][value=n]").await;
    assert!(browser.text("main").await.contains("Vraag 2"));
    browser.screenshot("triage", 390).await;
    browser.screenshot("triage", 1280).await;
    browser.assert_accessible("triage").await;

    browser.click_and_load("button[value=y]").await;
    let heading = browser.text("h1").await;
    assert!(heading.contains("Eerste hulp"), "{heading}");
    browser.click("label[for=step-0]").await;
    let ticked = browser.find("#step-0").await.is_selected().await.unwrap();
    assert!(ticked, "the first step is ticked");
    browser.screenshot("steps", 390).await;
    browser.screenshot("steps", 1280).await;
    browser.assert_accessible("first-aid steps").await;

    browser.goto(&app.url("/?lang=ar")).await;
    browser.screenshot("home-ar", 390).await;
    browser.assert_accessible("home in Arabic").await;
    for (code, button) in [
        ("tr", "Yardım edin, hacklendim"),
        ("pl", "Pomocy, zhakowano mnie"),
    ] {
        browser.goto(&app.url(&format!("/?lang={code}"))).await;
        assert_eq!(browser.text("a.help-button").await.trim(), button);
        browser.screenshot(&format!("home-{code}"), 390).await;
        browser.assert_accessible(&format!("home in {code}")).await;
        browser.click_and_load("a.help-button").await;
        browser.click_and_load("button[value=y]").await;
        browser.screenshot(&format!("steps-{code}"), 390).await;
        browser
            .assert_accessible(&format!("first-aid steps in {code}"))
            .await;
    }
    browser.close().await;
}

#[tokio::test]
async fn an_expert_registers_through_the_form_then_logs_in_and_pauses() {
    let Some(browser) = start_browser().await else {
        return;
    };
    let app = spawn_app().await;
    browser.goto(&app.url("/experts/register?lang=nl")).await;
    browser.screenshot("register", 390).await;
    browser.screenshot("register", 1280).await;
    browser.assert_accessible("register").await;

    let typed = [
        ("#f-company_name", "Veilig IT B.V."),
        ("#f-kvk_number", "123"),
        ("#f-contact_name", "Fatma Yilmaz"),
        ("#f-email", "info@veilig-it.nl"),
        ("#f-phone", "06 1234 5678"),
        ("#f-password", EXPERT_PASSWORD),
    ];
    for (field, text) in typed {
        browser.fill(field, text).await;
    }
    browser.pick_place("#f-place", "Bergen op Zoom").await;
    browser.click("#x-ransomware").await;
    browser
        .click_and_load("form.stack > p > button[type=submit]")
        .await;

    let summary = browser.text(".error-summary").await;
    assert!(summary.contains("KvK-nummer van 8 cijfers"), "{summary}");
    assert!(summary.contains("gedragscode"), "{summary}");
    browser.find("#e-kvk_number").await;
    assert_eq!(browser.value("#f-company_name").await, "Veilig IT B.V.");
    assert_eq!(browser.value("#f-place").await, "Bergen op Zoom");
    assert!(
        browser
            .find("#x-ransomware")
            .await
            .is_selected()
            .await
            .unwrap()
    );
    browser.screenshot("register-errors", 390).await;
    browser.assert_accessible("register with errors").await;

    browser.fill("#f-kvk_number", "12345678").await;
    browser.fill("#f-password", EXPERT_PASSWORD).await;
    browser.click("#f-accept_code_of_conduct").await;
    browser
        .click_and_load("form.stack > p > button[type=submit]")
        .await;
    assert!(browser.text("h1").await.contains("bevestig uw e-mailadres"));

    let token = app.verification_token("info@veilig-it.nl").await;
    browser
        .goto(&app.url(&format!("/experts/verify?token={token}")))
        .await;
    browser
        .click_and_load("main form button[type=submit]")
        .await;
    assert!(browser.text("h1").await.contains("is bevestigd"));

    browser.goto(&app.url("/login")).await;
    browser.fill("#f-email", "info@veilig-it.nl").await;
    browser.fill("#f-password", EXPERT_PASSWORD).await;
    browser
        .click_and_load("main form button[type=submit]")
        .await;
    assert!(browser.text("main").await.contains("Wacht op beoordeling"));
    browser
        .click_and_load("form[action='/expert/pause'] button")
        .await;
    assert!(browser.text(".flash").await.contains("U staat op pauze."));
    browser.assert_accessible("expert profile").await;
    browser.close().await;
}

#[tokio::test]
async fn a_moderator_logs_in_and_approves_an_expert_from_the_queue() {
    let Some(browser) = start_browser().await else {
        return;
    };
    let app = spawn_app().await;
    let id = app.pending_expert(1).await;
    app.pending_expert(2).await;
    app.create_moderator("moderator@pvo.nl", MODERATOR_PASSWORD)
        .await;
    browser.goto(&app.url("/login?lang=nl")).await;
    browser.fill("#f-email", "moderator@pvo.nl").await;
    browser.fill("#f-password", MODERATOR_PASSWORD).await;
    browser
        .click_and_load("main form button[type=submit]")
        .await;
    let h1 = browser.text("main").await;
    assert!(h1.contains("beoordelen"), "{h1}");
    browser.screenshot("moderator-queue", 390).await;
    browser.screenshot("moderator-queue", 1280).await;
    browser.assert_accessible("moderator queue").await;

    browser
        .click_and_load(&format!(
            "form[action='/moderator/experts/{id}/approve'] button"
        ))
        .await;
    assert!(browser.text(".flash").await.contains("goedgekeurd"));
    let queue = browser.text("main").await;
    assert!(!queue.contains("Veilig IT 1 B.V.") && queue.contains("Veilig IT 2 B.V."));

    browser.goto(&app.url("/moderator/audit")).await;
    assert!(browser.text("table").await.contains("Expert goedgekeurd"));
    browser.assert_accessible("audit log").await;
    browser.close().await;
}
