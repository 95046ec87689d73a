//! The statistics page in headless Chromium: a moderator logs in, filters by province through the
//! form, finds the charts with their text alternatives and tables, and axe finds no violations.
//! The 1280 px screenshot is the one in the README (tests/screenshots/stats-1280.png).

use crate::browser_support::{Browser, start_browser};
use crate::helpers::MODERATOR_PASSWORD;
use crate::stats_page::PAGE;
use crate::stats_support::history;

#[tokio::test]
async fn a_moderator_opens_the_statistics_and_the_charts_speak() {
    let Some(browser) = start_browser().await else {
        return;
    };
    let h = history().await;
    browser.goto(&h.app.url("/login?lang=nl")).await;
    browser.fill("#f-email", "moderator@pvo.nl").await;
    browser.fill("#f-password", MODERATOR_PASSWORD).await;
    browser
        .click_and_load("main form button[type=submit]")
        .await;
    browser.goto(&h.app.url(PAGE)).await;

    let charts = browser
        .client
        .find_all(fantoccini::Locator::Css("svg[role=img]"))
        .await
        .unwrap();
    assert_eq!(charts.len(), 7);
    for chart in &charts {
        let name = chart
            .attr("aria-labelledby")
            .await
            .unwrap()
            .expect("labelled");
        let title_id = name.split(' ').next().unwrap();
        let title = text_content(&browser, title_id).await;
        assert!(!title.is_empty(), "{title_id} has text");
    }
    let provinces = text_content(&browser, "chart-provinces-desc").await;
    assert!(provinces.contains("Zeeland: 2"), "{provinces}");
    browser.screenshot("moderator-stats", 1280).await;
    browser.screenshot("moderator-stats", 390).await;
    browser.assert_no_violations("statistics").await;

    // The form works without script: choose a province and show.
    browser
        .client
        .find(fantoccini::Locator::Css("#f-province"))
        .await
        .unwrap()
        .select_by_value("Zeeland")
        .await
        .unwrap();
    browser
        .click_and_load("form.filters button[type=submit]")
        .await;
    let provinces = text_content(&browser, "chart-provinces-desc").await;
    assert!(
        provinces.contains("Noord-Brabant: 0") && provinces.contains("Zeeland: 2"),
        "{provinces}"
    );
    browser.assert_no_violations("statistics for Zeeland").await;

    // Right to left: the same charts, Arabic words, still no violations.
    browser.goto(&h.app.url(&format!("{PAGE}&lang=ar"))).await;
    let title = text_content(&browser, "chart-provinces-title").await;
    assert_eq!(title, "الطلبات حسب المقاطعة");
    browser.screenshot("moderator-stats-ar", 390).await;
    browser.assert_no_violations("statistics in Arabic").await;
    // On a phone the charts scroll sideways in a focusable box rather than shrink.
    browser.client.set_window_size(390, 900).await.unwrap();
    browser.assert_no_violations("statistics on a phone").await;
    browser.close().await;
}

/// The text of an element that is not rendered (an SVG `<title>` or `<desc>`).
async fn text_content(browser: &Browser, id: &str) -> String {
    let css = format!("#{id}");
    let node = browser
        .client
        .find(fantoccini::Locator::Css(&css))
        .await
        .expect(id);
    node.prop("textContent").await.unwrap().unwrap_or_default()
}
