//! The hand-off summary in headless Chromium: reached from the case page, screenshots at 390 and
//! 1280 px, and no axe violations of any impact, in Dutch and in English (with Dutch alongside).

use serde_json::json;

use crate::browser_support::start_browser;
use crate::connect::{matched_case, number_of};
use crate::helpers::{case_of, spawn_app};

#[tokio::test]
async fn the_summary_page_prints_cleanly_and_passes_axe() {
    let Some(browser) = start_browser().await else {
        return;
    };
    let app = spawn_app().await;
    let (created, ids) = matched_case(&app).await;
    let (id, token) = case_of(&created);
    app.post_auth(
        &format!("/api/v1/intakes/{id}/steps/1"),
        token,
        &json!({ "done": true }),
    )
    .await;
    let requests = app.ask_ok(&created, &[&ids[0]]).await;
    let expert = app.expert_token(number_of(&app, &ids[0]).await).await;
    app.respond(&requests[0], "accept", &expert, &json!({}))
        .await;

    browser
        .goto(&app.url(&format!("/case/{token}?lang=nl")))
        .await;
    browser.click_and_load("#handoff a.button").await;
    assert!(browser.text("h1").await.contains("Samenvatting"));
    browser.screenshot("handoff", 390).await;
    browser.screenshot("handoff", 1280).await;
    browser.assert_no_violations("hand-off summary (nl)").await;

    browser
        .goto(&app.url(&format!("/case/{token}/summary?lang=en")))
        .await;
    assert!(browser.text("h1").await.contains("Summary"));
    browser.screenshot("handoff-en", 390).await;
    browser
        .assert_no_violations("hand-off summary (en, Dutch alongside)")
        .await;
    browser.close().await;
}
