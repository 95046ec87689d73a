//! The moderators' workbench on cases: a complaint marked handled (with a note) and its expert
//! suspended from the complaint card, both in the audit log and on the complaint; the intake
//! list with the connected expert, the outcome and the feedback score; the audit page in words
//! (names, action labels, Amsterdam time under a heading that says so).

use diesel::prelude::*;
use hackhelpdesk::clock::for_people;
use serde_json::{Value, json};

use crate::connect::{matched_case, number_of};
use crate::helpers::{MODERATOR_PASSWORD, PageClient, TestApp, assert_problem, location};

/// A connected case with a complaint, closed as resolved with feedback 4 of 5. Returns the
/// complaint id and the expert's id and company name.
pub async fn closed_case_with_complaint(app: &TestApp) -> (String, String, String) {
    let (created, ids) = matched_case(app).await;
    let request = app.ask_ok(&created, &[&ids[0]]).await.remove(0);
    let expert = app.expert_token(number_of(app, &ids[0]).await).await;
    let accepted = app.respond(&request, "accept", &expert, &json!({})).await;
    assert_eq!(accepted.status(), 200);
    let reason = json!({ "expert_id": ids[0], "reason": "Rekende 900 euro voor een uur werk." });
    let complaint = app.victim_post(&created, "complaints", &reason).await;
    assert_eq!(complaint.status(), 201);
    let complaint: Value = complaint.json().await.unwrap();
    let closed = app
        .victim_post(&created, "close", &json!({ "outcome": "resolved" }))
        .await;
    assert_eq!(closed.status(), 200);
    let feedback = json!({ "helped": 4, "resolved": true, "more_resilient": false });
    let given = app.victim_post(&created, "feedback", &feedback).await;
    assert_eq!(given.status(), 201);
    let id = ids[0].clone();
    let company = app
        .state
        .db
        .run(move |conn| Ok(hackhelpdesk::db::models::expert::get(conn, &id.into())?.company_name))
        .await
        .unwrap();
    (
        complaint["id"].as_str().unwrap().to_owned(),
        ids[0].clone(),
        company,
    )
}

async fn moderator_browser(app: &TestApp, lang: &str) -> PageClient {
    let browser = app.page_client(lang);
    let login = [
        ("email", "moderator@pvo.nl"),
        ("password", MODERATOR_PASSWORD),
    ];
    assert_eq!(
        browser.submit("/login", "/login", &login).await.status(),
        303
    );
    browser
}

#[tokio::test]
async fn complaint_actions_land_in_the_audit_and_intakes_show_expert_outcome_and_score() {
    let app = crate::helpers::spawn_app().await;
    let (complaint, expert_id, company) = closed_case_with_complaint(&app).await;
    let token = app.token_for("moderator@pvo.nl", MODERATOR_PASSWORD).await;

    // The intake list, API and page: connected expert, outcome, score.
    let closed: Vec<Value> = app
        .get_auth("/api/v1/moderation/intakes?status=closed", &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(closed.len(), 1);
    assert_eq!(closed[0]["connected_expert_company_name"], company.as_str());
    assert_eq!(closed[0]["outcome"], "resolved");
    assert_eq!(closed[0]["feedback_helped"], 4);
    let browser = moderator_browser(&app, "nl").await;
    let (_, html) = browser.page("/moderator/intakes?status=closed").await;
    assert!(html.contains(&format!("<dd class=\"expert\"><bdi>{company}</bdi></dd>")));
    assert!(html.contains("<dd class=\"outcome\">Opgelost</dd>"));
    assert!(html.contains("<dd class=\"score\">4 van 5</dd>"));

    // The complaint card: a note is required; then it is handled, once.
    let card = "/moderator/complaints?status=open";
    let (_, html) = browser.page(card).await;
    assert!(html.contains(&format!(
        "action=\"/moderator/complaints/{complaint}/handle\""
    )));
    let handle = format!("/moderator/complaints/{complaint}/handle");
    let empty = browser
        .submit(card, &handle, &[("text", " "), ("status", "open")])
        .await;
    assert_eq!(empty.status(), 422);
    assert!(
        empty
            .text()
            .await
            .unwrap()
            .contains("Vul 3 tot 2000 tekens in.")
    );
    let note = [
        ("text", "Expert gebeld; prijs teruggebracht."),
        ("status", "open"),
    ];
    let handled = browser.submit(card, &handle, &note).await;
    assert_eq!(handled.status(), 303);
    assert!(location(&handled).contains("done=handled"));
    let again = app
        .post_auth(
            &format!("/api/v1/moderation/complaints/{complaint}/handle"),
            &token,
            &json!({ "note": "Nog een keer" }),
        )
        .await;
    assert_problem(again, 409).await;
    let missing = app
        .post_auth(
            "/api/v1/moderation/complaints/nope/handle",
            &token,
            &json!({ "note": "abc" }),
        )
        .await;
    assert_problem(missing, 404).await;

    // Suspending the expert from the complaint: the vetting workflow, its email, the link.
    let suspend = format!("/api/v1/moderation/complaints/{complaint}/suspend");
    let short = app
        .post_auth(&suspend, &token, &json!({ "reason": "x" }))
        .await;
    let problem = assert_problem(short, 422).await;
    assert_eq!(crate::helpers::problem_fields(&problem), ["reason"]);
    let body = json!({ "reason": "Te hoge prijzen na klacht." });
    let suspended = app.post_auth(&suspend, &token, &body).await;
    assert_eq!(suspended.status(), 200);
    let view: Value = suspended.json().await.unwrap();
    assert_eq!(view["status"], "handled");
    let actions: Vec<&str> = view["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["complaint.handled", "expert.suspended"]);
    assert_eq!(
        view["actions"][0]["reason"],
        "Expert gebeld; prijs teruggebracht."
    );
    assert_eq!(app.emails_with("expert_suspended").await.len(), 1);
    let expert: Value = app
        .get_auth(&format!("/api/v1/moderation/experts/{expert_id}"), &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(expert["status"], "suspended");
    assert_problem(app.post_auth(&suspend, &token, &body).await, 409).await;

    let listed: Vec<Value> = app
        .get_auth("/api/v1/moderation/complaints?status=handled", &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["actions"].as_array().unwrap().len(), 2);
    let audit: Vec<Value> = app
        .get_auth("/api/v1/moderation/audit?action=complaint.handled", &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0]["subject_id"], complaint.as_str());
    let (_, html) = browser.page("/moderator/complaints?status=handled").await;
    assert!(html.contains("Klacht afgehandeld"));
    assert!(html.contains("Expert geschorst"));
    assert!(!html.contains(&format!("/moderator/complaints/{complaint}/handle")));

    // The review card: languages, capacity, registration date and the complaint.
    let (_, html) = browser.page("/moderator/experts?status=suspended").await;
    assert!(html.contains(&format!("><bdi>{company}</bdi></h2>")));
    assert!(
        html.contains("<dt>Talen</dt><dd lang=\"nl\" dir=\"ltr\">Engels, Nederlands, Turks</dd>")
    );
    assert!(html.contains("<dt>Capaciteit</dt><dd>0 van 50 zaken open</dd>"));
    let registered = for_people(app.clock.now());
    assert!(html.contains(&format!(
        "<dt>Aangemeld op</dt><dd><bdi dir=\"ltr\">{registered}</bdi></dd>"
    )));
    assert!(html.contains("<dt>Klachten</dt><dd>1</dd>"));

    audit_page_speaks_in_names_labels_and_amsterdam_time(&app, &browser, &expert_id, &company)
        .await;
}

async fn audit_page_speaks_in_names_labels_and_amsterdam_time(
    app: &TestApp,
    browser: &PageClient,
    expert_id: &str,
    company: &str,
) {
    use hackhelpdesk::db::schema::moderators;
    let moderator_id: String = app
        .state
        .db
        .run(|conn| Ok(moderators::table.select(moderators::id).first(conn)?))
        .await
        .unwrap();
    let (status, html) = browser.page("/moderator/audit").await;
    assert_eq!(status, 200);
    assert!(html.contains("Tijdstip (Amsterdam, CET/CEST)"));
    assert!(!html.contains("UTC"), "no UTC heading over Amsterdam times");
    let now = for_people(app.clock.now());
    assert!(now.ends_with(" CET") || now.ends_with(" CEST"));
    assert!(
        html.contains(&format!("<td>{now}</td>")),
        "times in Amsterdam time"
    );
    assert!(
        html.contains("<td>moderator@pvo.nl</td>"),
        "the moderator by email"
    );
    assert!(!html.contains(&moderator_id), "no raw moderator id");
    assert!(
        html.contains(&format!(">{company}</")),
        "the expert by name"
    );
    assert!(
        !html.contains(&format!(">{expert_id}<")),
        "no raw expert id as text"
    );
    assert!(html.contains("data-code=\"expert.approved\">Expert goedgekeurd<"));
    assert!(html.contains("data-code=\"complaint.handled\">Klacht afgehandeld<"));
    assert!(html.contains(&format!(">Klacht over {company}<")));
    // Every action on the page has a label, never its raw code.
    for cell in html.split("data-code=\"").skip(1) {
        let code = cell.split('"').next().unwrap();
        let label = cell.split('>').nth(1).unwrap().split('<').next().unwrap();
        assert_ne!(label, code, "{code} has no label");
    }
    let english = moderator_browser(app, "en").await;
    let (_, html) = english.page("/moderator/audit?q=complaint").await;
    assert!(html.contains("Time (Amsterdam, CET/CEST)"));
    assert!(html.contains("data-code=\"complaint.handled\">Complaint handled<"));
    assert!(html.contains("data-code=\"complaint.filed\">Complaint filed<"));
    assert!(
        !html.contains("data-code=\"expert.approved\""),
        "the search narrows the log"
    );
    let (_, html) = english
        .page("/moderator/audit?action=expert.approved")
        .await;
    assert!(html.contains("1–3 of 3"));
}
