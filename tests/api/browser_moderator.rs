//! A moderator's round in headless Chromium, through the menu: log in, the vetting queue,
//! approve an expert, the statistics with the outcomes of closed cases, the complaints. Each page
//! at 390 and 1280 px with axe finding no violation of any impact; the screenshots
//! `moderator-vetting-*`, `moderator-outcomes-*` and `moderator-complaints-*` are in the README.

use crate::browser_support::{Browser, start_browser};
use crate::helpers::{MODERATOR_PASSWORD, spawn_app};
use crate::workbench_cases::closed_case_with_complaint;

/// The text of an element that is not rendered (an SVG `<desc>`).
async fn text_content(browser: &Browser, css: &str) -> String {
    let node = browser.find(css).await;
    node.prop("textContent")
        .await
        .expect("textContent")
        .unwrap_or_default()
}

#[tokio::test]
async fn a_moderator_vets_an_expert_then_reads_the_outcomes_and_the_complaints() {
    let Some(browser) = start_browser().await else {
        return;
    };
    let app = spawn_app().await;
    // A case closed as resolved with a complaint about its expert (experts 1 to 3 approved),
    // and expert 4 waiting for review.
    let (complaint, _, company) = closed_case_with_complaint(&app).await;
    let pending = app.pending_expert(4).await;

    browser.goto(&app.url("/login?lang=nl")).await;
    browser.fill("#f-email", "moderator@pvo.nl").await;
    browser.fill("#f-password", MODERATOR_PASSWORD).await;
    browser
        .click_and_load("main form button[type=submit]")
        .await;
    assert!(browser.text("h1").await.contains("beoordelen"));
    let queue = browser.text("main").await;
    assert!(queue.contains("Veilig IT 4 B.V."), "{queue}");
    browser.screenshots_and_axe("moderator-vetting").await;

    browser
        .click_and_load(&format!(
            "form[action='/moderator/experts/{pending}/approve'] button"
        ))
        .await;
    assert!(browser.text(".flash").await.contains("goedgekeurd"));
    assert!(!browser.text("main").await.contains("Veilig IT 4 B.V."));

    browser
        .click_and_load("header nav a[href='/moderator/stats']")
        .await;
    let outcomes = text_content(&browser, "#chart-outcomes-desc").await;
    assert!(outcomes.contains("Opgelost: 1"), "{outcomes}");
    browser.screenshots_and_axe("moderator-outcomes").await;

    browser
        .click_and_load("header nav a[href='/moderator/complaints']")
        .await;
    assert_eq!(browser.text(&format!("#c-{complaint}")).await, company);
    let main = browser.text("main").await;
    assert!(
        main.contains("Rekende 900 euro voor een uur werk."),
        "{main}"
    );
    browser.screenshots_and_axe("moderator-complaints").await;
    browser.close().await;
}
