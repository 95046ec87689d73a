//! Complaints about the connected expert (seen by moderators, linked to the suspension that
//! answers them), and erasure: personal data gone everywhere, statistics kept.

use hackhelpdesk::mail::transport::eml_path;
use serde_json::{Value, json};

use crate::connect::{VICTIM_IDENTITY, assert_anonymous, matched_case, number_of};
use crate::helpers::{
    MODERATOR_PASSWORD, TestApp, assert_problem, case_of, intake_body, problem_fields, spawn_app,
    spawn_app_driven,
};

async fn connect(app: &TestApp, created: &Value, expert: &str) -> (String, String) {
    let request = app.ask_ok(created, &[expert]).await.remove(0);
    let token = app.expert_token(number_of(app, expert).await).await;
    let accepted = app.respond(&request, "accept", &token, &json!({})).await;
    assert_eq!(accepted.status(), 200);
    (request, token)
}

#[tokio::test]
async fn a_complaint_reaches_the_moderators_and_links_to_the_suspension_it_caused() {
    let app = spawn_app().await;
    let (created, ids) = matched_case(&app).await;
    let moderator = app.token_for("moderator@pvo.nl", MODERATOR_PASSWORD).await;
    let early = app
        .victim_post(
            &created,
            "complaints",
            &json!({ "expert_id": ids[0], "reason": "Hij belde nooit terug" }),
        )
        .await;
    assert_eq!(
        problem_fields(&assert_problem(early, 422).await),
        ["expert_id"]
    );
    let (_, expert) = connect(&app, &created, &ids[0]).await;

    let other = app
        .victim_post(
            &created,
            "complaints",
            &json!({ "expert_id": ids[1], "reason": "Hij belde nooit terug" }),
        )
        .await;
    assert_eq!(
        problem_fields(&assert_problem(other, 422).await),
        ["expert_id"]
    );
    let short = app
        .victim_post(
            &created,
            "complaints",
            &json!({ "expert_id": ids[0], "reason": "slecht" }),
        )
        .await;
    assert_eq!(
        problem_fields(&assert_problem(short, 422).await),
        ["reason"]
    );
    let reason = "Wilde eerst een duur onderhoudscontract verkopen";
    let filed = app
        .victim_post(
            &created,
            "complaints",
            &json!({ "expert_id": ids[0], "reason": reason }),
        )
        .await;
    assert_eq!(filed.status(), 201);
    let complaint_id = filed.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(assert_anonymous(&app, "complaint_received").await, 1);

    assert_problem(
        app.get_auth("/api/v1/moderation/complaints", &expert).await,
        403,
    )
    .await;
    let list: Value = app
        .get_auth("/api/v1/moderation/complaints", &moderator)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list[0]["id"], complaint_id.as_str());
    assert_eq!(list[0]["reason"], reason);
    assert_eq!(list[0]["status"], "open");
    assert_eq!(list[0]["actions"], json!([]));

    let wrong = app
        .post_auth(
            &format!("/api/v1/moderation/experts/{}/suspend", ids[1]),
            &moderator,
            &json!({ "reason": "verkooppraatjes", "complaint_id": complaint_id }),
        )
        .await;
    assert_eq!(
        problem_fields(&assert_problem(wrong, 422).await),
        ["complaint_id"]
    );
    let suspended = app
        .post_auth(
            &format!("/api/v1/moderation/experts/{}/suspend", ids[0]),
            &moderator,
            &json!({ "reason": "verkooppraatjes", "complaint_id": complaint_id }),
        )
        .await;
    assert_eq!(suspended.status(), 200);
    let list: Value = app
        .get_auth("/api/v1/moderation/complaints?status=actioned", &moderator)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
    let action = &list[0]["actions"][0];
    assert_eq!(action["action"], "expert.suspended");
    assert!(action["details"].as_str().unwrap().contains(&complaint_id));
}

#[tokio::test]
async fn erasure_removes_the_victims_data_everywhere_and_keeps_the_statistics() {
    let app = spawn_app_driven(&[]).await;
    let (_, ids) = matched_case(&app).await;
    let mut body = intake_body();
    body["location"] = json!({ "lat": 51.4981, "lon": 4.2954 });
    let created = app.intake(&body).await;
    let requests = app.ask_ok(&created, &[&ids[0], &ids[1]]).await;
    let token = app.expert_token(number_of(&app, &ids[0]).await).await;
    assert_eq!(
        app.respond(&requests[0], "accept", &token, &json!({}))
            .await
            .status(),
        200
    );
    app.victim_post(&created, "steps/1", &json!({ "done": true }))
        .await;
    let feedback = json!({ "helped": 4, "resolved": true, "more_resilient": false, "comment": "Jan de Vries is tevreden" });
    assert_eq!(
        app.victim_post(&created, "feedback", &feedback)
            .await
            .status(),
        201
    );
    assert_eq!(app.open_cases(&ids[0]).await, 1);

    let (id, case_token) = case_of(&created);
    // Deliver first, so that erasure must blank sent messages too.
    let sent: Vec<String> = mail_about(&app, id).await;
    app.deliver_all(&sent).await;
    let mail_dir = &app.state.settings.mail_dir;
    let files: Vec<_> = sent.iter().map(|m| eml_path(mail_dir, m)).collect();
    assert!(!files.is_empty() && files.iter().all(|f| f.exists()));
    let path = format!("/api/v1/intakes/{id}");
    assert_eq!(app.delete_auth(&path, case_token).await.status(), 204);
    assert_eq!(
        app.delete_auth(&path, case_token).await.status(),
        204,
        "twice is fine"
    );

    let case = app.case(&created).await;
    assert_eq!(case["status"], "erased");
    for field in ["name", "email", "phone"] {
        assert!(case["contact"][field].is_null(), "{field}");
    }
    assert!(case["company"]["name"].is_null() && case["company"]["kvk_number"].is_null());
    assert!(case["description"].is_null());
    assert_eq!(case["incident_type"], "ransomware");
    assert_eq!(case["location"]["municipality"], "Bergen op Zoom");
    assert_eq!(case["company"]["employees"], 12);
    assert_eq!(
        app.open_cases(&ids[0]).await,
        0,
        "the connected expert is freed"
    );
    assert_eq!(app.emails_with("case_ended").await.len(), 1);
    let mine: Value = app
        .get_auth("/api/v1/experts/me/requests", &token)
        .await
        .json()
        .await
        .unwrap();
    assert!(mine[0]["victim"]["name"].is_null() && mine[0]["description"].is_null());
    assert_eq!(mine[0]["status"], "closed");

    // Nothing in the outbox (sent or not) names the victim any more.
    let about = emails_about(&app, id).await;
    let templates: Vec<&str> = about.iter().map(|m| m.0.as_str()).collect();
    for template in [
        "intake_received",
        "help_request",
        "connected_expert",
        "connected_victim",
    ] {
        assert!(templates.contains(&template), "{template} in {templates:?}");
    }
    for (template, all) in &about {
        for part in VICTIM_IDENTITY {
            assert!(
                !all.contains(part),
                "{template} still shows {part:?}: {all}"
            );
        }
    }
    // Nor does any copy in MAIL_DIR: the files of the erased intake's emails are gone.
    let left: Vec<_> = files.iter().filter(|f| f.exists()).collect();
    assert!(left.is_empty(), "still on disk: {left:?}");
    // The same victim's other intake is untouched, its file included.
    let other = app.emails_to("jan@bakkerij-devries.nl").await;
    let received = other
        .iter()
        .find(|m| m.template == "intake_received" && m.text_body.contains("Jan de Vries"))
        .expect("the other intake's email");
    assert!(app.outbox_row(&received.id).await.sent_at.is_some());
    assert!(eml_path(mail_dir, &received.id).exists());

    // The exact point is snapped to the place; scores stay, free text goes.
    let stored = stored_point_and_feedback(&app, id).await;
    let place = app
        .state
        .geocoder
        .find("Bergen op Zoom")
        .expect("known place");
    assert_eq!(stored.0, (place.lat, place.lon), "snapped to the place");
    assert_ne!(stored.0, (51.4981, 4.2954));
    assert_eq!(stored.1, (4, None));

    // The statistics still count it; the victim can do nothing more with it.
    let moderator = app.token_for("moderator@pvo.nl", MODERATOR_PASSWORD).await;
    let listed: Value = app
        .get_auth("/api/v1/moderation/intakes?status=erased", &moderator)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed[0]["province"], "Noord-Brabant");
    assert_eq!(listed[0]["incident_type"], "ransomware");
    assert!(listed[0]["contact"]["email"].is_null());
    assert_problem(
        app.victim_post(&created, "close", &json!({ "outcome": "resolved" }))
            .await,
        409,
    )
    .await;
    assert_problem(
        app.victim_post(&created, "steps/2", &json!({ "done": true }))
            .await,
        409,
    )
    .await;
}

async fn stored_point_and_feedback(app: &TestApp, id: &str) -> ((f64, f64), (i32, Option<String>)) {
    use diesel::prelude::*;
    use hackhelpdesk::db::schema::{intake_feedback, intakes};
    let id = id.to_owned();
    app.state
        .db
        .run(move |conn| {
            let point = intakes::table
                .find(&id)
                .select((intakes::lat, intakes::lon))
                .first(conn)?;
            let feedback = intake_feedback::table
                .find(&id)
                .select((intake_feedback::helped, intake_feedback::comment))
                .first(conn)?;
            Ok((point, feedback))
        })
        .await
        .unwrap()
}

/// (template, recipient + subject + bodies) of every outbox row about intake `id`.
async fn emails_about(app: &TestApp, id: &str) -> Vec<(String, String)> {
    use diesel::prelude::*;
    use hackhelpdesk::db::schema::outbox;
    let id = id.to_owned();
    let rows: Vec<(String, String, String, String, String)> = app
        .state
        .db
        .run(move |conn| {
            Ok(outbox::table
                .filter(outbox::intake_id.eq(id))
                .select((
                    outbox::template,
                    outbox::recipient,
                    outbox::subject,
                    outbox::text_body,
                    outbox::html_body,
                ))
                .load(conn)?)
        })
        .await
        .unwrap();
    rows.into_iter()
        .map(|(t, r, s, x, h)| (t, format!("{r} {s} {x} {h}")))
        .collect()
}

/// The ids of every outbox row about intake `id`.
async fn mail_about(app: &TestApp, id: &str) -> Vec<String> {
    let id = id.to_owned();
    app.state
        .db
        .run(move |conn| hackhelpdesk::db::models::case::email_ids(conn, &id.into()))
        .await
        .unwrap()
}
