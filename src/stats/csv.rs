//! The statistics as CSV (`GET /api/v1/stats.csv`): one figure a row, `section,key,value`,
//! aggregates only. Per-expert referral rows are left out (company names are not victims' data,
//! but a spreadsheet of aggregates is what this file promises); the fairness figure `gini` is in.

use std::fmt::Write;

use super::figures::Stats;
use super::resilience::{ANSWERS, PhaseCounts, QUESTIONS};

/// The CSV text, with a header row; empty values stand for `null`.
pub fn to_csv(stats: &Stats, gini: Option<f64>) -> String {
    let mut rows: Vec<(String, String, String)> = Vec::new();
    let mut push = |section: &str, key: &str, value: String| {
        rows.push((section.to_owned(), key.to_owned(), value));
    };
    push("period", "from", stats.from.to_string());
    push("period", "to", stats.to.to_string());
    push(
        "filter",
        "incident_type",
        stats.incident_type.unwrap_or("").to_owned(),
    );
    push(
        "filter",
        "province",
        stats.province.unwrap_or("").to_owned(),
    );
    push("intakes", "total", stats.intakes.to_string());
    for (section, map) in [
        ("by_incident_type", &stats.by_incident_type),
        ("by_province", &stats.by_province),
        ("by_urgency", &stats.by_urgency),
        ("by_status", &stats.by_status),
        ("by_outcome", &stats.by_outcome),
    ] {
        for (key, n) in map {
            push(section, key, n.to_string());
        }
    }
    for week in &stats.by_week {
        push("by_week", &week.week, week.intakes.to_string());
    }
    push("rates", "match_rate", opt(stats.match_rate));
    push("rates", "connection_rate", opt(stats.connection_rate));
    push("rates", "expiry_rate", opt(stats.expiry_rate));
    push("rates", "decline_rate", opt(stats.decline_rate));
    for (urgency, spread) in &stats.first_acceptance_minutes {
        push(
            "first_acceptance_minutes",
            &format!("{urgency}.median"),
            opt(spread.median),
        );
        push(
            "first_acceptance_minutes",
            &format!("{urgency}.p90"),
            opt(spread.p90),
        );
    }
    let f = &stats.feedback;
    push("feedback", "responses", f.responses.to_string());
    push("feedback", "helped_mean", opt(f.helped_mean));
    push("feedback", "resolved_share", opt(f.resolved_share));
    push(
        "feedback",
        "more_resilient_share",
        opt(f.more_resilient_share),
    );
    push(
        "feedback",
        "offered_paid_services",
        f.offered_paid_services.to_string(),
    );
    let r = &stats.resilience;
    for (prefix, phase) in [
        ("baseline", &r.baseline),
        ("after_90_days", &r.after_90_days),
    ] {
        phase_rows(&mut push, prefix, phase);
    }
    for (kind, pair) in &r.by_incident_type {
        phase_rows(&mut push, &format!("{kind}.baseline"), &pair.baseline);
        phase_rows(
            &mut push,
            &format!("{kind}.after_90_days"),
            &pair.after_90_days,
        );
    }
    push("complaints", "total", stats.complaints.to_string());
    push("referrals", "gini", opt(gini));
    let mut out = String::from("section,key,value\r\n");
    for (section, key, value) in rows {
        let _ = write!(
            out,
            "{},{},{}\r\n",
            field(&section),
            field(&key),
            field(&value)
        );
    }
    out
}

fn phase_rows(push: &mut impl FnMut(&str, &str, String), prefix: &str, phase: &PhaseCounts) {
    push(
        "resilience",
        &format!("{prefix}.responses"),
        phase.responses.to_string(),
    );
    for q in QUESTIONS {
        let counts = phase.question(q);
        for a in ANSWERS {
            push(
                "resilience",
                &format!("{prefix}.{q}.{a}"),
                counts.get(a).to_string(),
            );
        }
    }
}

fn opt(value: Option<f64>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

/// RFC 4180 quoting where needed (province names carry no commas, but be safe).
fn field(raw: &str) -> String {
    if raw.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", raw.replace('"', "\"\""))
    } else {
        raw.to_owned()
    }
}
