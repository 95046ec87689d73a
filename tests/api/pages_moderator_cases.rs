//! The moderators' complaints and unmatched-intakes pages, in two languages, behind login.

use serde_json::json;

use crate::connect::{matched_case, number_of};
use crate::helpers::{MODERATOR_PASSWORD, intake_body, location, spawn_app};

#[tokio::test]
async fn moderators_see_complaints_and_unmatched_intakes_after_logging_in() {
    let app = spawn_app().await;
    // An intake nobody can take (no experts yet) is unmatched.
    let mut body = intake_body();
    body["contact"]["name"] = json!("Eva Jansen");
    app.intake(&body).await;
    // A connected case with a complaint.
    let (created, ids) = matched_case(&app).await;
    let request = app.ask_ok(&created, &[&ids[0]]).await.remove(0);
    let expert = app.expert_token(number_of(&app, &ids[0]).await).await;
    assert_eq!(
        app.respond(&request, "accept", &expert, &json!({}))
            .await
            .status(),
        200
    );
    let complaint = app
        .victim_post(
            &created,
            "complaints",
            &json!({ "expert_id": ids[0], "reason": "Nooit teruggebeld na de afspraak." }),
        )
        .await;
    assert_eq!(complaint.status(), 201);

    let anonymous = app.page_client("nl").get("/moderator/complaints").await;
    assert_eq!(anonymous.status(), 303);
    assert_eq!(
        location(&anonymous),
        "/login?next=%2Fmoderator%2Fcomplaints"
    );

    for (lang, complaints, unmatched) in [
        ("nl", "Klachten over experts", "geen beschikbare expert"),
        (
            "en",
            "Complaints about experts",
            "found no available expert",
        ),
    ] {
        let browser = app.page_client(lang);
        let logged_in = browser
            .submit(
                "/login",
                "/login",
                &[
                    ("email", "moderator@pvo.nl"),
                    ("password", MODERATOR_PASSWORD),
                ],
            )
            .await;
        assert_eq!(logged_in.status(), 303);
        let (status, html) = browser.page("/moderator/complaints").await;
        assert_eq!(status, 200);
        assert!(html.contains(complaints), "{lang}");
        assert!(html.contains("Nooit teruggebeld na de afspraak."));
        assert!(
            html.contains("href=\"/moderator/intakes?status=unmatched\""),
            "in the menu"
        );
        let (status, html) = browser.page("/moderator/intakes?status=unmatched").await;
        assert_eq!(status, 200);
        assert!(html.contains(unmatched), "{lang}");
        assert!(html.contains("Eva Jansen"), "moderators see who to call");
        assert!(!html.contains("Jan de Vries"), "only unmatched intakes");
    }
}
