//! The figures of `GET /api/v1/stats`, computed from one period's facts. The shape is the
//! contract's; every key a chart needs is present with 0 (counts) or `null` (rates, means,
//! medians) when there is nothing to count: all incident types, urgencies, statuses, outcomes,
//! the twelve provinces and every ISO week of the period.

use std::collections::{BTreeMap, HashSet};

use chrono::NaiveDate;
use serde::Serialize;

use super::facts::{FeedbackFact, PeriodFacts};
use super::math::{mean, nearest_rank, rate, round};
use super::period::{Filter, PROVINCES, iso_week, local_date};
use super::resilience::{Resilience, resilience};
use crate::domain::{IncidentType, IntakeStatus, RequestStatus, Urgency};

pub const OUTCOMES: [&str; 3] = ["resolved", "unresolved", "no_longer_needed"];

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Stats {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub incident_type: Option<&'static str>,
    pub province: Option<&'static str>,
    pub intakes: u64,
    pub by_incident_type: BTreeMap<String, u64>,
    pub by_province: BTreeMap<String, u64>,
    pub by_urgency: BTreeMap<String, u64>,
    pub by_status: BTreeMap<String, u64>,
    pub by_outcome: BTreeMap<String, u64>,
    pub by_week: Vec<WeekCount>,
    pub match_rate: Option<f64>,
    pub connection_rate: Option<f64>,
    pub first_acceptance_minutes: BTreeMap<String, Spread>,
    pub expiry_rate: Option<f64>,
    pub decline_rate: Option<f64>,
    pub feedback: Feedback,
    pub resilience: Resilience,
    pub complaints: u64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct WeekCount {
    pub week: String,
    pub intakes: u64,
}

/// Median and 90th percentile (nearest rank), in minutes to one decimal.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct Spread {
    pub median: Option<f64>,
    pub p90: Option<f64>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Feedback {
    pub responses: u64,
    pub helped_mean: Option<f64>,
    pub resolved_share: Option<f64>,
    pub more_resilient_share: Option<f64>,
    pub offered_paid_services: u64,
}

/// The figures of one period.
pub fn compute(filter: &Filter, facts: &PeriodFacts) -> Stats {
    let intakes = &facts.intakes;
    let total = intakes.len() as u64;
    let matched: HashSet<&str> = facts.matches.iter().map(|m| m.intake_id.as_str()).collect();
    let connected = intakes.iter().filter(|i| i.connected_at.is_some()).count() as u64;
    let mut by_week: BTreeMap<String, u64> = filter.weeks().into_iter().map(|w| (w, 0)).collect();
    for intake in intakes {
        *by_week
            .entry(iso_week(local_date(intake.created_at)))
            .or_default() += 1;
    }
    Stats {
        from: filter.from,
        to: filter.to,
        incident_type: filter.incident_type.map(IncidentType::as_str),
        province: filter.province,
        intakes: total,
        by_incident_type: count_by(
            IncidentType::ALL.map(IncidentType::as_str),
            intakes.iter().map(|i| i.incident_type.as_str()),
        ),
        by_province: count_by(PROVINCES, intakes.iter().map(|i| i.province.as_str())),
        by_urgency: count_by(
            Urgency::ALL.map(Urgency::as_str),
            intakes.iter().map(|i| i.urgency.as_str()),
        ),
        by_status: count_by(
            IntakeStatus::CODES,
            intakes.iter().map(|i| i.status.as_str()),
        ),
        by_outcome: count_by(
            OUTCOMES,
            intakes.iter().filter_map(|i| i.outcome.as_deref()),
        ),
        by_week: by_week
            .into_iter()
            .map(|(week, intakes)| WeekCount { week, intakes })
            .collect(),
        match_rate: rate(
            intakes
                .iter()
                .filter(|i| matched.contains(i.id.as_str()))
                .count() as u64,
            total,
        ),
        connection_rate: rate(connected, total),
        first_acceptance_minutes: first_acceptance(facts),
        expiry_rate: rate(
            count_requests(facts, &[RequestStatus::Expired]),
            answered(facts),
        ),
        decline_rate: rate(
            count_requests(facts, &[RequestStatus::Declined]),
            answered(facts),
        ),
        feedback: feedback(&facts.feedback),
        resilience: resilience(facts),
        complaints: facts.complaints,
    }
}

/// Counts per key, every known key present (0 when none); values outside `known` count too.
fn count_by<'a, const N: usize>(
    known: [&str; N],
    values: impl Iterator<Item = &'a str>,
) -> BTreeMap<String, u64> {
    let mut counts: BTreeMap<String, u64> = known.iter().map(|k| (k.to_string(), 0)).collect();
    for v in values {
        *counts.entry(v.to_owned()).or_default() += 1;
    }
    counts
}

/// Help requests answered or expired (withdrawn and pending ones are not).
fn answered(facts: &PeriodFacts) -> u64 {
    count_requests(facts, &RequestStatus::ANSWERED)
}

fn count_requests(facts: &PeriodFacts, states: &[RequestStatus]) -> u64 {
    facts
        .requests
        .iter()
        .filter(|r| states.contains(&r.status))
        .count() as u64
}

fn first_acceptance(facts: &PeriodFacts) -> BTreeMap<String, Spread> {
    Urgency::ALL
        .iter()
        .map(|u| {
            let minutes: Vec<f64> = facts
                .intakes
                .iter()
                .filter(|i| i.urgency == *u)
                .filter_map(|i| i.connected_at.map(|c| c - i.created_at))
                .map(|d| d.num_seconds() as f64 / 60.0)
                .collect();
            let spread = Spread {
                median: nearest_rank(&minutes, 0.5).map(|m| round(m, 1)),
                p90: nearest_rank(&minutes, 0.9).map(|m| round(m, 1)),
            };
            (u.as_str().to_owned(), spread)
        })
        .collect()
}

fn feedback(rows: &[FeedbackFact]) -> Feedback {
    let n = rows.len() as u64;
    let helped: Vec<f64> = rows.iter().map(|f| f64::from(f.helped)).collect();
    Feedback {
        responses: n,
        helped_mean: mean(&helped),
        resolved_share: rate(rows.iter().filter(|f| f.resolved).count() as u64, n),
        more_resilient_share: rate(rows.iter().filter(|f| f.more_resilient).count() as u64, n),
        offered_paid_services: rows
            .iter()
            .filter(|f| f.offered_paid_services == Some(true))
            .count() as u64,
    }
}
