//! The main flow in headless Chromium: a victim presses the help button, answers
//! triage, fills in the intake form and asks an expert; the expert logs in and accepts; the
//! victim's case page then shows how to reach the expert. Screenshots of the intake form, the
//! case page (before and after acceptance) and the expert's request page at 390 and 1280 px;
//! axe-core on the intake form and the case page (also with the optional security questions
//! open, which the victim then answers).
//!
//! Then the victim's case page through its states as the victim sees them: waiting (until when
//! the experts answer, tappable emergency numbers, "ask the next experts now"), connected (the
//! expert's contact, only now), closed (no more "they will contact you" or "do these steps now";
//! feedback offered), at 390 and 1280 px with axe finding no violation of any impact. The
//! screenshots `case-waiting-*`, `case-connected-*` and `case-closed-*` are in the README.

use serde_json::json;

use crate::browser_support::{Browser, start_browser};
use crate::helpers::{EXPERT_PASSWORD, case_of, matched_case, number_of, spawn_app};

#[tokio::test]
async fn a_victim_gets_from_the_help_button_to_a_connected_expert() {
    let Some(browser) = start_browser().await else {
        return;
    };
    let app = spawn_app().await;
    app.approved_experts(2, 10).await;

    browser.walk_to_the_intake_form(&app.url("/?lang=nl")).await;
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

/// The victim's case page is on screen: its state line and the one thing to do now.
async fn state_and_next(browser: &Browser) -> (String, String) {
    (
        browser.text("#now .status").await,
        browser.text("#next-step").await,
    )
}

#[tokio::test]
async fn the_case_page_follows_the_victim_from_waiting_to_connected_to_closed() {
    let Some(browser) = start_browser().await else {
        return;
    };
    let app = spawn_app().await;
    let (created, ids) = matched_case(&app).await;
    let asked: Vec<&str> = ids.iter().map(String::as_str).collect();
    let requests = app.ask_ok(&created, &asked).await;
    let (_, token) = case_of(&created);
    let case_url = app.url(&format!("/case/{token}?lang=nl"));
    let n = number_of(&app, &ids[0]).await;
    let expert_email = format!("info{n}@veilig-it.nl");

    // Waiting: all three matches asked, nobody answered yet.
    browser.goto(&case_url).await;
    let (status, next) = state_and_next(&browser).await;
    assert_eq!(status, "Hulp gevraagd");
    assert!(
        next.starts_with("Wacht op het antwoord van de experts"),
        "{next}"
    );
    let answer_by = browser.text("#answer-by").await;
    assert!(
        answer_by.starts_with("De experts antwoorden uiterlijk") && answer_by.contains(" CET"),
        "until when, in Amsterdam time: {answer_by}"
    );
    for number in ["112", "09008844"] {
        let link = browser.find(&format!("#now a[href='tel:{number}']")).await;
        assert!(
            link.is_displayed().await.expect("displayed"),
            "tel:{number}"
        );
    }
    let ask_next = browser.text("#ask-next").await;
    assert!(ask_next.contains("Toon de volgende experts"), "{ask_next}");
    assert!(
        browser.top("#h-requests").await < browser.top("#h-steps").await,
        "the requests come before the steps"
    );
    let requests_text = browser.text("section[aria-labelledby=h-requests]").await;
    assert_eq!(requests_text.matches("wacht op antwoord").count(), 3);
    assert_eq!(browser.count("#h-expert").await, 0, "no expert yet");
    assert!(!browser.text("main").await.contains(&expert_email));
    browser.screenshots_and_axe("case-waiting").await;

    // Not waiting any longer: nobody else fits, and the page says so (a plain form post).
    browser
        .click_and_load("#ask-next button[type=submit]")
        .await;
    assert!(
        browser
            .text("#done")
            .await
            .contains("Er zijn nu geen andere experts beschikbaar"),
    );

    // Connected: the first expert said yes; the contact details appear, above the steps.
    let expert = app.expert_token(n).await;
    let accepted = app
        .respond(&requests[0], "accept", &expert, &json!({}))
        .await;
    assert_eq!(accepted.status(), 200);
    browser.goto(&case_url).await;
    let (status, next) = state_and_next(&browser).await;
    assert_eq!(status, "Verbonden met een expert");
    assert!(next.starts_with("Bel of mail uw expert nu"), "{next}");
    let contact = browser.text("section[aria-labelledby=h-expert]").await;
    assert!(contact.contains("neemt contact met u op"), "{contact}");
    assert!(contact.contains(&expert_email), "{contact}");
    let phone = browser
        .find("section[aria-labelledby=h-expert] a[href^='tel:']")
        .await;
    assert!(phone.is_displayed().await.expect("displayed"));
    assert_eq!(browser.count("#answer-by").await, 0, "nobody to wait for");
    assert_eq!(browser.count("#ask-next").await, 0);
    assert!(browser.top("#h-expert").await < browser.top("#h-steps").await);
    assert_eq!(
        browser.count("#h-feedback").await,
        0,
        "no feedback before any help"
    );
    browser.screenshots_and_axe("case-connected").await;

    // Closed by the victim: nothing on the page still asks for action; feedback is offered.
    browser.click("label[for=o-resolved]").await;
    browser
        .click_and_load("form[action$='/close'] button[type=submit]")
        .await;
    assert!(
        browser
            .text("#done")
            .await
            .contains("De zaak is afgesloten.")
    );
    let (status, next) = state_and_next(&browser).await;
    assert_eq!(status, "Afgesloten");
    assert!(
        next.contains("Wilt u ons nog vertellen hoe het ging?"),
        "{next}"
    );
    let source = browser.source().await;
    for stale in [
        "neemt contact met u op",
        "Doe deze stappen nu",
        "Markeer als gedaan",
    ] {
        assert!(
            !source.contains(stale),
            "after closing the page still says {stale:?}"
        );
    }
    assert!(
        browser
            .text("main")
            .await
            .contains("Dit bedrijf hielp u bij deze zaak")
    );
    assert!(browser.top("#h-feedback").await < browser.top("#h-steps").await);
    assert_eq!(
        browser.count("#f-resolved").await,
        0,
        "asked once, when closing"
    );
    let folded = browser
        .find("details.checklist-fold")
        .await
        .prop("open")
        .await
        .expect("open read");
    assert_eq!(
        folded.as_deref(),
        Some("false"),
        "the steps are folded away"
    );
    browser.screenshots_and_axe("case-closed").await;
    browser.close().await;
}
