//! In headless Chromium: the intake form offers the places of an ambiguous name as radio buttons
//! and keeps what was typed; "use my location" is not displayed while it is `hidden`; the
//! connected expert's request page shows the victim's ticked steps, and says so plainly once the
//! victim erased the case. Screenshots at 390 and 1280 px; axe-core finds no violation of any
//! impact on these pages.

use crate::browser_support::{Browser, start_browser};
use crate::helpers::{EXPERT_PASSWORD, case_of, connected_with_steps, spawn_app};

/// Whether the element `css` takes part in the layout (its computed display is not `none`).
async fn displayed(browser: &Browser, css: &str) -> bool {
    browser.find(css).await;
    let script =
        format!("return getComputedStyle(document.querySelector({css:?})).display !== 'none';");
    browser
        .client
        .execute(&script, vec![])
        .await
        .expect("style read")
        .as_bool()
        .expect("a boolean")
}

#[tokio::test]
async fn the_victim_picks_which_bergen_and_nothing_typed_is_lost() {
    let Some(browser) = start_browser().await else {
        return;
    };
    let app = spawn_app().await;
    browser
        .goto(&app.url("/intake?type=ransomware&lang=nl"))
        .await;

    // Before (and without) the script, the hidden button takes no room: the page's CSS must not
    // override the hidden attribute. The script shows it only where geolocation exists.
    browser
        .client
        .execute(
            "document.querySelector('button[data-geolocate]').hidden = true; return true;",
            vec![],
        )
        .await
        .expect("hide");
    assert!(
        !displayed(&browser, "button[data-geolocate]").await,
        "a hidden 'Gebruik mijn locatie' is not displayed"
    );
    assert!(
        !browser
            .find("button[data-geolocate]")
            .await
            .is_displayed()
            .await
            .expect("displayed")
    );

    browser.click("label[for=u-acute]").await;
    let typed = [
        ("#f-description", "Alle bestanden zijn versleuteld."),
        ("#f-contact_name", "Jan de Vries"),
        ("#f-contact_email", "jan@bakkerij-devries.nl"),
    ];
    for (field, text) in typed {
        browser.fill(field, text).await;
    }
    // Set without typing, so no suggestion list opens: this is what a browser without the
    // script sends.
    browser
        .client
        .execute(
            "document.getElementById('f-place').value = 'Bergen'; return true;",
            vec![],
        )
        .await
        .expect("place set");
    browser.click("label[for=f-consent_to_share]").await;
    browser.click("label[for=f-disclaimer_accepted]").await;
    browser
        .click_and_load("form[action='/intake'] > p > button[type=submit]")
        .await;

    let main = browser.text("main").await;
    assert!(
        main.contains("Er zijn meerdere plaatsen met deze naam."),
        "{main}"
    );
    assert!(main.contains("Welke plaats bedoelt u?"));
    assert_eq!(
        browser.value("#f-description").await,
        "Alle bestanden zijn versleuteld."
    );
    assert_eq!(
        browser.value("#f-contact_email").await,
        "jan@bakkerij-devries.nl"
    );
    assert_eq!(browser.value("#f-place").await, "Bergen");
    browser.screenshot("intake-place-choice", 390).await;
    browser.screenshot("intake-place-choice", 1280).await;
    browser
        .assert_no_violations("intake form, place choice")
        .await;

    let limburg = browser
        .find("input[name=place_choice][value='Bergen (Limburg)']")
        .await;
    let id = limburg.attr("id").await.expect("attr").expect("id");
    browser.click(&format!("label[for='{id}']")).await;
    // The ticks stay ticked: the consent and disclaimer were kept.
    browser
        .click_and_load("form[action='/intake'] > p > button[type=submit]")
        .await;
    let url = browser.client.current_url().await.expect("url").to_string();
    assert!(
        url.contains("/case/"),
        "{url}: {}",
        browser.text("main").await
    );
    assert!(browser.text("h1").await.contains("Uw zaak"));
    assert!(browser.text("main").await.contains("Bergen"));
    browser.close().await;
}

#[tokio::test]
async fn the_expert_sees_the_victims_progress_and_then_the_erasure() {
    let Some(browser) = start_browser().await else {
        return;
    };
    let app = spawn_app().await;
    let (created, request, n) = connected_with_steps(&app).await;

    browser.goto(&app.url("/login?lang=nl")).await;
    browser
        .fill("#f-email", &format!("info{n}@veilig-it.nl"))
        .await;
    browser.fill("#f-password", EXPERT_PASSWORD).await;
    browser
        .click_and_load("main form button[type=submit]")
        .await;
    browser.assert_no_violations("expert profile").await;
    browser.screenshot("expert-profile", 390).await;
    browser.screenshot("expert-profile", 1280).await;

    browser
        .goto(&app.url(&format!("/experts/requests/{request}")))
        .await;
    let progress = browser.text("section[aria-labelledby=h-progress]").await;
    assert!(progress.contains("Stappen van de ondernemer"), "{progress}");
    assert!(progress.contains("2 van "), "{progress}");
    let done = browser
        .client
        .find_all(fantoccini::Locator::Css("ul.progress li.done"))
        .await
        .expect("items");
    assert_eq!(done.len(), 2, "two ticked steps");
    browser.screenshot("expert-request-progress", 390).await;
    browser.screenshot("expert-request-progress", 1280).await;
    browser
        .assert_no_violations("expert request, connected")
        .await;

    let (id, case_token) = case_of(&created);
    let erased = app
        .delete_auth(&format!("/api/v1/intakes/{id}"), case_token)
        .await;
    assert_eq!(erased.status(), 204);
    browser
        .goto(&app.url(&format!("/experts/requests/{request}")))
        .await;
    let main = browser.text("main").await;
    assert!(
        main.contains("De ondernemer heeft deze zaak gewist."),
        "{main}"
    );
    assert!(!main.contains("Neem zo snel mogelijk contact op"), "{main}");
    browser.screenshot("expert-request-erased", 390).await;
    browser.assert_no_violations("expert request, erased").await;
    browser.close().await;
}
