//! The statistics API's other faces: who may ask and how bad filters are refused, the referral
//! spread, the CSV (aggregates only) and the public counts.

use std::collections::BTreeMap;

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

/// Gini by the definition: experts grouped by offers; Gini of first places per group of two or
/// more, weighted by group size.
fn gini(rows: &[(u64, u64)]) -> Option<f64> {
    let mut groups: BTreeMap<u64, Vec<f64>> = BTreeMap::new();
    for (offered, first) in rows.iter().filter(|r| r.0 > 0) {
        groups.entry(*offered).or_default().push(*first as f64);
    }
    let (mut sum, mut n) = (0.0, 0.0);
    for g in groups.values().filter(|g| g.len() >= 2) {
        let total: f64 = g.iter().sum();
        let diff: f64 = g
            .iter()
            .flat_map(|a| g.iter().map(move |b| (a - b).abs()))
            .sum();
        let len = g.len() as f64;
        sum += if total == 0.0 {
            0.0
        } else {
            diff / (2.0 * len * total)
        } * len;
        n += len;
    }
    (n > 0.0).then(|| (sum / n * 10000.0).round() / 10000.0)
}

pub async fn assert_referrals(h: &History) {
    let response = h
        .app
        .get_auth(&format!("/api/v1/stats/referrals?{PERIOD}"), &h.moderator)
        .await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    let listed = body["experts"].as_array().unwrap();
    assert_eq!(listed.len(), 3, "every approved expert");
    let mut rows = Vec::new();
    for id in &h.experts {
        let row = listed
            .iter()
            .find(|e| e["expert_id"] == json!(id))
            .expect("listed");
        let (offered, first) = h.offers.get(id).copied().unwrap_or_default();
        let [requested, connected, declined, expired] =
            h.answers.get(id).copied().unwrap_or_default();
        let paid = u64::from(*id == h.paid_expert);
        assert_eq!(row["offered"], offered, "{id}");
        assert_eq!(row["first_placed"], first, "{id}");
        assert_eq!(row["requested"], requested, "{id}");
        assert_eq!(row["connected"], connected, "{id}");
        assert_eq!(row["declined"], declined, "{id}");
        assert_eq!(row["expired"], expired, "{id}");
        assert_eq!(row["offered_paid_services"], paid, "{id}");
        rows.push((offered, first));
    }
    let total = |key: &str| listed.iter().map(|e| e[key].as_u64().unwrap()).sum::<u64>();
    assert_eq!(
        total("offered"),
        3 + 2 + 2 + 3,
        "I1 and I4 three each, I2 and I3 two after moving on"
    );
    assert_eq!(total("first_placed"), 4);
    assert_eq!(
        (
            total("requested"),
            total("connected"),
            total("declined"),
            total("expired")
        ),
        (5, 3, 1, 1)
    );
    // The victim of I1 said its expert offered paid services: that expert, once.
    assert_eq!(total("offered_paid_services"), 1);
    assert_eq!(body["gini"], json!(gini(&rows)));
}
