//! The main flow in headless Chromium: a victim presses the help button, answers
//! triage, fills in the intake form and asks an expert; the expert logs in and accepts; the
//! victim's case page then shows how to reach the expert. Screenshots of the intake form, the
//! case page (before and after acceptance) and the expert's request page at 390 and 1280 px;
//! axe-core on the intake form and the case page (also with the optional security questions
//! open, which the victim then answers).

use serde_json::json;

use crate::browser_support::start_browser;
use crate::connect::number_of;
use crate::helpers::{EXPERT_PASSWORD, expert_body, spawn_app};

#[tokio::test]
async fn a_victim_gets_from_the_help_button_to_a_connected_expert() {
    let Some(browser) = start_browser().await else {
        return;
    };
    let app = spawn_app().await;
    let moderator = app.moderator_token().await;
    for n in 1..=2 {
        let mut body = expert_body(n);
        body["capacity"] = json!(10);
        app.approved_expert(&moderator, &body).await;
    }

    browser.goto(&app.url("/?lang=nl")).await;
    browser.click_and_load("a.help-button").await;
    browser.click_and_load("button[value=n]").await;
    browser.click_and_load("button[value=y]").await;
    browser
        .click_and_load("main a.button[href^='/intake']")
        .await;
    assert!(browser.text("h1").await.contains("Hulp van een expert"));
    browser.screenshot("intake", 390).await;
    browser.screenshot("intake", 1280).await;
    browser.assert_accessible("intake form").await;

    browser
        .find("#f-incident_type")
        .await
        .select_by_value("ransomware")
        .await
        .expect("choose the type");
    browser.click("label[for=u-acute]").await;
    let typed = [
        (
            "#f-description",
            "Alle bestanden zijn versleuteld; er staat een losgeldbericht op het scherm.",
        ),
        ("#f-contact_name", "Jan de Vries"),
        ("#f-contact_email", "jan@bakkerij-devries.nl"),
        ("#f-contact_phone", "+31 6 8765 4321"),
        ("#f-company_name", "Bakkerij De Vries"),
    ];
    for (field, text) in typed {
        browser.fill(field, text).await;
    }
    browser.pick_place("#f-place", "Bergen op Zoom").await;
    browser.click("label[for=f-consent_to_share]").await;
    browser.click("label[for=f-disclaimer_accepted]").await;
    browser
        .click_and_load("form[action='/intake'] > p > button[type=submit]")
        .await;
    let case_url = browser.client.current_url().await.expect("url").to_string();
    assert!(case_url.contains("/case/"), "{case_url}");
    assert!(browser.text("h1").await.contains("Uw zaak"));
    browser.assert_accessible("case page").await;

    let first = browser.find("input[name=expert_ids]").await;
    let expert_id = first.attr("value").await.expect("attr").expect("value");
    browser.click(&format!("label[for='m-{expert_id}']")).await;
    browser
        .click_and_load("form[action$='/ask'] button[type=submit]")
        .await;
    assert!(browser.text(".flash").await.contains("verstuurd"));
    browser.screenshot("case-before", 390).await;
    browser.screenshot("case-before", 1280).await;

    // The expert logs in and accepts from the request page.
    let n = number_of(&app, &expert_id).await;
    browser.goto(&app.url("/login?next=/expert/requests")).await;
    browser
        .fill("#f-email", &format!("info{n}@veilig-it.nl"))
        .await;
    browser.fill("#f-password", EXPERT_PASSWORD).await;
    browser
        .click_and_load("main form button[type=submit]")
        .await;
    browser.click_and_load("main .card h2 a").await;
    assert!(browser.text("h1").await.contains("Hulpvraag"));
    assert!(
        !browser.text("main").await.contains("Jan de Vries"),
        "anonymous before accepting"
    );
    browser.screenshot("expert-request", 390).await;
    browser.screenshot("expert-request", 1280).await;
    browser.assert_accessible("expert request").await;
    browser
        .click_and_load("form[action$='/accept'] button")
        .await;
    assert!(browser.text("main").await.contains("Jan de Vries"));

    browser.goto(&case_url).await;
    let main = browser.text("main").await;
    assert!(main.contains("Verbonden met een expert"), "{main}");
    assert!(
        main.contains(&format!("info{n}@veilig-it.nl")),
        "the expert's contact"
    );
    browser.screenshot("case", 390).await;
    browser.screenshot("case", 1280).await;
    browser.assert_accessible("case page, connected").await;
    browser
        .click_and_load("#step-1 form button[type=submit]")
        .await;
    assert!(
        browser.text("#step-1").await.contains("Gedaan"),
        "progress is kept"
    );

    // Below the help, the optional step: four security questions, one click each.
    browser
        .click("section[aria-labelledby=h-baseline] summary")
        .await;
    for answer in [
        "offline_backups-yes",
        "mfa-no",
        "incident_plan-unknown",
        "auto_updates-yes",
    ] {
        browser.click(&format!("label[for=r-{answer}]")).await;
    }
    browser
        .assert_accessible("case page, security questions")
        .await;
    browser
        .click_and_load("form[action$='/resilience'] button[type=submit]")
        .await;
    assert!(
        browser
            .text(".flash")
            .await
            .contains("antwoorden zijn opgeslagen")
    );
    browser.close().await;
}
