//! The expert's side says what is true: the victim's ticked steps on the request page, an erased
//! case said plainly, the availability that matches the status, a profile that reads as one, and
//! emails in words rather than codes.

use serde_json::{Value, json};

use crate::helpers::{
    EXPERT_PASSWORD, PageClient, TestApp, case_of, connected_with_steps, expert_body, intake_body,
    spawn_app, spawn_app_driven,
};
use crate::smtp_sink::SmtpSink;

/// A browser in `lang`, logged in as expert `n` through the login page.
async fn expert_browser(app: &TestApp, lang: &str, n: u32) -> PageClient {
    let browser = app.page_client(lang);
    let email = format!("info{n}@veilig-it.nl");
    let login = [("email", email.as_str()), ("password", EXPERT_PASSWORD)];
    let response = browser.submit("/login", "/login", &login).await;
    assert_eq!(response.status(), 303);
    browser
}

async fn step_titles(app: &TestApp, lang: &str) -> Vec<String> {
    let plan: Value = app
        .get(&format!(
            "/api/v1/incident-types/ransomware/steps?lang={lang}"
        ))
        .await
        .json()
        .await
        .unwrap();
    plan["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| handlebars::html_escape(s["title"].as_str().unwrap()))
        .collect()
}

#[tokio::test]
async fn the_connected_expert_sees_the_ticked_steps_and_then_that_the_case_was_erased() {
    let app = spawn_app().await;
    let (created, request, n) = connected_with_steps(&app).await;
    let (id, case_token) = case_of(&created);
    let page = format!("/experts/requests/{request}");
    for (lang, heading, count) in [
        (
            "nl",
            "Stappen van de ondernemer",
            "2 van {total} eerste stappen gedaan.",
        ),
        (
            "en",
            "The business owner&#x27;s steps",
            "2 of {total} first-aid steps done.",
        ),
    ] {
        let titles = step_titles(&app, lang).await;
        let (status, html) = expert_browser(&app, lang, n).await.page(&page).await;
        assert_eq!(status, 200);
        assert!(html.contains(heading), "{lang}: {heading}");
        let count = count.replace("{total}", &titles.len().to_string());
        assert!(html.contains(&count), "{lang}: {count}");
        for (i, title) in titles.iter().enumerate() {
            let class = if i < 2 { "done" } else { "todo" };
            let item = format!("<li class=\"{class}\"><span class=\"mark\" aria-hidden=\"true\">");
            let at = html
                .find(title.as_str())
                .unwrap_or_else(|| panic!("{title}"));
            let start = html[..at].rfind("<li").unwrap();
            assert!(
                html[start..].starts_with(&item),
                "{lang}: step {} is {class}",
                i + 1
            );
        }
    }

    let erased = app
        .delete_auth(&format!("/api/v1/intakes/{id}"), case_token)
        .await;
    assert_eq!(erased.status(), 204);
    let (_, html) = expert_browser(&app, "nl", n).await.page(&page).await;
    assert!(html.contains("De ondernemer heeft deze zaak gewist."));
    assert!(!html.contains("U bent verbonden"), "no promise of contact");
    assert!(!html.contains("Neem zo snel mogelijk contact op"));
    assert!(!html.contains("Markeer als afgerond"), "nothing left to do");
    assert!(!html.contains("Stappen van de ondernemer"));
    let (_, html) = expert_browser(&app, "en", n).await.page(&page).await;
    assert!(html.contains("The business owner erased this case."));
}

#[tokio::test]
async fn the_expert_status_and_availability_say_what_is_true() {
    let app = spawn_app().await;
    app.pending_expert(1).await;
    let browser = expert_browser(&app, "nl", 1).await;
    let (_, html) = browser.page("/expert").await;
    assert!(
        html.contains("een moderator beoordeelt uw aanmelding nog"),
        "under review"
    );
    assert!(!html.contains("U kunt nieuwe aanvragen krijgen"));

    let moderator = app.moderator_token().await;
    let mut body = expert_body(2);
    body["capacity"] = json!(1);
    let id = app.approved_expert(&moderator, &body).await;
    let browser = expert_browser(&app, "nl", 2).await;
    let (_, html) = browser.page("/expert").await;
    assert!(
        html.contains("U kunt nieuwe aanvragen krijgen."),
        "approved"
    );

    browser.submit("/expert", "/expert/pause", &[]).await;
    let (_, html) = browser.page("/expert").await;
    assert!(html.contains("U staat op pauze: u krijgt geen nieuwe aanvragen."));
    assert!(html.contains("U bent goedgekeurd, maar krijgt nu geen nieuwe aanvragen."));
    assert!(!html.contains("U kunt nieuwe aanvragen krijgen"));
    browser.submit("/expert", "/expert/resume", &[]).await;

    // One case open of a capacity of one: full.
    let created = app.intake(&intake_body()).await;
    let requests = app.ask_ok(&created, &[&id]).await;
    let token = app.expert_token(2).await;
    let accepted = app
        .respond(&requests[0], "accept", &token, &json!({}))
        .await;
    assert_eq!(accepted.status(), 200);
    let (_, html) = browser.page("/expert").await;
    assert!(
        html.contains("U zit aan uw capaciteit (1 van 1 zaken open)"),
        "full"
    );
    assert!(!html.contains("U kunt nieuwe aanvragen krijgen"));
    let (_, html) = expert_browser(&app, "en", 2).await.page("/expert").await;
    assert!(html.contains("You are at capacity (1 of 1 cases open)"));
}

#[tokio::test]
async fn the_read_only_profile_reads_as_a_profile() {
    let app = spawn_app().await;
    app.pending_expert(1).await;
    let (_, html) = expert_browser(&app, "nl", 1).await.page("/expert").await;
    for label in [
        "Website (niet verplicht)",
        "Wij helpen ook op afstand",
        "Waarmee helpt u?",
    ] {
        assert!(!html.contains(label), "no form label {label:?}");
    }
    for shown in [
        "<dt>Website</dt>",
        "<dt>Werkgebied</dt><dd>tot 40 km rond uw vestigingsplaats</dd>",
        "<dt>Hulp op afstand</dt><dd>Ja, ook op afstand</dd>",
        "<dt>Helpt bij</dt>",
    ] {
        assert!(html.contains(shown), "{shown}");
    }
    let (_, html) = expert_browser(&app, "en", 1).await.page("/expert").await;
    assert!(
        html.contains("<dt>Service area</dt><dd>up to 40 km around your place of business</dd>")
    );
    assert!(!html.contains("Website (optional)"));
}

#[tokio::test]
async fn emails_show_words_and_counts_with_the_right_plural() {
    let sink = SmtpSink::start().await;
    let app = spawn_app_driven(&[("SMTP_URL", &sink.url())]).await;
    let moderator = app.moderator_token().await;
    let first = app.approved_expert(&moderator, &expert_body(1)).await;

    let one = app.intake(&intake_body()).await;
    app.ask_ok(&one, &[&first]).await;
    app.deliver_due_mail().await;
    let received = sink.messages();
    let request = received
        .iter()
        .find(|m| m.subject().starts_with("Hulpverzoek:"))
        .expect("the help request");
    let text = request.part("text/plain");
    let html = request.part("text/html");
    for wanted in [
        "Taal: Nederlands",
        "Soort incident: Ransomware",
        "Urgentie: acuut",
    ] {
        assert!(text.contains(wanted), "{wanted} in {text}");
    }
    assert!(!text.contains("Taal: nl") && !html.contains("Taal: nl"));
    assert!(!text.contains(": acute"), "no urgency code");
    let intake_mail = |messages: &[crate::smtp_sink::Received], to: &str| {
        messages
            .iter()
            .find(|m| m.subject().starts_with("Uw melding is ontvangen") && m.to().contains(to))
            .map(|m| m.part("text/plain").to_owned())
            .expect("the intake email")
    };
    let text = intake_mail(&received, "jan@bakkerij-devries.nl");
    assert!(text.contains("1 gescreende expert bij u"), "{text}");
    assert!(text.contains("Uw zaak: "), "{text}");
    assert!(
        !text.contains("dossier") && !text.contains("expert(s)"),
        "{text}"
    );

    app.approved_expert(&moderator, &expert_body(2)).await;
    let mut body = intake_body();
    body["contact"]["email"] = json!("piet@garage-jansen.nl");
    app.intake(&body).await;
    app.deliver_due_mail().await;
    let text = intake_mail(&sink.messages(), "piet@garage-jansen.nl");
    assert!(text.contains("2 gescreende experts bij u"), "{text}");
}
