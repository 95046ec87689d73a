//! Retention of intakes: a case that ended `RETENTION_DAYS` ago loses its personal data (checked
//! column by column in the database) and keeps what the statistics need; the case link says so
//! for 30 days and then stops working; several instances never do the work twice.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use hackhelpdesk::cases::job::{Job, Report};
use hackhelpdesk::db::schema::{complaints, help_requests, intake_feedback, intakes, outbox};
use hackhelpdesk::mail::transport::eml_path;
use serde_json::{Value, json};

use crate::connect::{matched_case, number_of};
use crate::helpers::{TestApp, case_of, intake_body, spawn_app_driven, spawn_app_with};

/// The intake columns retention blanks, and the ones the statistics keep.
type Personal = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);
type Kept = (
    String,
    String,
    String,
    String,
    String,
    NaiveDateTime,
    Option<String>,
);

pub async fn personal(app: &TestApp, id: &str) -> Personal {
    let id = id.to_owned();
    app.state
        .db
        .run(move |conn| {
            Ok(intakes::table
                .find(id)
                .select((
                    intakes::contact_name,
                    intakes::contact_email,
                    intakes::contact_phone,
                    intakes::company_name,
                    intakes::company_kvk,
                    intakes::description,
                ))
                .first(conn)?)
        })
        .await
        .unwrap()
}

async fn kept(app: &TestApp, id: &str) -> (Kept, (i32, bool, bool)) {
    let id = id.to_owned();
    app.state
        .db
        .run(move |conn| {
            let row = intakes::table
                .find(&id)
                .select((
                    intakes::incident_type,
                    intakes::municipality,
                    intakes::province,
                    intakes::urgency,
                    intakes::status,
                    intakes::created_at,
                    intakes::outcome,
                ))
                .first(conn)?;
            let scores = intake_feedback::table
                .find(&id)
                .select((
                    intake_feedback::helped,
                    intake_feedback::resolved,
                    intake_feedback::more_resilient,
                ))
                .first(conn)?;
            Ok((row, scores))
        })
        .await
        .unwrap()
}

/// Feedback comment, complaint reasons, and (id, recipient, subject, text, html, sent) of the
/// intake's emails.
type Texts = (
    Option<String>,
    Vec<String>,
    Vec<(String, String, String, String, String, bool)>,
);

async fn texts(app: &TestApp, id: &str) -> Texts {
    let id = id.to_owned();
    app.state
        .db
        .run(move |conn| {
            let comment = intake_feedback::table
                .find(&id)
                .select(intake_feedback::comment)
                .first(conn)?;
            let reasons = complaints::table
                .filter(complaints::intake_id.eq(&id))
                .select(complaints::reason)
                .load(conn)?;
            let mails: Vec<(
                String,
                String,
                String,
                String,
                String,
                Option<NaiveDateTime>,
            )> = outbox::table
                .filter(outbox::intake_id.eq(&id))
                .select((
                    outbox::id,
                    outbox::recipient,
                    outbox::subject,
                    outbox::text_body,
                    outbox::html_body,
                    outbox::sent_at,
                ))
                .load(conn)?;
            let mails = mails
                .into_iter()
                .map(|(i, r, s, t, h, at)| (i, r, s, t, h, at.is_some()))
                .collect();
            Ok((comment, reasons, mails))
        })
        .await
        .unwrap()
}

/// Waits until the mail worker sent every email about the intake.
async fn all_sent(app: &TestApp, id: &str) -> Vec<String> {
    let ids: Vec<String> = texts(app, id).await.2.into_iter().map(|m| m.0).collect();
    app.deliver_all(&ids).await;
    ids
}

/// A connected case with feedback (comment) and a complaint, closed as resolved.
async fn closed_case(app: &TestApp) -> Value {
    let (created, ids) = matched_case(app).await;
    let request = app.ask_ok(&created, &[&ids[0]]).await.remove(0);
    let token = app.expert_token(number_of(app, &ids[0]).await).await;
    let accepted = app.respond(&request, "accept", &token, &json!({})).await;
    assert_eq!(accepted.status(), 200);
    let feedback = json!({ "helped": 4, "resolved": true, "more_resilient": true,
        "comment": "Jan de Vries van Bakkerij De Vries is tevreden" });
    let given = app.victim_post(&created, "feedback", &feedback).await;
    assert_eq!(given.status(), 201);
    let complaint =
        json!({ "expert_id": ids[0], "reason": "Belde Jan de Vries thuis op 8765 4321" });
    assert_eq!(
        app.victim_post(&created, "complaints", &complaint)
            .await
            .status(),
        201
    );
    let summary = json!({ "summary": "Back-up teruggezet bij Bakkerij De Vries" });
    let done = app.respond(&request, "complete", &token, &summary).await;
    assert_eq!(done.status(), 200);
    let closed = app
        .victim_post(&created, "close", &json!({ "outcome": "resolved" }))
        .await;
    assert_eq!(closed.status(), 200, "{:?}", closed.text().await);
    created
}

async fn summaries(app: &TestApp, id: &str) -> Vec<Option<String>> {
    let id = id.to_owned();
    app.state
        .db
        .run(move |conn| {
            Ok(help_requests::table
                .filter(help_requests::intake_id.eq(id))
                .select(help_requests::summary)
                .load(conn)?)
        })
        .await
        .unwrap()
}

async fn run_on(state: &actix_web::web::Data<hackhelpdesk::http::AppState>) -> Report {
    Job::new(
        state.db.clone(),
        state.clock.clone(),
        state.mailer.clone(),
        state.settings.clone(),
        state.catalogue.clone(),
        state.candidates.clone(),
    )
    .run_due_now()
    .await
    .expect("lifecycle job runs")
}

#[tokio::test]
async fn a_closed_case_past_the_retention_period_loses_its_personal_data_and_keeps_its_statistics()
{
    let app = spawn_app_driven(&[]).await;
    let created = closed_case(&app).await;
    let (id, token) = case_of(&created);
    let emails = all_sent(&app, id).await;
    let before = (personal(&app, id).await, kept(&app, id).await);
    let texts_before = texts(&app, id).await;

    // Inside the period (180 days by default) everything stays.
    app.clock.advance(Duration::days(179));
    assert_eq!(app.run_lifecycle().await.retention.pseudonymised, 0);
    assert_eq!(personal(&app, id).await, before.0);
    assert_eq!(texts(&app, id).await.1, texts_before.1);
    assert!(summaries(&app, id).await[0].is_some());
    assert!(app.case(&created).await["pseudonymised_at"].is_null());
    let emails = [emails, all_sent(&app, id).await].concat();

    // Past it, two instances run the job at once: the intake is pseudonymised once.
    app.clock.advance(Duration::days(2));
    let other = app.spawn_instance().await;
    let (a, b) = tokio::join!(run_on(&app.state), run_on(&other.state));
    assert_eq!(a.retention.pseudonymised + b.retention.pseudonymised, 1);
    assert_eq!(
        run_on(&other.state).await,
        Report::default(),
        "nothing left"
    );

    assert_eq!(
        personal(&app, id).await,
        (None, None, None, None, None, None)
    );
    assert_eq!(kept(&app, id).await, before.1, "statistics unchanged");
    let (comment, reasons, mails) = texts(&app, id).await;
    assert_eq!(comment, None);
    assert_eq!(reasons, [""]);
    assert_eq!(summaries(&app, id).await, [None]);
    assert!(!mails.is_empty());
    for (mail, recipient, subject, text, html, _) in &mails {
        assert!(!recipient.contains("jan@bakkerij-devries.nl"), "{mail}");
        assert!(subject.starts_with('['), "{mail}: {subject}");
        assert!(text.is_empty() && html.is_empty(), "{mail}");
    }
    let dir = &app.state.settings.mail_dir;
    let left: Vec<_> = emails
        .iter()
        .filter(|m| eml_path(dir, m).exists())
        .collect();
    assert!(left.is_empty(), "copies left: {left:?}");

    // The API and the case page say the details were removed.
    let case = app.case(&created).await;
    assert!(case["pseudonymised_at"].is_string());
    assert_eq!(case["status"], "closed");
    assert!(case["contact"]["name"].is_null() && case["description"].is_null());
    let (status, html) = app.reader("en").await.page(&format!("/case/{token}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("id=\"pseudonymised\""), "{html}");
    assert!(html.contains("were removed on"));
    let (_, dutch) = app.reader("nl").await.page(&format!("/case/{token}")).await;
    assert!(dutch.contains("zijn op") && dutch.contains("verwijderd"));
    // No new free text on it.
    let complaint =
        json!({ "expert_id": case["expert"]["id"], "reason": "Nog een klacht hierover" });
    assert_eq!(
        app.victim_post(&created, "complaints", &complaint)
            .await
            .status(),
        409
    );

    // 30 days later the case link is deleted: the link answers 404.
    app.clock.advance(Duration::days(31));
    assert!(app.run_lifecycle().await.retention.case_links_deleted >= 1);
    assert_eq!(
        app.reader("en")
            .await
            .page(&format!("/case/{token}"))
            .await
            .0,
        404
    );
}

#[tokio::test]
async fn retention_zero_pseudonymises_right_after_closing() {
    let app = spawn_app_with(&[("RETENTION_DAYS", "0")]).await;
    let (created, _) = matched_case(&app).await;
    let (id, _) = case_of(&created);
    assert_eq!(app.run_lifecycle().await.retention.pseudonymised, 0, "open");
    assert!(personal(&app, id).await.0.is_some());
    let closed = app
        .victim_post(&created, "close", &json!({ "outcome": "no_longer_needed" }))
        .await;
    assert_eq!(closed.status(), 200);
    assert_eq!(app.run_lifecycle().await.retention.pseudonymised, 1);
    assert_eq!(
        personal(&app, id).await,
        (None, None, None, None, None, None)
    );
    assert!(app.emails_with("feedback_invitation").await.is_empty());
}

#[tokio::test]
async fn an_unmatched_intake_untouched_for_the_period_is_pseudonymised_one_touched_recently_is_not()
{
    // No experts: both intakes are unmatched from the start.
    let app = spawn_app_with(&[("RETENTION_DAYS", "30")]).await;
    let untouched = app.intake(&intake_body()).await;
    let touched = app.intake(&intake_body()).await;
    assert_eq!(app.case(&untouched).await["status"], "unmatched");
    app.clock.advance(Duration::days(20));
    let ticked = app
        .victim_post(&touched, "steps/1", &json!({ "done": true }))
        .await;
    assert_eq!(ticked.status(), 200);
    app.clock.advance(Duration::days(11));
    assert_eq!(app.run_lifecycle().await.retention.pseudonymised, 1);
    let gone = personal(&app, case_of(&untouched).0).await;
    assert_eq!(gone, (None, None, None, None, None, None));
    let kept = personal(&app, case_of(&touched).0).await;
    assert_eq!(kept.0.as_deref(), Some("Jan de Vries"));
    assert!(kept.5.is_some(), "description kept");
    assert!(app.case(&touched).await["pseudonymised_at"].is_null());
    assert_eq!(app.case(&untouched).await["status"], "unmatched");
}
