//! The clocks of a case (issue 16): the 72-hour notification of a data breach to the Autoriteit
//! Persoonsgegevens counted from `discovered_at`, and "call your bank now" without a due time for
//! invoice and CEO fraud. Walked with the manual clock across the 72 hours: before, near, after.

use chrono::{DateTime, Duration, FixedOffset, NaiveDateTime, SubsecRound, Utc};
use serde_json::{Value, json};

use crate::helpers::{
    TestApp, assert_problem, case_of, intake_body, location, problem_fields, spawn_app,
};

fn case_path(created: &Value) -> String {
    format!("/case/{}", case_of(created).1)
}

/// A time of the API as the server wrote it (UTC, no offset).
fn api_time(value: &Value) -> NaiveDateTime {
    let text = value.as_str().expect("a time");
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f").expect(text)
}

/// The `ap_notification` block of a case page, from its heading to the end of the item.
fn deadline_block(html: &str, code: &str) -> String {
    let start = html
        .find(&format!("id=\"deadline-{code}\""))
        .unwrap_or_else(|| panic!("no {code} on the page"));
    let end = html[start..].find("</li>").expect("item ends") + start;
    html[start..end].to_owned()
}

async fn page(app: &TestApp, lang: &str, path: &str) -> String {
    let (status, html) = app.reader(lang).await.page(path).await;
    assert_eq!(status, 200);
    html
}

#[tokio::test]
async fn a_data_breach_counts_72_hours_from_discovery_before_near_and_after() {
    let app = spawn_app().await;
    // Discovered 29.5 hours ago, told in Dutch local time (winter or summer alike).
    let now = app.clock.now_utc().trunc_subsecs(0);
    let discovered = now - Duration::minutes(29 * 60 + 30);
    let amsterdam = FixedOffset::east_opt(3600).unwrap();
    let mut body = intake_body();
    body["incident_type"] = json!("data_breach");
    body["discovered_at"] = json!(discovered.with_timezone(&amsterdam).to_rfc3339());
    let created = app.intake(&body).await;

    // The API: the due time is discovery + 72 h, in UTC like every time it gives.
    let case = app.case(&created).await;
    assert_eq!(api_time(&case["discovered_at"]), discovered.naive_utc());
    let deadlines = case["deadlines"].as_array().expect("deadlines");
    assert_eq!(deadlines.len(), 1, "{deadlines:?}");
    assert_eq!(deadlines[0]["code"], "ap_notification");
    assert_eq!(
        deadlines[0]["title"],
        "Meld het datalek bij de Autoriteit Persoonsgegevens"
    );
    let due = discovered.naive_utc() + Duration::hours(72);
    assert_eq!(api_time(&deadlines[0]["due_at"]), due);
    let (id, token) = case_of(&created);
    let english: Value = app
        .get_auth(&format!("/api/v1/intakes/{id}?lang=en"), token)
        .await
        .json()
        .await
        .unwrap();
    assert!(
        english["deadlines"][0]["title"]
            .as_str()
            .unwrap()
            .starts_with("Report the data breach"),
        "{english}"
    );

    // Before: 42.5 hours left, shown in Amsterdam time with the hours left, not yet urgent.
    let path = case_path(&created);
    let due_local = hackhelpdesk::clock::for_people(due);
    let html = page(&app, "nl", &path).await;
    let block = deadline_block(&html, "ap_notification");
    assert!(block.contains("nog 42 uur"), "{block}");
    assert!(block.contains(&format!("Uiterlijk {due_local}")), "{block}");
    assert!(
        !block.contains("UTC") && !block.contains("urgent"),
        "{block}"
    );
    assert!(
        block.contains("href=\"https://www.autoriteitpersoonsgegevens.nl/"),
        "{block}"
    );
    let html = page(&app, "en", &path).await;
    assert!(deadline_block(&html, "ap_notification").contains("42 hours left"));
    // The deadline sits above the first-aid steps: the first thing to act on.
    assert!(html.find("id=\"h-deadlines\"") < html.find("id=\"h-steps\""));

    // The intake email carries the same clock.
    let mails = app.emails_with("intake_received").await;
    assert_eq!(mails.len(), 1);
    assert!(
        mails[0].text_body.contains("nog 42 uur"),
        "{}",
        mails[0].text_body
    );
    assert!(mails[0].text_body.contains(&due_local));
    assert!(mails[0].html_body.contains("Meld het datalek"));

    // Near: 22.5 hours left, marked urgent.
    app.clock.advance(Duration::hours(20));
    let html = page(&app, "nl", &path).await;
    assert!(html.contains("class=\"deadline urgent\" id=\"deadline-ap_notification\""));
    assert!(deadline_block(&html, "ap_notification").contains("nog 22 uur"));

    // Under an hour.
    app.clock.advance(Duration::hours(22));
    let html = page(&app, "en", &path).await;
    assert!(deadline_block(&html, "ap_notification").contains("less than an hour left"));

    // After: passed, and what to do still; the due time stays on the API unchanged.
    app.clock.advance(Duration::hours(1));
    let html = page(&app, "nl", &path).await;
    let block = deadline_block(&html, "ap_notification");
    assert!(block.contains("De termijn is verstreken"), "{block}");
    assert!(
        block.contains("leg in de melding uit waarom het later is"),
        "{block}"
    );
    assert!(!block.contains("class=\"left\">nog"), "{block}");
    let html = page(&app, "en", &path).await;
    assert!(
        deadline_block(&html, "ap_notification").contains("explain in the report why it is late")
    );
    assert_eq!(
        api_time(&app.case(&created).await["deadlines"][0]["due_at"]),
        due
    );
}

#[tokio::test]
async fn invoice_fraud_says_call_the_bank_now_without_a_made_up_deadline() {
    let app = spawn_app().await;
    let mut body = intake_body();
    body["incident_type"] = json!("business_email_compromise");
    let created = app.intake(&body).await;
    let case = app.case(&created).await;
    assert_eq!(
        case["deadlines"],
        json!([{ "code": "call_bank", "title": "Bel nu uw bank", "due_at": null }])
    );
    // No discovery time given: it was discovered when it was reported.
    assert_eq!(case["discovered_at"], case["created_at"]);
    let html = page(&app, "nl", &case_path(&created)).await;
    let block = deadline_block(&html, "call_bank");
    assert!(block.contains("Bel nu uw bank") && block.contains("Nu: elk uur telt"));
    assert!(!block.contains("Uiterlijk"), "{block}");
    let mails = app.emails_with("intake_received").await;
    assert!(mails[0].text_body.contains("Bel nu uw bank"));

    // Ransomware may have taken personal data: the AP clock, worded conditionally.
    let created = app.intake(&intake_body()).await;
    let case = app.case(&created).await;
    assert_eq!(case["deadlines"][0]["code"], "ap_notification");
    let html = page(&app, "en", &case_path(&created)).await;
    assert!(deadline_block(&html, "ap_notification").contains("If personal data"));

    // Phishing has no clock: no block at all.
    let mut body = intake_body();
    body["incident_type"] = json!("phishing");
    body["contact"]["email"] = json!("piet@example.nl");
    let created = app.intake(&body).await;
    assert_eq!(app.case(&created).await["deadlines"], json!([]));
    let html = page(&app, "nl", &case_path(&created)).await;
    assert!(!html.contains("id=\"h-deadlines\""));
}

#[tokio::test]
async fn a_discovery_time_in_the_future_or_unreadable_is_a_422_on_its_field() {
    let app = spawn_app().await;
    let future: DateTime<Utc> = app.clock.now_utc() + Duration::hours(2);
    for bad in [
        json!(future.to_rfc3339()),
        json!("gisteren"),
        json!("2026-12-01 09:30"),
        json!("1999-12-31T23:00:00Z"),
    ] {
        let mut body = intake_body();
        body["discovered_at"] = bad.clone();
        let problem = assert_problem(app.submit_intake(&body).await, 422).await;
        assert_eq!(problem_fields(&problem), vec!["discovered_at"], "{bad}");
    }
    // A client clock a minute fast is taken as now, not refused.
    let mut body = intake_body();
    body["discovered_at"] = json!((app.clock.now_utc() + Duration::minutes(1)).to_rfc3339());
    let created = app.intake(&body).await;
    let case = app.case(&created).await;
    assert_eq!(case["discovered_at"], case["created_at"]);
}

#[tokio::test]
async fn the_intake_form_takes_the_discovery_time_in_amsterdam_time() {
    let app = spawn_app().await;
    let victim = app.reader("nl").await;
    let base = [
        ("incident_type", "data_breach"),
        ("urgency", "recent"),
        (
            "description",
            "Een klantenbestand is gemaild naar een verkeerd adres.",
        ),
        ("place", "Bergen op Zoom"),
        ("language", "nl"),
        ("contact_name", "Jan de Vries"),
        ("contact_email", "jan@bakkerij-devries.nl"),
        ("consent_to_share", "yes"),
        ("disclaimer_accepted", "yes"),
    ];
    let tomorrow = (hackhelpdesk::clock::local_date(app.clock.now()) + Duration::days(1))
        .format("%Y-%m-%d")
        .to_string();
    for (date, time) in [
        (tomorrow.as_str(), "09:30"),
        ("gisteren", ""),
        ("", "09:30"),
    ] {
        let mut fields = base.to_vec();
        fields.extend([("discovered_date", date), ("discovered_time", time)]);
        let response = victim.submit("/intake", "/intake", &fields).await;
        assert_eq!(response.status(), 422, "{date} {time}");
        let html = response.text().await.unwrap();
        assert!(html.contains("id=\"e-discovered_date\""), "{date} {time}");
        assert!(html.contains("href=\"#f-discovered_date\""));
        assert!(html.contains("niet in de toekomst liggen"));
        assert!(html.contains(&format!("value=\"{time}\"")), "kept");
    }

    // Yesterday 09:30 on the Amsterdam wall clock.
    let yesterday = hackhelpdesk::clock::local_date(app.clock.now()) - Duration::days(1);
    let date = yesterday.format("%d-%m-%Y").to_string();
    let mut fields = base.to_vec();
    fields.extend([
        ("discovered_date", date.as_str()),
        ("discovered_time", "09:30"),
    ]);
    let response = victim.submit("/intake", "/intake", &fields).await;
    assert_eq!(response.status(), 303);
    let html = page(&app, "nl", &location(&response)).await;
    assert!(
        html.contains(&format!("Ontdekt op {date} 09:30 C")),
        "{html}"
    );
    let block = deadline_block(&html, "ap_notification");
    let found = chrono::TimeZone::from_local_datetime(
        &chrono_tz::Europe::Amsterdam,
        &yesterday.and_hms_opt(9, 30, 0).unwrap(),
    )
    .unwrap()
    .naive_utc();
    let due = hackhelpdesk::clock::for_people(found + Duration::hours(72));
    assert!(block.contains(&format!("Uiterlijk {due}")), "{block}");
}
