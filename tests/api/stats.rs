//! The statistics API on a known history (see `stats_support`): every figure exact, the filters,
//! an empty period, a province without intakes, the figures after an erasure, who may ask, the
//! CSV and the public counts.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::helpers::{MODERATOR_PASSWORD, case_of};
use crate::stats_outputs::{assert_csv, assert_public, assert_referrals};
use crate::stats_support::{History, history};

pub const PERIOD: &str = "from=2027-03-01&to=2027-03-14";

async fn figures(h: &History, query: &str) -> Value {
    let response = h
        .app
        .get_auth(&format!("/api/v1/stats?{query}"), &h.moderator)
        .await;
    assert_eq!(response.status(), 200, "{query}");
    response.json().await.unwrap()
}

fn zeros_but(keys: &[&str], set: &[(&str, u64)]) -> Value {
    let mut map: BTreeMap<String, u64> = keys.iter().map(|k| (k.to_string(), 0)).collect();
    for (k, n) in set {
        map.insert(k.to_string(), *n);
    }
    json!(map)
}

const TYPES: [&str; 13] = [
    "ransomware",
    "phishing",
    "account_takeover",
    "business_email_compromise",
    "malware",
    "data_breach",
    "ddos",
    "website_compromise",
    "helpdesk_fraud",
    "webshop_fraud",
    "identity_fraud",
    "extortion",
    "other",
];
const PROVINCES: [&str; 12] = [
    "Drenthe",
    "Flevoland",
    "Fryslân",
    "Gelderland",
    "Groningen",
    "Limburg",
    "Noord-Brabant",
    "Noord-Holland",
    "Overijssel",
    "Utrecht",
    "Zeeland",
    "Zuid-Holland",
];
const STATUSES: [&str; 6] = [
    "open",
    "requested",
    "connected",
    "closed",
    "unmatched",
    "erased",
];

fn phase(responses: u64, answers: [&str; 4]) -> Value {
    let mut out = json!({ "responses": responses });
    for (q, a) in ["offline_backups", "mfa", "incident_plan", "auto_updates"]
        .iter()
        .zip(answers)
    {
        let mut counts = json!({ "yes": 0, "no": 0, "unknown": 0 });
        for one in a.split('+').filter(|s| !s.is_empty()) {
            counts[one] = json!(counts[one].as_u64().unwrap() + 1);
        }
        out[q] = counts;
    }
    out
}

/// The figures of the whole history, as a person would count them by hand.
fn expected(by_status: &[(&str, u64)]) -> Value {
    json!({
        "from": "2027-03-01", "to": "2027-03-14", "incident_type": null, "province": null,
        "intakes": 5,
        "by_incident_type": zeros_but(&TYPES, &[("ransomware", 3), ("phishing", 1), ("malware", 1)]),
        "by_province": zeros_but(&PROVINCES, &[("Noord-Brabant", 3), ("Zeeland", 2)]),
        "by_urgency": { "acute": 3, "recent": 1, "past": 1 },
        "by_status": zeros_but(&STATUSES, by_status),
        "by_outcome": { "resolved": 1, "unresolved": 1, "no_longer_needed": 0 },
        "by_week": [{ "week": "2027-W09", "intakes": 3 }, { "week": "2027-W10", "intakes": 2 }],
        // I5 had no match; I1, I2 and I4 were connected.
        "match_rate": 0.8, "connection_rate": 0.6,
        // acute: 30 and 10 minutes → median (nearest rank 1 of 2) 10, p90 (rank 2) 30.
        "first_acceptance_minutes": {
            "acute": { "median": 10.0, "p90": 30.0 },
            "recent": { "median": 90.0, "p90": 90.0 },
            "past": { "median": null, "p90": null }
        },
        // Answered or expired: I1 accepted, I2 declined + accepted, I3 expired, I4 accepted.
        "expiry_rate": 0.2, "decline_rate": 0.2,
        "feedback": {
            "responses": 2, "helped_mean": 3.5, "resolved_share": 0.5,
            "more_resilient_share": 1.0, "offered_paid_services": 1
        },
        "resilience": {
            "baseline": phase(2, ["yes+no", "no+no", "no+no", "unknown+no"]),
            "after_90_days": phase(1, ["yes", "yes", "no", "yes"]),
            "by_incident_type": {
                "phishing": {
                    "baseline": phase(1, ["no", "no", "no", "no"]),
                    "after_90_days": phase(0, ["", "", "", ""])
                },
                "ransomware": {
                    "baseline": phase(1, ["yes", "no", "no", "unknown"]),
                    "after_90_days": phase(1, ["yes", "yes", "no", "yes"])
                }
            }
        },
        "complaints": 1
    })
}

const BEFORE_ERASURE: [(&str, u64); 4] = [
    ("open", 1),
    ("connected", 1),
    ("closed", 2),
    ("unmatched", 1),
];

#[tokio::test]
async fn every_figure_of_a_known_history_is_exact_and_erasure_keeps_them() {
    let mut h = history().await;
    assert_eq!(figures(&h, PERIOD).await, expected(&BEFORE_ERASURE));

    // Filters: one province, one type, both; a province and a period without intakes.
    let zeeland = figures(&h, &format!("{PERIOD}&province=Zeeland")).await;
    assert_eq!(zeeland["province"], "Zeeland");
    assert_eq!(zeeland["intakes"], 2);
    assert_eq!(zeeland["by_province"]["Zeeland"], 2);
    assert_eq!(zeeland["by_province"]["Noord-Brabant"], 0);
    assert_eq!(zeeland["connection_rate"], 0.5);
    // I2 declined + accepted, I3 expired.
    assert_eq!(zeeland["expiry_rate"], 0.3333);
    assert_eq!(
        zeeland["first_acceptance_minutes"]["acute"],
        json!({ "median": null, "p90": null })
    );
    let phishing = figures(
        &h,
        &format!("{PERIOD}&incident_type=phishing&province=Zeeland"),
    )
    .await;
    assert_eq!(phishing["intakes"], 1);
    assert_eq!(phishing["feedback"]["helped_mean"], 2.0);
    assert_eq!(phishing["complaints"], 0);
    let ransomware = figures(&h, &format!("{PERIOD}&incident_type=ransomware")).await;
    assert_eq!(
        ransomware["by_week"],
        json!([{ "week": "2027-W09", "intakes": 2 }, { "week": "2027-W10", "intakes": 1 }])
    );
    assert_eq!(ransomware["complaints"], 1);
    for empty in [
        figures(&h, &format!("{PERIOD}&province=Utrecht")).await,
        figures(&h, "from=2027-04-01&to=2027-04-30").await,
    ] {
        assert_eq!(empty["intakes"], 0);
        assert_eq!(empty["by_province"], zeros_but(&PROVINCES, &[]));
        for rate in [
            "match_rate",
            "connection_rate",
            "expiry_rate",
            "decline_rate",
        ] {
            assert_eq!(empty[rate], Value::Null, "{rate}");
        }
        assert_eq!(
            empty["feedback"],
            json!({ "responses": 0, "helped_mean": null, "resolved_share": null, "more_resilient_share": null, "offered_paid_services": 0 })
        );
        assert_eq!(empty["resilience"]["baseline"], phase(0, ["", "", "", ""]));
        assert_eq!(empty["complaints"], 0);
    }
    let april = figures(&h, "from=2027-04-01&to=2027-04-30").await;
    let weeks: Vec<&str> = april["by_week"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["week"].as_str().unwrap())
        .collect();
    assert_eq!(
        weeks,
        ["2027-W13", "2027-W14", "2027-W15", "2027-W16", "2027-W17"]
    );
    // The day before the period holds I0 only (23:30 Amsterdam time on 28 February).
    assert_eq!(
        figures(&h, "from=2027-02-28&to=2027-02-28").await["intakes"],
        1
    );
    // Default: the 30 days up to today (8 March): all six.
    let default = figures(&h, "").await;
    assert_eq!(
        (default["from"].as_str(), default["to"].as_str()),
        (Some("2027-02-07"), Some("2027-03-08"))
    );
    assert_eq!(default["intakes"], 6);

    assert_csv(&h).await;
    assert_public(&h).await;

    // The victim of I4 erases the case: every count stays, I4 moves from connected to erased.
    let (id, token) = case_of(&h.intakes[3]);
    assert_eq!(
        h.app
            .delete_auth(&format!("/api/v1/intakes/{id}"), token)
            .await
            .status(),
        204
    );
    let after_erasure = expected(&[("open", 1), ("erased", 1), ("closed", 2), ("unmatched", 1)]);
    assert_eq!(figures(&h, PERIOD).await, after_erasure);
    assert_referrals(&h).await;

    // Half a year on, retention pseudonymises the ended cases: the figures stay the same.
    h.app.clock.advance(chrono::Duration::days(200));
    let report = h.app.run_lifecycle().await;
    assert!(
        report.retention.pseudonymised >= 3,
        "{:?}",
        report.retention
    );
    h.moderator = h
        .app
        .token_for("moderator@pvo.nl", MODERATOR_PASSWORD)
        .await;
    assert_eq!(figures(&h, PERIOD).await, after_erasure);
    assert_referrals(&h).await;
}
