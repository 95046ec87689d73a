//! The statistics API's other faces: who may ask and how bad filters are refused, the CSV
//! (aggregates only) and the public counts.

use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_problem, expert_body, problem_fields, spawn_app};
use crate::stats::PERIOD;
use crate::stats_support::History;

#[tokio::test]
async fn moderators_only_and_bad_filters_name_their_field() {
    let h = history_light().await;
    for path in [
        "/api/v1/stats",
        "/api/v1/stats/referrals",
        "/api/v1/stats.csv",
    ] {
        assert_problem(h.0.get(path).await, 401).await;
        assert_problem(h.0.get_auth(path, &h.2).await, 403).await;
    }
    for (query, field) in [
        ("from=2027-13-01", "from"),
        ("to=yesterday", "to"),
        ("from=2027-03-10&to=2027-03-01", "from"),
        ("incident_type=ceo_fraud", "incident_type"),
        ("province=Brabant", "province"),
    ] {
        for path in [
            "/api/v1/stats",
            "/api/v1/stats/referrals",
            "/api/v1/stats.csv",
        ] {
            let response = h.0.get_auth(&format!("{path}?{query}"), &h.1).await;
            assert_eq!(
                problem_fields(&assert_problem(response, 422).await),
                [field],
                "{path}?{query}"
            );
        }
    }
}

async fn history_light() -> (TestApp, String, String) {
    let app = spawn_app().await;
    let moderator = app.moderator_token().await;
    app.approved_expert(&moderator, &expert_body(1)).await;
    let expert = app.expert_token(1).await;
    (app, moderator, expert)
}

pub async fn assert_csv(h: &History) {
    let response = h
        .app
        .get_auth(&format!("/api/v1/stats.csv?{PERIOD}"), &h.moderator)
        .await;
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
    assert_eq!(
        headers["content-disposition"],
        "attachment; filename=\"hackhelpdesk-stats-2027-03-01-2027-03-14.csv\""
    );
    let csv = response.text().await.unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "section,key,value");
    for row in [
        "period,from,2027-03-01",
        "filter,province,",
        "intakes,total,5",
        "by_province,Zeeland,2",
        "by_province,Utrecht,0",
        "by_week,2027-W09,3",
        "rates,match_rate,0.8",
        "rates,expiry_rate,0.2",
        "first_acceptance_minutes,acute.median,10",
        "first_acceptance_minutes,past.p90,",
        "feedback,helped_mean,3.5",
        "feedback,offered_paid_services,1",
        "resilience,baseline.mfa.no,2",
        "resilience,ransomware.after_90_days.auto_updates.yes,1",
        "complaints,total,1",
    ] {
        assert!(lines.contains(&row), "{row} in\n{csv}");
    }
    assert!(lines.iter().any(|l| l.starts_with("referrals,gini,")));
    assert!(
        lines.iter().all(|l| l.split(',').count() == 3),
        "three columns"
    );
    // Aggregates only: no names, addresses, companies or ids.
    for personal in ["@", "Jan", "Bakkerij", "Veilig IT", "Wilde", &h.experts[0]] {
        assert!(!csv.contains(personal), "{personal}");
    }
}

pub async fn assert_public(h: &History) {
    let response = h.app.get("/api/v1/stats/public").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "public, max-age=60");
    let body: Value = response.json().await.unwrap();
    // I0 was made on 28 February in Amsterdam; I1..I5 in March, three of them connected.
    assert_eq!(
        body,
        json!({
            "this_month": { "month": "2027-03", "intakes": 5, "entrepreneurs_connected": 3 },
            "all_time": { "intakes": 6, "entrepreneurs_connected": 3 },
            "approved_experts": 3
        })
    );
}
