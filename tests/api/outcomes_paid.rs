//! The paid-services check in the feedback: a yes alerts the moderators (at once, or in the
//! digest within 15 minutes of the last alert) naming the expert and the case, never the victim;
//! it shows on the expert's review card; erasure keeps it and the resilience answers.

use chrono::Duration;
use hackhelpdesk::db::models::outbox::OutboxMessage;
use serde_json::{Value, json};

use crate::connect::{VICTIM_IDENTITY, assert_anonymous, matched_case, number_of};
use crate::helpers::{
    MODERATOR_PASSWORD, TestApp, assert_problem, case_of, intake_body, link_token, problem_fields,
    spawn_app,
};
use crate::outcomes::{connect_first, connect_to};

const MODERATOR: &str = "moderator@pvo.nl";

/// The alert emails queued for the moderator, by template.
async fn moderator_mail(app: &TestApp) -> Vec<String> {
    app.emails_to(MODERATOR)
        .await
        .into_iter()
        .map(|m| m.template)
        .collect()
}

fn feedback(paid: Option<bool>) -> Value {
    let mut body = json!({ "helped": 2, "resolved": false, "more_resilient": true,
                           "comment": "Hij wilde vooral een contract verkopen." });
    if let Some(paid) = paid {
        body["offered_paid_services"] = json!(paid);
    }
    body
}

/// The review card of `expert` on the approved tab, as a logged-in moderator sees it.
async fn review_card(app: &TestApp, company: &str) -> String {
    review_card_at(app, "/moderator/experts?status=approved", company)
        .await
        .1
}

/// The expert list at `path` and the review card of `company` on it, as a logged-in moderator
/// sees them.
async fn review_card_at(app: &TestApp, path: &str, company: &str) -> (String, String) {
    let browser = app.page_client("nl");
    let fields = [("email", MODERATOR), ("password", MODERATOR_PASSWORD)];
    let login = browser.submit("/login", "/login", &fields).await;
    assert_eq!(login.status(), 303);
    let (status, html) = browser.page(path).await;
    assert_eq!(status, 200);
    let start = html
        .find(&format!(">{company}</bdi></h2>"))
        .expect("the card");
    let end = html[start..].find("</section>").expect("card end") + start;
    let card = html[start..end].to_owned();
    (html, card)
}

const FIGURE_LABEL: &str = "Meldingen van aangeboden betaalde diensten</dt><dd>";

fn figure(card: &str) -> &str {
    let start = card.find(FIGURE_LABEL).expect("the figure") + FIGURE_LABEL.len();
    &card[start..start + card[start..].find('<').expect("end")]
}

#[tokio::test]
async fn offered_paid_services_alerts_the_moderators_then_the_digest_and_counts_on_the_card() {
    let app = spawn_app().await;
    let (first, _) = matched_case(&app).await;
    let mut body = intake_body();
    body["contact"]["email"] = json!("tweede@bakkerij-devries.nl");
    let second = app.intake(&body).await;
    let third = app.intake(&body).await;
    let expert = connect_first(&app, &first).await;
    connect_to(&app, &second, &expert).await;
    connect_to(&app, &third, &expert).await;
    // The registrations alerted the moderators already: let that window pass.
    app.clock.advance(Duration::minutes(15));
    app.run_lifecycle().await;
    app.clock.advance(Duration::minutes(15));
    let before = moderator_mail(&app).await.len();
    let company = format!("Veilig IT {} B.V.", number_of(&app, &expert).await);
    let company = company.as_str();
    let card = review_card(&app, company).await;
    assert_eq!(figure(&card), "0");

    let bad = app
        .victim_post(&first, "feedback", &json!({ "helped": 2, "resolved": false, "more_resilient": true, "offered_paid_services": "ja" }))
        .await;
    assert_eq!(
        problem_fields(&assert_problem(bad, 422).await),
        ["offered_paid_services"]
    );
    let given = app
        .victim_post(&first, "feedback", &feedback(Some(true)))
        .await;
    assert_eq!(given.status(), 201);
    assert_eq!(
        given.json::<Value>().await.unwrap()["offered_paid_services"],
        true
    );
    let mail = moderator_mail(&app).await;
    assert_eq!(mail[before..], ["paid_services_reported"]);
    let alert = app.emails_with("paid_services_reported").await.remove(0);
    let (first_id, _) = case_of(&first);
    assert_eq!(
        alert.subject,
        format!("Betaalde diensten aangeboden: {company}")
    );
    for part in [
        first_id,
        &expert,
        "Disclaimer",
        "De eerste hulp via de Hackhelpdesk is gratis",
    ] {
        assert!(alert.text_body.contains(part), "{part}");
        assert!(alert.html_body.contains(part), "{part}");
    }
    assert_links_to_the_card(&app, &alert, company).await;
    assert_eq!(assert_anonymous(&app, "paid_services_reported").await, 1);
    // The expert's own export does not tell them which victim reported them.
    let expert_token = app.expert_token(number_of(&app, &expert).await).await;
    let export: Value = app
        .get_auth("/api/v1/experts/me/export", &expert_token)
        .await
        .json()
        .await
        .unwrap();
    let actions: Vec<&str> = export["audit"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(actions.contains(&"request.accepted"), "{actions:?}");
    assert!(
        !actions.contains(&"feedback.paid_services_reported"),
        "{actions:?}"
    );

    // Five minutes later a second report waits for the digest.
    app.clock.advance(Duration::minutes(5));
    let given = app
        .victim_post(&second, "feedback", &feedback(Some(true)))
        .await;
    assert_eq!(given.status(), 201);
    // A client from before the question sends none: stored as unknown, nobody alerted.
    let given = app.victim_post(&third, "feedback", &feedback(None)).await;
    assert_eq!(given.status(), 201);
    assert_eq!(
        given.json::<Value>().await.unwrap()["offered_paid_services"],
        Value::Null
    );
    assert_eq!(moderator_mail(&app).await.len(), before + 1);
    assert_eq!(app.run_lifecycle().await.alerts_in_digest, 0);
    app.clock.advance(Duration::minutes(10));
    assert_eq!(app.run_lifecycle().await.alerts_in_digest, 1);
    let mail = moderator_mail(&app).await;
    assert_eq!(
        mail[before..],
        ["paid_services_reported", "moderator_digest"]
    );
    let digest = app.emails_with("moderator_digest").await.pop().unwrap();
    assert!(
        digest
            .text_body
            .contains(&format!("Betaalde diensten aangeboden: {company}"))
    );
    for part in VICTIM_IDENTITY {
        assert!(!digest.text_body.contains(part), "{part}");
    }

    // Two reports on the expert's card; the audit names the expert.
    assert_eq!(figure(&review_card(&app, company).await), "2");
    let moderator = app.token_for(MODERATOR, MODERATOR_PASSWORD).await;
    let audit: Value = app
        .get_auth(
            "/api/v1/moderation/audit?action=feedback.paid_services_reported",
            &moderator,
        )
        .await
        .json()
        .await
        .unwrap();
    let reported = audit.as_array().expect("entries");
    assert_eq!(reported.len(), 2);
    assert!(reported.iter().all(|e| e["subject_id"] == expert.as_str()));
}

/// The alert links to the expert list on the expert's tab, searched by its KvK number (escaped
/// as any value in an `href`), and following it shows that expert's card with one report.
async fn assert_links_to_the_card(app: &TestApp, alert: &OutboxMessage, company: &str) {
    let prefix = "/moderator/experts?status=approved&q=";
    let at = alert.text_body.find(prefix).expect("the link in the text");
    let path = alert.text_body[at..].split_whitespace().next().unwrap();
    let kvk = &path[prefix.len()..];
    assert!(
        kvk.len() == 8 && kvk.bytes().all(|b| b.is_ascii_digit()),
        "{path}"
    );
    let escaped = format!("/moderator/experts?status&#x3D;approved&amp;q&#x3D;{kvk}\"");
    assert!(alert.html_body.contains(&escaped), "{}", alert.html_body);
    let (list, card) = review_card_at(app, path, company).await;
    assert_eq!(figure(&card), "1");
    assert_eq!(
        list.matches(FIGURE_LABEL).count(),
        1,
        "that expert's card alone"
    );
}

#[tokio::test]
async fn erasure_keeps_the_outcome_answers_and_clears_the_comment() {
    let app = spawn_app().await;
    matched_case(&app).await;
    let mut body = intake_body();
    body["resilience"] = json!({ "offline_backups": "no", "mfa": "no", "incident_plan": "no", "auto_updates": "unknown" });
    let created = app.intake(&body).await;
    connect_first(&app, &created).await;
    // The feedback form opens once help was given (here: two weeks connected).
    app.clock.advance(chrono::Duration::days(14));
    // This time the yes comes from the case page's feedback form.
    let (id, token) = case_of(&created);
    let case_path = format!("/case/{token}");
    let victim = app.page_client("nl");
    let (_, html) = victim.page(&case_path).await;
    assert!(html.contains("Heeft de expert u betaalde diensten aangeboden?"));
    assert!(html.contains("De eerste hulp via de Hackhelpdesk is gratis."));
    let fields = [
        ("helped", "2"),
        ("offered_paid_services", "yes"),
        ("comment", "Hij wilde vooral een contract verkopen."),
    ];
    let given = victim
        .submit(&case_path, &format!("{case_path}/feedback"), &fields)
        .await;
    assert_eq!(given.status(), 303);
    assert_eq!(app.emails_with("paid_services_reported").await.len(), 1);

    let erased = app
        .delete_auth(&format!("/api/v1/intakes/{id}"), token)
        .await;
    assert_eq!(erased.status(), 204);
    let case = app.case(&created).await;
    assert_eq!(case["status"], "erased");
    assert_eq!(case["resilience"]["baseline"]["incident_plan"], "no");
    assert_eq!(case["resilience"]["baseline"]["auto_updates"], "unknown");
    let intake_id = id.to_owned();
    let row = app
        .state
        .db
        .run(move |conn| hackhelpdesk::db::models::case::feedback_of(conn, &intake_id.into()))
        .await
        .unwrap()
        .expect("feedback kept");
    assert_eq!((row.helped, row.offered_paid_services), (2, Some(true)));
    assert_eq!(row.comment, None, "the free text is erased");
    // The victim's export shows them too.
    let export: Value = app
        .get_auth(&format!("/api/v1/intakes/{id}/export"), token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(export["feedback"]["offered_paid_services"], true);
    assert_eq!(export["feedback"]["comment"], Value::Null);
    assert_eq!(export["case"]["resilience"]["baseline"]["mfa"], "no");
    assert_eq!(export["case"]["resilience"]["after_90_days"], Value::Null);
}

#[tokio::test]
async fn erasing_the_case_right_after_the_report_keeps_the_moderators_alert() {
    let app = spawn_app().await;
    let (created, _) = matched_case(&app).await;
    let expert = connect_first(&app, &created).await;
    let company = format!("Veilig IT {} B.V.", number_of(&app, &expert).await);
    let given = app
        .victim_post(&created, "feedback", &feedback(Some(true)))
        .await;
    assert_eq!(given.status(), 201);
    // The victim erases the case before the alert went out: the alert holds nothing about the
    // victim, so it stays queued, whole, and the moderators still learn of the report.
    let (id, token) = case_of(&created);
    let erased = app
        .delete_auth(&format!("/api/v1/intakes/{id}"), token)
        .await;
    assert_eq!(erased.status(), 204);
    let alerts = app.emails_with("paid_services_reported").await;
    let subjects: Vec<&str> = alerts.iter().map(|m| m.subject.as_str()).collect();
    assert_eq!(
        subjects,
        [format!("Betaalde diensten aangeboden: {company}")]
    );
    assert!(alerts[0].text_body.contains(&expert));
    assert!(alerts[0].text_body.contains(id));
}

const PAID_QUESTION: &str = "Heeft de expert u betaalde diensten aangeboden?";

/// The feedback form of the one-click link in the newest feedback invitation to `created`.
async fn feedback_link_page(app: &TestApp) -> String {
    assert_eq!(app.run_lifecycle().await.feedback_invitations, 1);
    let mail = app.emails_with("feedback_invitation").await.pop().unwrap();
    let link = format!("/feedback/{}", link_token(&mail, "feedback"));
    let (status, html) = app.page_client("nl").page(&link).await;
    assert_eq!(status, 200);
    assert!(html.contains("name=\"helped\""), "the feedback form");
    html
}

#[tokio::test]
async fn without_a_connected_expert_the_feedback_does_not_ask_about_paid_services() {
    let app = spawn_app().await;
    let (created, _) = matched_case(&app).await;
    // Closed before any expert was asked: the feedback is invited, without the expert question.
    let closed = app
        .victim_post(&created, "close", &json!({ "outcome": "no_longer_needed" }))
        .await;
    assert_eq!(closed.status(), 200);
    let (_, token) = case_of(&created);
    let (_, case_page) = app.page_client("nl").page(&format!("/case/{token}")).await;
    assert!(case_page.contains("id=\"h-feedback\""), "feedback is asked");
    assert!(!case_page.contains(PAID_QUESTION));
    assert!(!feedback_link_page(&app).await.contains(PAID_QUESTION));

    // Connected and then closed: both forms ask it.
    let mut body = intake_body();
    body["contact"]["email"] = json!("tweede@bakkerij-devries.nl");
    let helped = app.intake(&body).await;
    connect_first(&app, &helped).await;
    let closed = app
        .victim_post(&helped, "close", &json!({ "outcome": "resolved" }))
        .await;
    assert_eq!(closed.status(), 200);
    let (_, token) = case_of(&helped);
    let (_, case_page) = app.page_client("nl").page(&format!("/case/{token}")).await;
    assert!(case_page.contains(PAID_QUESTION));
    assert!(feedback_link_page(&app).await.contains(PAID_QUESTION));
}
