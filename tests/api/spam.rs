//! Spam without tracking on the public forms: a honeypot field and a minimum fill time. A person
//! who trips either gets the form back with the input kept and sends it again; nothing is stored
//! or emailed for a refused form.

use crate::helpers::{PageClient, TestApp, csrf_token, location, spawn_app_with};

const INTAKE: [(&str, &str); 9] = [
    ("incident_type", "ransomware"),
    ("urgency", "acute"),
    ("description", "Alle bestanden zijn versleuteld."),
    ("place", "Bergen op Zoom"),
    ("language", "nl"),
    ("contact_name", "Jan de Vries"),
    ("contact_email", "jan@bakkerij-devries.nl"),
    ("consent_to_share", "yes"),
    ("disclaimer_accepted", "yes"),
];

/// The hidden "form shown at" value of a page's form.
fn started(html: &str) -> String {
    let marker = "name=\"form_started\" value=\"";
    let start = html.find(marker).expect("the form carries its start time") + marker.len();
    html[start..].chars().take_while(|c| *c != '"').collect()
}

/// Shows the form, then sends it with `fields` plus the hidden ones of that page.
async fn send(
    victim: &PageClient,
    html: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let (token, at) = (csrf_token(html), started(html));
    let mut all = vec![
        ("csrf_token", token.as_str()),
        ("form_started", at.as_str()),
    ];
    all.extend_from_slice(fields);
    victim.post_form(action, &all).await
}

async fn intakes_received(app: &TestApp) -> usize {
    app.emails_with("intake_received").await.len()
}

#[tokio::test]
async fn an_intake_form_sent_faster_than_a_person_types_comes_back_then_goes_through() {
    let app = spawn_app_with(&[("FORM_MIN_FILL_SECS", "3")]).await;
    let victim = app.page_client("nl");
    let (_, form) = victim.page("/intake").await;
    assert!(
        form.contains("name=\"contact_url\""),
        "the honeypot is in the form"
    );

    let quick = send(&victim, &form, "/intake", &INTAKE).await;
    assert_eq!(quick.status(), 422);
    let html = quick.text().await.expect("page");
    assert!(html.contains("Dat ging erg snel"), "says why");
    assert!(
        html.contains("Alle bestanden zijn versleuteld."),
        "input kept"
    );
    assert_eq!(intakes_received(&app).await, 0, "nothing stored or sent");

    // The person looks it over and sends it again a few seconds later.
    app.clock.advance(chrono::Duration::seconds(5));
    let again = send(&victim, &html, "/intake", &INTAKE).await;
    assert_eq!(again.status(), 303, "{:?}", again.text().await);
    assert!(location(&again).starts_with("/case/"));
    assert_eq!(intakes_received(&app).await, 1);

    // A script that leaves out the start time is never old enough.
    let mut no_time = vec![("csrf_token", csrf_token(&form))];
    no_time.extend(INTAKE.iter().map(|(k, v)| (*k, v.to_string())));
    let pairs: Vec<(&str, &str)> = no_time.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(victim.post_form("/intake", &pairs).await.status(), 422);
}

#[tokio::test]
async fn a_filled_honeypot_is_refused_on_the_intake_and_registration_forms() {
    let app = spawn_app_with(&[("FORM_MIN_FILL_SECS", "3")]).await;
    let bot = app.page_client("en");
    let (_, intake) = bot.page("/intake").await;
    let (_, register) = bot.page("/experts/register").await;
    app.clock.advance(chrono::Duration::seconds(30));

    let mut fields = INTAKE.to_vec();
    fields.push(("contact_url", "http://spam.example"));
    let refused = send(&bot, &intake, "/intake", &fields).await;
    assert_eq!(refused.status(), 422);
    assert!(
        refused
            .text()
            .await
            .expect("page")
            .contains("could not be sent")
    );
    assert_eq!(intakes_received(&app).await, 0);

    let registration = [
        ("company_name", "Spam B.V."),
        ("kvk_number", "12345678"),
        ("email", "spam@example.nl"),
        ("password", "zeven blauwe fietsen op de dijk"),
        ("contact_url", "http://spam.example"),
    ];
    let refused = send(&bot, &register, "/experts/register", &registration).await;
    assert_eq!(refused.status(), 422);
    assert!(app.emails_to("spam@example.nl").await.is_empty());
}
