//! The victim's way without JavaScript, in headless Chromium with script switched off for every
//! site: help button → triage → intake form → case page → ask experts → ask the next ones → tick
//! a step → close the case. Every step is a plain form post answered by a redirect; nothing
//! waits for a script (the place is typed, no suggestion list appears).

use crate::browser_support::start_browser_without_javascript;
use crate::helpers::spawn_app;

#[tokio::test]
async fn without_javascript_the_victim_reports_asks_and_closes_by_plain_forms() {
    let Some(browser) = start_browser_without_javascript().await else {
        return;
    };
    let app = spawn_app().await;
    app.approved_experts(3, 10).await;

    // Script really is off: a page that would retitle itself keeps its title.
    browser
        .goto("data:text/html,<title>off</title><script>document.title='on'</script>")
        .await;
    assert_eq!(browser.client.title().await.expect("title"), "off");

    browser.walk_to_the_intake_form(&app.url("/?lang=nl")).await;
    assert!(
        !browser
            .find("button[data-geolocate]")
            .await
            .is_displayed()
            .await
            .expect("displayed"),
        "'Gebruik mijn locatie' needs the script: not shown without it"
    );
    browser
        .find("#f-incident_type")
        .await
        .select_by_value("ransomware")
        .await
        .expect("choose the type");
    browser.click("label[for=u-acute]").await;
    let typed = [
        ("#f-description", "Alle bestanden zijn versleuteld."),
        ("#f-contact_name", "Jan de Vries"),
        ("#f-contact_email", "jan@bakkerij-devries.nl"),
        ("#f-place", "Bergen op Zoom"),
    ];
    for (field, text) in typed {
        browser.fill(field, text).await;
    }
    assert_eq!(
        browser.count("#f-place-suggestions:not([hidden]) li").await,
        0,
        "no suggestions without the script"
    );
    browser.click("label[for=f-consent_to_share]").await;
    browser.click("label[for=f-disclaimer_accepted]").await;
    browser
        .click_and_load("form[action='/intake'] > p > button[type=submit]")
        .await;
    let url = browser.client.current_url().await.expect("url").to_string();
    assert!(
        url.contains("/case/"),
        "{url}: {}",
        browser.text("main").await
    );
    assert_eq!(browser.text("#now .status").await, "Open: kies een expert");

    // Ask all three matches.
    let boxes = browser
        .client
        .find_all(fantoccini::Locator::Css("input[name=expert_ids]"))
        .await
        .expect("matches");
    assert_eq!(boxes.len(), 3);
    for m in boxes {
        let id = m.attr("id").await.expect("attr").expect("id");
        browser.click(&format!("label[for='{id}']")).await;
    }
    browser
        .click_and_load("form[action$='/ask'] button[type=submit]")
        .await;
    assert!(
        browser
            .text("#done")
            .await
            .contains("Uw hulpvraag is verstuurd")
    );
    assert_eq!(browser.text("#now .status").await, "Hulp gevraagd");

    // Not waiting: ask the next experts (none fit here, and the page says so).
    browser
        .click_and_load("#ask-next button[type=submit]")
        .await;
    assert!(
        browser
            .text("#done")
            .await
            .contains("Er zijn nu geen andere experts beschikbaar")
    );

    // Tick the first step: the form posts and the page comes back at that step.
    browser
        .click_and_load("#step-1 form button[type=submit]")
        .await;
    assert!(browser.text("#step-1").await.contains("Gedaan"));
    assert!(
        browser
            .text("#h-steps ~ details summary")
            .await
            .contains("1 van")
    );

    // Close the case.
    browser.click("label[for=o-no_longer_needed]").await;
    browser
        .click_and_load("form[action$='/close'] button[type=submit]")
        .await;
    assert!(
        browser
            .text("#done")
            .await
            .contains("De zaak is afgesloten.")
    );
    assert_eq!(browser.text("#now .status").await, "Afgesloten");
    let requests = browser.text("section[aria-labelledby=h-requests]").await;
    assert_eq!(requests.matches("ingetrokken").count(), 3, "{requests}");
    browser.close().await;
}
