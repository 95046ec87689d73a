//! The case page in the order of the victim's next step: the status and the one thing to do
//! now first, the matches right below with one distance each, the steps as a checklist that
//! folds; texts that follow the case's state (waiting, connected, completed, closed, erased);
//! while experts are asked, until when they answer, what to do meanwhile (tappable emergency
//! numbers) and "ask the next experts now" (page and API); feedback only once help was given,
//! never asking "resolved?" twice.

use chrono::Duration;
use serde_json::{Value, json};

use crate::connect::{matched_case, number_of};
use crate::helpers::{
    MODERATOR_PASSWORD, TestApp, assert_problem, case_of, expert_at, intake_body, link_token,
    location, spawn_app,
};

fn case_path(created: &Value) -> String {
    format!("/case/{}", case_of(created).1)
}

/// Where `needle` first stands in `html`; fails naming it when it is missing.
fn at(html: &str, needle: &str) -> usize {
    html.find(needle)
        .unwrap_or_else(|| panic!("{needle:?} is not on the page"))
}

/// The victim asks `expert`, who accepts; the request id and the expert's token.
async fn connect(app: &TestApp, created: &Value, expert: &str) -> (String, String) {
    let request = app.ask_ok(created, &[expert]).await.remove(0);
    let token = app.expert_token(number_of(app, expert).await).await;
    let accepted = app.respond(&request, "accept", &token, &json!({})).await;
    assert_eq!(accepted.status(), 200);
    (request, token)
}

async fn audit_actions(app: &TestApp) -> Vec<String> {
    let moderator = app.token_for("moderator@pvo.nl", MODERATOR_PASSWORD).await;
    let audit: Value = app
        .get_auth("/api/v1/moderation/audit?limit=500", &moderator)
        .await
        .json()
        .await
        .unwrap();
    audit
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn the_status_comes_first_then_the_matches_then_the_folding_step_list() {
    let app = spawn_app().await;
    let (created, _) = matched_case(&app).await;
    let (status, html) = app.reader("nl").await.page(&case_path(&created)).await;
    assert_eq!(status, 200);
    let status = at(&html, "id=\"h-status\"");
    let next_step = at(&html, "id=\"next-step\"");
    let matches = at(&html, "id=\"h-matches\"");
    let steps = at(&html, "id=\"h-steps\"");
    let close = at(&html, "id=\"h-close\"");
    assert!(
        status < next_step && next_step < matches && matches < steps && steps < close,
        "status {status}, next step {next_step}, matches {matches}, steps {steps}, close {close}"
    );
    assert!(
        html.contains("Kies hieronder 1 tot 3 experts"),
        "the one thing to do now"
    );
    // The steps fold without JavaScript: a <details> whose summary counts what is done, open
    // while the case runs; each step's text folds too.
    assert!(html.contains("<details class=\"checklist-fold\" open>"));
    assert!(
        html.contains("Stappenplan: 0 van "),
        "progress in the summary"
    );
    let first_step = &html[at(&html, "id=\"step-1\"")..];
    assert!(
        first_step
            .trim_start_matches("id=\"step-1\">\n")
            .starts_with("<details>")
    );
    // No feedback before any help.
    assert!(!html.contains("id=\"h-feedback\""));
}

#[tokio::test]
async fn every_match_shows_one_distance_from_the_victims_place() {
    let app = spawn_app().await;
    let moderator = app.moderator_token().await;
    // One expert in the victim's own town (a few hundred metres from its centre is "0 km" when
    // rounded alone), one in Roosendaal and one in Goes.
    for (n, place) in [(1, "Halsteren"), (2, "Roosendaal"), (3, "Goes")] {
        app.approved_expert(&moderator, &expert_at(n, place, json!({ "capacity": 10 })))
            .await;
    }
    let created = app.intake(&intake_body()).await;
    let api_matches = created["matches"].as_array().unwrap().clone();
    assert_eq!(api_matches.len(), 3);
    for (lang, from) in [
        ("nl", "km van Bergen op Zoom"),
        ("en", "km from Bergen op Zoom"),
    ] {
        let browser = app.reader(lang).await;
        browser.page(&format!("/?lang={lang}")).await;
        let (_, html) = browser.page(&case_path(&created)).await;
        assert!(
            !html.contains("km van u") && !html.contains("km from you"),
            "{lang}"
        );
        for m in &api_matches {
            let id = m["expert_id"].as_str().unwrap();
            let card = &html[at(&html, &format!("id=\"m-{id}\""))..];
            let card = &card[..card.find("</div>").unwrap()];
            let km = m["distance_km"].as_f64().unwrap().round().max(1.0);
            let figures = card.matches(" km ").count();
            assert_eq!(figures, 1, "{lang}: one distance per match: {card}");
            assert!(
                card.contains(&format!("{km} {from}")),
                "{lang}: the API's distance ({km}) from the victim's place: {card}"
            );
        }
    }
}

#[tokio::test]
async fn while_waiting_the_page_says_until_when_and_what_to_do_meanwhile() {
    let app = spawn_app().await;
    let (created, ids) = matched_case(&app).await;
    let path = case_path(&created);
    app.ask_ok(&created, &[&ids[0]]).await;
    let case = app.case(&created).await;
    let expires: chrono::NaiveDateTime =
        serde_json::from_value(case["requests"][0]["expires_at"].clone()).unwrap();
    let amsterdam = expires
        .and_utc()
        .with_timezone(&chrono_tz::Europe::Amsterdam)
        .format("%d-%m-%Y %H:%M %Z")
        .to_string();
    for (lang, until, steps) in [
        (
            "nl",
            "De experts antwoorden uiterlijk",
            "Doe de eerste-hulpstappen",
        ),
        ("en", "The experts answer by", "Take the first-aid steps"),
    ] {
        let (_, html) = app.reader(lang).await.page(&path).await;
        let answer_by = &html[at(&html, "id=\"answer-by\"")..];
        assert!(
            answer_by.contains(until) && answer_by.contains(&amsterdam),
            "{lang}: {amsterdam}"
        );
        assert!(html.contains(steps) && html.contains("href=\"#steps\""));
        assert!(
            html.contains("<a href=\"tel:112\">112</a>"),
            "{lang}: 112 is tappable"
        );
        assert!(
            html.contains("<a href=\"tel:09008844\">0900-8844</a>"),
            "{lang}"
        );
        assert!(at(&html, "id=\"answer-by\"") < at(&html, "id=\"h-steps\""));
        // Two of the three matches are still there to ask: no "next experts" yet.
        assert!(!html.contains("id=\"ask-next\""), "{lang}");
    }
    // The emergency numbers are tappable on the other pages that show them too.
    for page in ["/", "/first-aid/ransomware", "/first-aid/extortion"] {
        let (_, html) = app.reader("nl").await.page(page).await;
        assert!(html.contains("<a href=\"tel:112\">112</a>"), "{page}");
    }
    let (_, html) = app.reader("nl").await.page("/first-aid/ransomware").await;
    assert!(
        html.contains("bel <a href=\"tel:09008844\">0900-8844</a>"),
        "in a step's text"
    );
}

#[tokio::test]
async fn the_victim_asks_the_next_experts_at_once_instead_of_waiting() {
    let app = spawn_app().await;
    let (created, ids) = matched_case(&app).await;
    let moderator = app.token_for("moderator@pvo.nl", MODERATOR_PASSWORD).await;
    for n in 4..=5 {
        app.approved_expert(
            &moderator,
            &expert_at(n, "Roosendaal", json!({ "capacity": 10 })),
        )
        .await;
    }
    let path = case_path(&created);
    let victim = app.reader("nl").await;
    let (id, _) = case_of(&created);
    let next_api = format!("/api/v1/intakes/{id}/matches/next");
    let token = case_of(&created).1.to_owned();
    // Nobody asked yet: nothing to stop waiting for.
    let early = app.post_auth(&next_api, &token, &json!({})).await;
    assert_eq!(assert_problem(early, 409).await["code"], "not_waiting");

    let asked: Vec<&str> = ids.iter().map(String::as_str).collect();
    app.ask_ok(&created, &asked).await;
    let (_, html) = victim.page(&path).await;
    assert!(html.contains("id=\"ask-next\"") && html.contains("Toon de volgende experts"));
    let form = &html[at(&html, "id=\"ask-next\"")..];
    assert!(form.contains("name=\"csrf_token\""), "a CSRF token: {form}");
    // Without the CSRF token the form is refused.
    let forged = victim.post_form(&format!("{path}/ask-next"), &[]).await;
    assert_eq!(forged.status(), 403);

    let next = victim.submit(&path, &format!("{path}/ask-next"), &[]).await;
    assert_eq!(next.status(), 303);
    let (_, html) = victim.page(&location(&next)).await;
    assert!(
        html.contains("Hieronder staan de volgende experts"),
        "{html}"
    );
    let case = app.case(&created).await;
    let new_ids: Vec<String> = TestApp::match_ids(&case);
    assert_eq!(new_ids.len(), 2, "the two not asked before");
    assert!(new_ids.iter().all(|m| !ids.contains(m)));
    for m in &new_ids {
        assert!(
            html.contains(&format!("value=\"{m}\"")),
            "the new matches to ask"
        );
    }
    let pending = case["requests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == "pending")
        .count();
    assert_eq!(pending, 3, "the experts asked before may still say yes");
    assert!(
        audit_actions(&app)
            .await
            .contains(&"intake.asked_next".to_owned())
    );
    // The victim asks a new one, and one asked before accepts: the first yes connects.
    app.ask_ok(&created, &[&new_ids[0]]).await;
    let request = case["requests"][0]["id"].as_str().unwrap().to_owned();
    let expert = case["requests"][0]["expert_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let expert_token = app.expert_token(number_of(&app, &expert).await).await;
    let accepted = app
        .respond(&request, "accept", &expert_token, &json!({}))
        .await;
    assert_eq!(accepted.status(), 200);
    let after = app.post_auth(&next_api, &token, &json!({})).await;
    assert_problem(after, 409).await;
}

#[tokio::test]
async fn the_api_asks_the_next_experts_and_says_when_nobody_else_fits() {
    let app = spawn_app().await;
    let (created, ids) = matched_case(&app).await;
    let (id, token) = case_of(&created);
    let asked: Vec<&str> = ids.iter().map(String::as_str).collect();
    app.ask_ok(&created, &asked).await;
    let path = format!("/api/v1/intakes/{id}/matches/next");
    let response = app.post_auth(&path, token, &json!({})).await;
    assert_eq!(response.status(), 200);
    let case: Value = response.json().await.unwrap();
    // Nobody else fits: the matches stay as they were, and the page says so.
    assert_eq!(TestApp::match_ids(&case), ids);
    assert_eq!(case["status"], "requested");
    let victim = app.reader("en").await;
    let page = case_path(&created);
    let next = victim.submit(&page, &format!("{page}/ask-next"), &[]).await;
    assert_eq!(next.status(), 303);
    let (_, html) = victim.page(&location(&next)).await;
    assert!(
        html.contains("No other experts are available right now"),
        "{html}"
    );
    // Another intake's token is a 404.
    let other = app.intake(&intake_body()).await;
    let wrong = app.post_auth(&path, case_of(&other).1, &json!({})).await;
    assert_problem(wrong, 404).await;
}

#[tokio::test]
async fn the_texts_follow_the_case_from_connected_to_closed_and_erased() {
    let app = spawn_app().await;
    let (created, ids) = matched_case(&app).await;
    let path = case_path(&created);
    let victim = app.reader("nl").await;
    let (request, expert) = connect(&app, &created, &ids[0]).await;

    let (_, html) = victim.page(&path).await;
    assert!(
        html.contains("Bel of mail uw expert nu"),
        "connected: call the expert"
    );
    assert!(html.contains("neemt contact met u op"));
    assert!(at(&html, "id=\"h-expert\"") < at(&html, "id=\"h-steps\""));
    assert!(
        !html.contains("id=\"h-feedback\""),
        "no feedback the moment an expert accepts"
    );
    assert!(!html.contains("id=\"answer-by\""), "nobody to wait for");

    // The expert completes the work: now the feedback is asked.
    let done = app.respond(&request, "complete", &expert, &json!({})).await;
    assert_eq!(done.status(), 200);
    let (_, html) = victim.page(&path).await;
    assert!(html.contains("id=\"h-feedback\"") && html.contains("id=\"f-resolved\""));
    assert_eq!(
        app.run_lifecycle().await.feedback_invitations,
        1,
        "the email agrees"
    );

    let closed = victim
        .submit(&path, &format!("{path}/close"), &[("outcome", "resolved")])
        .await;
    assert_eq!(closed.status(), 303);
    let (_, html) = victim.page(&path).await;
    for stale in [
        "neemt contact met u op",
        "Doe deze stappen nu",
        "Markeer als gedaan",
    ] {
        assert!(!html.contains(stale), "after closing: {stale:?}");
    }
    assert!(html.contains("Deze zaak is afgesloten. Wilt u ons nog vertellen hoe het ging?"));
    assert!(html.contains("Dit bedrijf hielp u bij deze zaak"));
    assert!(
        html.contains("<details class=\"checklist-fold\">"),
        "the steps folded away"
    );
    assert!(at(&html, "id=\"h-feedback\"") < at(&html, "id=\"h-steps\""));
    assert!(
        !html.contains("id=\"f-resolved\""),
        "the close form asked it already"
    );
    let rated = victim
        .submit(&path, &format!("{path}/feedback"), &[("helped", "4")])
        .await;
    assert_eq!(rated.status(), 303);
    let (id, _) = case_of(&created);
    let stored = feedback_resolved(&app, id).await;
    assert_eq!(stored, Some(true), "the close form's answer stands");
    let (_, html) = victim.page(&path).await;
    assert!(html.contains("U hoeft niets meer te doen") && !html.contains("id=\"h-feedback\""));

    let erased = victim
        .submit(&format!("{path}/erase"), &format!("{path}/erase"), &[])
        .await;
    assert_eq!(erased.status(), 200);
    let (_, html) = victim.page(&path).await;
    assert!(html.contains("zijn gewist. U hoeft niets meer te doen"));
    for gone in [
        "id=\"h-expert\"",
        "info1@veilig-it.nl",
        "Bel of mail",
        "id=\"h-steps\"",
    ] {
        assert!(!html.contains(gone), "after erasure: {gone:?}");
    }
}

async fn feedback_resolved(app: &TestApp, intake_id: &str) -> Option<bool> {
    let id = hackhelpdesk::domain::IntakeId::from(intake_id);
    app.state
        .db
        .run(move |conn| {
            Ok(hackhelpdesk::db::models::case::feedback_of(conn, &id)?.map(|f| f.resolved))
        })
        .await
        .unwrap()
}

#[tokio::test]
async fn fourteen_days_connected_open_the_feedback_and_its_page_names_case_and_expert() {
    let app = spawn_app().await;
    let (created, ids) = matched_case(&app).await;
    let path = case_path(&created);
    connect(&app, &created, &ids[0]).await;
    let victim = app.reader("nl").await;
    app.clock.advance(Duration::days(14) - Duration::minutes(1));
    let (_, html) = victim.page(&path).await;
    assert!(!html.contains("id=\"h-feedback\""), "not before 14 days");
    assert_eq!(app.run_lifecycle().await.feedback_invitations, 0);
    app.clock.advance(Duration::minutes(1));
    let (_, html) = victim.page(&path).await;
    assert!(html.contains("id=\"h-feedback\"") && html.contains("id=\"f-resolved\""));
    assert_eq!(app.run_lifecycle().await.feedback_invitations, 1);

    let mail = app.emails_with("feedback_invitation").await.remove(0);
    let link = format!("/feedback/{}", link_token(&mail, "feedback"));
    let (status, html) = victim.page(&link).await;
    assert_eq!(status, 200);
    let about = &html[at(&html, "id=\"about\"")..];
    assert!(about.contains("Ransomware"), "the case: {about}");
    let company = app.case(&created).await["expert"]["company_name"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(about.contains(&company), "the expert: {about}");
    assert!(
        html.contains("id=\"f-resolved\""),
        "not closed: resolved is still asked"
    );
}

#[tokio::test]
async fn the_feedback_link_after_closing_does_not_ask_resolved_again() {
    let app = spawn_app().await;
    let created = app.intake(&intake_body()).await;
    let closed = app
        .victim_post(&created, "close", &json!({ "outcome": "unresolved" }))
        .await;
    assert_eq!(closed.status(), 200);
    assert_eq!(app.run_lifecycle().await.feedback_invitations, 1);
    let mail = app.emails_with("feedback_invitation").await.remove(0);
    let link = format!("/feedback/{}", link_token(&mail, "feedback"));
    let browser = app.reader("en").await;
    browser.page("/?lang=en").await;
    let (_, html) = browser.page(&link).await;
    assert!(!html.contains("id=\"f-resolved\""), "{html}");
    assert!(html.contains("This is about your case: Ransomware"));
    let sent = browser
        .submit(&link, &link, &[("helped", "2"), ("resolved", "yes")])
        .await;
    assert_eq!(sent.status(), 200);
    let (id, _) = case_of(&created);
    assert_eq!(
        feedback_resolved(&app, id).await,
        Some(false),
        "closed as unresolved"
    );
}
