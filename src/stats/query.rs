//! Loading one period's facts with diesel, portable over SQLite and PostgreSQL: plain selects of
//! the few columns the figures need, limited to the period's intakes by a subquery (no
//! backend-specific SQL, no ids shipped back and forth). Aggregation happens in Rust.

use chrono::NaiveDateTime;
use diesel::dsl::count_star;
use diesel::prelude::*;

use super::facts::{
    ExpertName, FeedbackFact, IntakeFact, MatchFact, PeriodFacts, RequestFact, ResilienceFact,
};
use super::period::Filter;
use crate::db::DbConn;
use crate::db::schema::{
    complaints, experts, help_requests, intake_feedback, intake_matches, intakes,
    resilience_answers,
};
use crate::domain::{ExpertStatus, IncidentType, IntakeStatus, RequestStatus, Urgency};
use crate::error::AppError;

/// Runs `$body` with `$q` bound to `intakes` limited to the filter's period, incident type and
/// province. MultiConnection cannot run boxed subqueries, so each combination of filters is its
/// own fully typed query (the body is compiled four times).
macro_rules! in_period {
    ($filter:expr, |$q:ident| $body:expr) => {{
        let filter: &Filter = $filter;
        let base = intakes::table
            .filter(intakes::created_at.ge(filter.start()))
            .filter(intakes::created_at.lt(filter.end()));
        match (filter.incident_type, filter.province) {
            (None, None) => {
                let $q = base;
                $body
            }
            (Some(kind), None) => {
                let $q = base.filter(intakes::incident_type.eq(kind));
                $body
            }
            (None, Some(province)) => {
                let $q = base.filter(intakes::province.eq(province));
                $body
            }
            (Some(kind), Some(province)) => {
                let $q = base
                    .filter(intakes::incident_type.eq(kind))
                    .filter(intakes::province.eq(province));
                $body
            }
        }
    }};
}

type IntakeColumns = (
    String,
    IncidentType,
    Urgency,
    String,
    IntakeStatus,
    Option<String>,
    NaiveDateTime,
    Option<NaiveDateTime>,
    Option<String>,
);

/// Everything the figures of `filter` are computed from.
pub fn period_facts(conn: &mut DbConn, filter: &Filter) -> Result<PeriodFacts, AppError> {
    let rows: Vec<IntakeColumns> = in_period!(filter, |q| q
        .select((
            intakes::id,
            intakes::incident_type,
            intakes::urgency,
            intakes::province,
            intakes::status,
            intakes::outcome,
            intakes::created_at,
            intakes::connected_at,
            intakes::connected_expert_id,
        ))
        .load(conn))?;
    let intakes = rows
        .into_iter()
        .map(|r| IntakeFact {
            id: r.0,
            incident_type: r.1,
            urgency: r.2,
            province: r.3,
            status: r.4,
            outcome: r.5,
            created_at: r.6,
            connected_at: r.7,
            connected_expert_id: r.8,
        })
        .collect();
    Ok(PeriodFacts {
        intakes,
        matches: matches(conn, filter)?,
        requests: requests(conn, filter)?,
        feedback: feedback(conn, filter)?,
        resilience: resilience(conn, filter)?,
        complaints: complaint_count(conn, filter)?,
    })
}

fn matches(conn: &mut DbConn, filter: &Filter) -> Result<Vec<MatchFact>, AppError> {
    let rows: Vec<(String, String, i32)> = in_period!(filter, |q| intake_matches::table
        .filter(intake_matches::intake_id.eq_any(q.select(intakes::id)))
        .select((
            intake_matches::intake_id,
            intake_matches::expert_id,
            intake_matches::rank,
        ))
        .load(conn))?;
    Ok(rows
        .into_iter()
        .map(|(intake_id, expert_id, rank)| MatchFact {
            intake_id,
            expert_id,
            rank,
        })
        .collect())
}

fn requests(conn: &mut DbConn, filter: &Filter) -> Result<Vec<RequestFact>, AppError> {
    let rows: Vec<(String, String, RequestStatus)> = in_period!(filter, |q| help_requests::table
        .filter(help_requests::intake_id.eq_any(q.select(intakes::id)))
        .select((
            help_requests::intake_id,
            help_requests::expert_id,
            help_requests::status,
        ))
        .load(conn))?;
    Ok(rows
        .into_iter()
        .map(|(intake_id, expert_id, status)| RequestFact {
            intake_id,
            expert_id,
            status,
        })
        .collect())
}

fn feedback(conn: &mut DbConn, filter: &Filter) -> Result<Vec<FeedbackFact>, AppError> {
    let rows: Vec<(String, i32, bool, bool, Option<bool>)> =
        in_period!(filter, |q| intake_feedback::table
            .filter(intake_feedback::intake_id.eq_any(q.select(intakes::id)))
            .select((
                intake_feedback::intake_id,
                intake_feedback::helped,
                intake_feedback::resolved,
                intake_feedback::more_resilient,
                intake_feedback::offered_paid_services,
            ))
            .load(conn))?;
    Ok(rows
        .into_iter()
        .map(
            |(intake_id, helped, resolved, more_resilient, offered_paid_services)| FeedbackFact {
                intake_id,
                helped,
                resolved,
                more_resilient,
                offered_paid_services,
            },
        )
        .collect())
}

/// The resilience answers (both phases) of the period's intakes.
fn resilience(conn: &mut DbConn, filter: &Filter) -> Result<Vec<ResilienceFact>, AppError> {
    type Row = (String, String, String, String, String, String);
    let rows: Vec<Row> = in_period!(filter, |q| resilience_answers::table
        .filter(resilience_answers::intake_id.eq_any(q.select(intakes::id)))
        .select((
            resilience_answers::intake_id,
            resilience_answers::phase,
            resilience_answers::offline_backups,
            resilience_answers::mfa,
            resilience_answers::incident_plan,
            resilience_answers::auto_updates,
        ))
        .load(conn))?;
    Ok(rows
        .into_iter()
        .map(|r| ResilienceFact {
            intake_id: r.0,
            phase: r.1,
            offline_backups: r.2,
            mfa: r.3,
            incident_plan: r.4,
            auto_updates: r.5,
        })
        .collect())
}

fn complaint_count(conn: &mut DbConn, filter: &Filter) -> Result<u64, AppError> {
    let n: i64 = in_period!(filter, |q| complaints::table
        .filter(complaints::intake_id.eq_any(q.select(intakes::id)))
        .select(count_star())
        .first(conn))?;
    Ok(n as u64)
}

/// The experts the referral figures list: every approved expert, and every other expert that
/// appears in `facts` (suspended since, say).
pub fn expert_names(conn: &mut DbConn, facts: &PeriodFacts) -> Result<Vec<ExpertName>, AppError> {
    let mut ids: Vec<String> = facts
        .matches
        .iter()
        .map(|m| m.expert_id.clone())
        .chain(facts.requests.iter().map(|r| r.expert_id.clone()))
        .collect();
    ids.sort();
    ids.dedup();
    let rows: Vec<(String, String)> = experts::table
        .filter(
            experts::status
                .eq(ExpertStatus::Approved)
                .or(experts::id.eq_any(ids)),
        )
        .select((experts::id, experts::company_name))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, company_name)| ExpertName { id, company_name })
        .collect())
}
