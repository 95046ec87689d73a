//! The moderators' statistics page, as data: the figures of the API plus the two breakdowns only
//! the page draws (intakes per week by type, helped score by type), turned into charts with their
//! tables in the reader's language. The HTTP handler only parses, loads and renders.

use std::collections::{BTreeMap, HashMap};

use super::facts::PeriodFacts;
use super::figures::{Stats, compute};
use super::math::mean;
use super::period::{Filter, iso_week, local_date};
use super::query;
use super::referrals::{Referrals, referrals};
use crate::db::DbConn;
use crate::error::AppError;

pub struct PageFigures {
    pub stats: Stats,
    pub referrals: Referrals,
    /// Per week of the period: intakes per incident type.
    pub weeks_by_type: Vec<(String, BTreeMap<String, u64>)>,
    /// Per incident type with feedback: the mean helped score (1–5).
    pub helped_by_type: BTreeMap<String, f64>,
}

pub fn page_figures(conn: &mut DbConn, filter: &Filter) -> Result<PageFigures, AppError> {
    let facts = query::period_facts(conn, filter)?;
    let experts = query::expert_names(conn, &facts)?;
    Ok(PageFigures {
        stats: compute(filter, &facts),
        referrals: referrals(&facts, &experts),
        weeks_by_type: weeks_by_type(filter, &facts),
        helped_by_type: helped_by_type(&facts),
    })
}

fn weeks_by_type(filter: &Filter, facts: &PeriodFacts) -> Vec<(String, BTreeMap<String, u64>)> {
    let mut weeks: Vec<(String, BTreeMap<String, u64>)> = filter
        .weeks()
        .into_iter()
        .map(|w| (w, BTreeMap::new()))
        .collect();
    for intake in &facts.intakes {
        let week = iso_week(local_date(intake.created_at));
        if let Some((_, types)) = weeks.iter_mut().find(|(w, _)| *w == week) {
            *types.entry(intake.incident_type.to_string()).or_default() += 1;
        }
    }
    weeks
}

fn helped_by_type(facts: &PeriodFacts) -> BTreeMap<String, f64> {
    let types: HashMap<&str, &str> = facts
        .intakes
        .iter()
        .map(|i| (i.id.as_str(), i.incident_type.as_str()))
        .collect();
    let mut scores: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for f in &facts.feedback {
        if let Some(kind) = types.get(f.intake_id.as_str()) {
            scores
                .entry((*kind).to_owned())
                .or_default()
                .push(f64::from(f.helped));
        }
    }
    scores
        .into_iter()
        .filter_map(|(t, v)| Some((t, mean(&v)?)))
        .collect()
}
