//! The paid-services check in the feedback: a yes alerts the moderators (at once, or in the
//! digest within 15 minutes of the last alert) naming the expert and the case, never the victim;
//! it shows on the expert's review card; erasure keeps it and the resilience answers.

use chrono::Duration;
use serde_json::{Value, json};

use crate::connect::{VICTIM_IDENTITY, assert_anonymous, matched_case, number_of};
use crate::helpers::{
    MODERATOR_PASSWORD, TestApp, assert_problem, case_of, intake_body, problem_fields, spawn_app,
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
    let browser = app.page_client("nl");
    let fields = [("email", MODERATOR), ("password", MODERATOR_PASSWORD)];
    let login = browser.submit("/login", "/login", &fields).await;
    assert_eq!(login.status(), 303);
    let (status, html) = browser.page("/moderator/experts?status=approved").await;
    assert_eq!(status, 200);
    let start = html.find(&format!(">{company}</h2>")).expect("the card");
    let end = html[start..].find("</section>").expect("card end") + start;
    html[start..end].to_owned()
}

fn figure(card: &str) -> &str {
    let label = "Meldingen van aangeboden betaalde diensten</dt><dd>";
    let start = card.find(label).expect("the figure") + label.len();
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
    for part in [first_id, &expert, "/moderator/intakes", "Disclaimer"] {
        assert!(alert.text_body.contains(part), "{part}");
        assert!(alert.html_body.contains(part), "{part}");
    }
    assert_eq!(assert_anonymous(&app, "paid_services_reported").await, 1);

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

#[tokio::test]
async fn erasure_keeps_the_outcome_answers_and_clears_the_comment() {
    let app = spawn_app().await;
    matched_case(&app).await;
    let mut body = intake_body();
    body["resilience"] = json!({ "offline_backups": "no", "mfa": "no", "incident_plan": "no", "auto_updates": "unknown" });
    let created = app.intake(&body).await;
    connect_first(&app, &created).await;
    // This time the yes comes from the case page's feedback form.
    let (id, token) = case_of(&created);
    let case_path = format!("/case/{token}");
    let victim = app.page_client("nl");
    let (_, html) = victim.page(&case_path).await;
    assert!(html.contains("Heeft de expert u betaalde diensten aangeboden?"));
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
        .run(move |conn| hackhelpdesk::db::models::case::feedback_of(conn, &intake_id))
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
