//! The moderators' workbench lists: every approved expert reachable by paging (API headers and
//! the page's "1–50 van 201"), search by name, KvK number and place with `%` and `_` taken
//! literally, and intakes filtered by status, type, province and date.

use std::collections::BTreeSet;

use hackhelpdesk::db::models::expert::{self, ExpertRow};
use hackhelpdesk::db::write_tx;
use serde_json::{Value, json};

use crate::helpers::{MODERATOR_PASSWORD, TestApp, assert_problem, intake_body, spawn_app};

/// 201 approved demo experts, plus three whose names hold `%`, `_` or the lookalike of `_`.
async fn seed(app: &TestApp) -> Vec<String> {
    let geocoder = app.state.geocoder.clone();
    let now = app.clock.now();
    let db = app.state.db.clone();
    tokio::task::spawn_blocking(move || {
        hackhelpdesk::demo::seed(&db, geocoder.as_ref(), 201, now).expect("seed")
    })
    .await
    .expect("seed task");
    let names = [
        "100% Veilig BV",
        "Bakker_Cyber",
        "Bakker Cyber",
        "ÜBER Beveiliging",
    ];
    app.state
        .db
        .run(move |conn| {
            let template = expert::list(conn, None, None, 1)?.remove(0);
            write_tx(conn, |conn| {
                let mut ids = Vec::new();
                for (i, name) in names.iter().enumerate() {
                    let row = ExpertRow {
                        id: hackhelpdesk::domain::ExpertId::generate(),
                        status: hackhelpdesk::domain::ExpertStatus::PendingReview,
                        company_name: (*name).into(),
                        kvk_number: format!("7700000{i}"),
                        email: format!("named{i}@example.nl"),
                        base_place: "Zierikzee".into(),
                        base_municipality: "Schouwen-Duiveland".into(),
                        ..template.clone()
                    };
                    expert::insert(conn, &row, &[])?;
                    ids.push(row.id.into_string());
                }
                Ok(ids)
            })
        })
        .await
        .expect("named experts")
}

async fn list(app: &TestApp, token: &str, path: &str) -> (Vec<Value>, reqwest::header::HeaderMap) {
    let response = app.get_auth(path, token).await;
    assert_eq!(response.status(), 200, "{path}");
    let headers = response.headers().clone();
    (response.json().await.expect("json"), headers)
}

fn next_link(headers: &reqwest::header::HeaderMap) -> Option<String> {
    let link = headers.get("link")?.to_str().ok()?;
    link.split(", ")
        .find(|l| l.ends_with("rel=\"next\""))
        .and_then(|l| l.strip_prefix('<'))
        .and_then(|l| l.split('>').next())
        .map(str::to_owned)
}

fn names(items: &[Value]) -> BTreeSet<String> {
    items
        .iter()
        .map(|e| e["company_name"].as_str().expect("name").to_owned())
        .collect()
}

#[tokio::test]
async fn every_approved_expert_is_reachable_by_paging_and_found_by_name_kvk_and_place() {
    let app = spawn_app().await;
    let token = app.moderator_token().await;
    let named = seed(&app).await;

    let mut path = "/api/v1/moderation/experts?status=approved".to_owned();
    let mut seen = BTreeSet::new();
    let mut pages = 0;
    loop {
        let (items, headers) = list(&app, &token, &path).await;
        assert_eq!(headers["x-total-count"], "201");
        pages += 1;
        assert_eq!(items.len(), if pages < 5 { 50 } else { 1 });
        seen.extend(items.iter().map(|e| e["id"].as_str().unwrap().to_owned()));
        match next_link(&headers) {
            Some(next) => path = next,
            None => break,
        }
    }
    assert_eq!((pages, seen.len()), (5, 201));
    let (items, _) = list(
        &app,
        &token,
        "/api/v1/moderation/experts?status=approved&per_page=500",
    )
    .await;
    assert_eq!(items.len(), 201, "one page of up to 500");
    let (_, headers) = list(
        &app,
        &token,
        "/api/v1/moderation/experts?status=approved&page=2",
    )
    .await;
    assert!(headers["link"].to_str().unwrap().contains("rel=\"prev\""));

    // `%` and `_` match only themselves; case does not matter.
    let (items, _) = list(&app, &token, "/api/v1/moderation/experts?q=100%25").await;
    assert_eq!(names(&items), BTreeSet::from(["100% Veilig BV".to_owned()]));
    let (items, _) = list(&app, &token, "/api/v1/moderation/experts?q=BAKKER_c").await;
    assert_eq!(names(&items), BTreeSet::from(["Bakker_Cyber".to_owned()]));
    let (items, _) = list(&app, &token, "/api/v1/moderation/experts?q=bakker").await;
    assert_eq!(items.len(), 2);
    let (items, _) = list(&app, &token, "/api/v1/moderation/experts?q=%C3%BCber").await;
    assert_eq!(
        names(&items),
        BTreeSet::from(["ÜBER Beveiliging".to_owned()]),
        "ü finds Ü"
    );
    // KvK number, also typed with a space; and the status filter still applies.
    let (items, _) = list(&app, &token, "/api/v1/moderation/experts?q=9000%200017").await;
    assert_eq!(names(&items).len(), 1);
    assert_eq!(items[0]["kvk_number"], "90000017");
    let (items, _) = list(
        &app,
        &token,
        "/api/v1/moderation/experts?q=77000001&status=approved",
    )
    .await;
    assert!(items.is_empty());
    // Place: exactly the experts based there (or in a municipality of that name).
    let place = "zierikzee";
    let all = app
        .state
        .db
        .run(|conn| expert::list(conn, None, None, 1000))
        .await
        .unwrap();
    let expected: BTreeSet<String> = all
        .iter()
        .filter(|r| {
            [
                &r.company_name,
                &r.base_place,
                &r.base_municipality,
                &r.email,
            ]
            .iter()
            .any(|f| f.to_lowercase().contains(place))
        })
        .map(|r| r.id.to_string())
        .collect();
    let (items, headers) = list(
        &app,
        &token,
        "/api/v1/moderation/experts?q=ZIERIKZEE&per_page=500",
    )
    .await;
    let found: BTreeSet<String> = items
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(found, expected);
    assert!(named.iter().all(|id| found.contains(id)));
    assert_eq!(
        headers["x-total-count"],
        expected.len().to_string().as_str()
    );

    // Bad paging is a 422 naming the field.
    let bad = app
        .get_auth("/api/v1/moderation/experts?page=0&per_page=x", &token)
        .await;
    let problem = assert_problem(bad, 422).await;
    assert_eq!(
        crate::helpers::problem_fields(&problem),
        ["page", "per_page"]
    );

    // The page: a search form, "1–50 van 201", and previous / next links that keep the filter.
    let browser = app.page_client("nl");
    let login = [
        ("email", "moderator@pvo.nl"),
        ("password", MODERATOR_PASSWORD),
    ];
    assert_eq!(
        browser.submit("/login", "/login", &login).await.status(),
        303
    );
    let (status, html) = browser.page("/moderator/experts?status=approved").await;
    assert_eq!(status, 200);
    assert!(html.contains("1–50 van 201"), "the pager counts");
    assert!(html.contains("href=\"/moderator/experts?status&#x3D;approved&amp;page&#x3D;2\""));
    assert!(html.contains("name=\"q\""));
    let (_, html) = browser
        .page("/moderator/experts?status=approved&page=5")
        .await;
    assert!(html.contains("201–201 van 201"));
    assert!(html.contains("rel=\"prev\"") && !html.contains("rel=\"next\""));
    let (_, html) = browser
        .page("/moderator/experts?status=pending_review&q=bakker_")
        .await;
    assert!(html.contains("1–1 van 1") && html.contains("Bakker_Cyber"));
    assert!(!html.contains("Bakker Cyber"));
}

async fn intake_at(app: &TestApp, n: u32, incident: &str, place: &str) -> String {
    let mut body = intake_body();
    body["incident_type"] = json!(incident);
    body["location"] = json!({ "place": place });
    body["contact"]["email"] = json!(format!("slachtoffer{n}@example.nl"));
    body["contact"]["name"] = json!(format!("Melder {n}"));
    app.intake(&body).await["id"].as_str().unwrap().to_owned()
}

fn ids(items: &[Value]) -> BTreeSet<String> {
    items
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn intakes_are_filtered_by_status_type_province_and_amsterdam_dates() {
    let app = spawn_app().await;
    let today = app
        .clock
        .now_utc()
        .with_timezone(&chrono_tz::Europe::Amsterdam)
        .date_naive();
    let a = intake_at(&app, 1, "ransomware", "Bergen op Zoom").await;
    let b = intake_at(&app, 2, "phishing", "Groningen").await;
    app.clock.advance(chrono::Duration::days(3));
    let c = intake_at(&app, 3, "ransomware", "Groningen").await;
    let later = today + chrono::Duration::days(3);
    let token = app.moderator_token().await;
    let get = |query: String| {
        let app = &app;
        let token = token.clone();
        async move { list(app, &token, &format!("/api/v1/moderation/intakes?{query}")).await }
    };
    let (items, headers) = get("status=unmatched".into()).await;
    assert_eq!(
        ids(&items),
        BTreeSet::from([a.clone(), b.clone(), c.clone()])
    );
    assert_eq!(headers["x-total-count"], "3");
    let (items, _) = get("incident_type=ransomware".into()).await;
    assert_eq!(ids(&items), BTreeSet::from([a.clone(), c.clone()]));
    let (items, _) = get("province=Groningen".into()).await;
    assert_eq!(ids(&items), BTreeSet::from([b.clone(), c.clone()]));
    let (items, _) = get(format!("from={today}&to={today}")).await;
    assert_eq!(ids(&items), BTreeSet::from([a.clone(), b.clone()]));
    let (items, _) = get(format!(
        "from={later}&province=Groningen&incident_type=ransomware"
    ))
    .await;
    assert_eq!(ids(&items), BTreeSet::from([c.clone()]));
    let (items, _) = get("status=closed".into()).await;
    assert!(items.is_empty());
    let (items, _) = get("q=MELDER%202".into()).await;
    assert_eq!(ids(&items), BTreeSet::from([b.clone()]));

    let bad = app
        .get_auth(
            &format!("/api/v1/moderation/intakes?province=Beieren&incident_type=flood&from={later}&to={today}"),
            &token,
        )
        .await;
    let problem = assert_problem(bad, 422).await;
    assert_eq!(
        crate::helpers::problem_fields(&problem),
        ["incident_type", "province", "to"]
    );

    let browser = app.page_client("en");
    let login = [
        ("email", "moderator@pvo.nl"),
        ("password", MODERATOR_PASSWORD),
    ];
    assert_eq!(
        browser.submit("/login", "/login", &login).await.status(),
        303
    );
    let (status, html) = browser
        .page("/moderator/intakes?status=&incident_type=ransomware&province=Groningen")
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("1–1 of 1") && html.contains("Melder 3"));
    assert!(html.contains("<option value=\"Groningen\" selected>"));
    let (status, html) = browser
        .page("/moderator/intakes?status=&from=yesterday")
        .await;
    assert_eq!(status, 422, "a friendly page names the bad field");
    assert!(html.contains("Enter the start date as YYYY-MM-DD."));
    assert!(html.contains("1–3 of 3"), "the other filters still apply");
}
