//! The workbench in a real browser: a moderator marks a complaint handled from its card, and
//! the complaints and filtered intake pages pass axe.

use crate::browser_support::start_browser;
use crate::helpers::{MODERATOR_PASSWORD, spawn_app};
use crate::workbench_cases::closed_case_with_complaint;

#[tokio::test]
async fn a_moderator_handles_a_complaint_and_filters_intakes_in_a_browser() {
    let Some(browser) = start_browser().await else {
        return;
    };
    let app = spawn_app().await;
    let (complaint, _, company) = closed_case_with_complaint(&app).await;
    browser.goto(&app.url("/login?lang=nl")).await;
    browser.fill("#f-email", "moderator@pvo.nl").await;
    browser.fill("#f-password", MODERATOR_PASSWORD).await;
    browser
        .click_and_load("main form button[type=submit]")
        .await;

    browser.goto(&app.url("/moderator/complaints")).await;
    assert!(browser.text("main").await.contains(&company));
    browser.assert_accessible("moderator complaints").await;
    let form = format!("form[action='/moderator/complaints/{complaint}/handle']");
    browser
        .click(&format!("#c-{complaint} ~ details summary"))
        .await;
    browser
        .fill(&format!("#handle-{complaint}"), "Expert gebeld; opgelost.")
        .await;
    browser.click_and_load(&format!("{form} button")).await;
    assert!(
        browser
            .text(".flash")
            .await
            .contains("als afgehandeld gemarkeerd")
    );

    browser
        .goto(&app.url("/moderator/intakes?status=closed&province=Noord-Brabant"))
        .await;
    let main = browser.text("main").await;
    assert!(
        main.contains(&company) && main.contains("4 van 5"),
        "{main}"
    );
    browser.screenshot("moderator-intakes", 1280).await;
    browser.assert_accessible("moderator intakes").await;
    browser.close().await;
}
