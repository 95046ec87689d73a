//! What the in-memory candidate index reads: the matchable experts with their expertise and
//! waiting requests, and the change log (`expert_changes`, written by triggers) that tells every
//! instance which experts to reload.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::{expert_changes, expert_expertise, experts, help_requests};
use crate::domain::{ExpertId, ExpertStatus, IncidentType};
use crate::error::AppError;

/// An expert as the index holds it, with what decides whether it is matchable at all.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = experts)]
pub struct IndexRow {
    pub id: ExpertId,
    pub status: String,
    pub paused: bool,
    pub code_of_conduct_version: i32,
    pub company_name: String,
    pub kvk_number: String,
    pub email: String,
    pub base_lat: f64,
    pub base_lon: f64,
    pub radius_km: i32,
    pub remote: bool,
    pub languages: String,
    pub capacity: i32,
    pub open_cases: i32,
    pub available_24_7: bool,
    pub last_referral_at: Option<NaiveDateTime>,
}

/// An expert with its expertise and the requests waiting for its answer.
pub struct IndexEntry {
    pub row: IndexRow,
    pub expertise: Vec<IncidentType>,
    pub pending: i64,
}

impl IndexEntry {
    /// Approved, not paused, bound to the current code of conduct.
    pub fn matchable(&self, current_code_of_conduct: i32) -> bool {
        self.row.status == ExpertStatus::Approved.as_str()
            && !self.row.paused
            && self.row.code_of_conduct_version == current_code_of_conduct
    }
}

/// Every matchable expert (the index at start, and after a new code of conduct).
pub fn load_all(
    conn: &mut DbConn,
    current_code_of_conduct: i32,
) -> Result<Vec<IndexEntry>, AppError> {
    let matchable = experts::status
        .eq(ExpertStatus::Approved.as_str())
        .and(experts::paused.eq(false))
        .and(experts::code_of_conduct_version.eq(current_code_of_conduct));
    let rows: Vec<IndexRow> = experts::table
        .filter(matchable)
        .select(IndexRow::as_select())
        .load(conn)?;
    // Every expert's expertise, unjoined (the rows of experts not loaded are dropped below):
    // at 100,000 experts the join took longer than reading the whole table.
    let expertise: Vec<(ExpertId, String)> = expert_expertise::table
        .select((expert_expertise::expert_id, expert_expertise::incident_type))
        .load(conn)?;
    let pending: Vec<(ExpertId, i64)> = help_requests::table
        .filter(help_requests::status.eq(crate::domain::RequestStatus::Pending))
        .group_by(help_requests::expert_id)
        .select((help_requests::expert_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(entries(rows, expertise, pending))
}

/// The experts `ids` as they are now (ids that no longer exist are simply absent).
pub fn load_some(conn: &mut DbConn, ids: &[ExpertId]) -> Result<Vec<IndexEntry>, AppError> {
    let mut all = Vec::with_capacity(ids.len());
    if ids.len() <= 4 {
        // The usual case (an expert or two changed since the last intake): statements with a
        // fixed shape, which diesel prepares once per connection; `IN (…)` is prepared anew
        // every time.
        for id in ids {
            let rows: Vec<IndexRow> = experts::table
                .find(id)
                .select(IndexRow::as_select())
                .load(conn)?;
            let expertise: Vec<(ExpertId, String)> = expert_expertise::table
                .filter(expert_expertise::expert_id.eq(id))
                .select((expert_expertise::expert_id, expert_expertise::incident_type))
                .load(conn)?;
            let pending: i64 = help_requests::table
                .filter(help_requests::expert_id.eq(id))
                .filter(help_requests::status.eq(crate::domain::RequestStatus::Pending))
                .count()
                .get_result(conn)?;
            all.extend(entries(rows, expertise, vec![(id.clone(), pending)]));
        }
        return Ok(all);
    }
    for chunk in ids.chunks(500) {
        let rows: Vec<IndexRow> = experts::table
            .filter(experts::id.eq_any(chunk))
            .select(IndexRow::as_select())
            .load(conn)?;
        let expertise: Vec<(ExpertId, String)> = expert_expertise::table
            .filter(expert_expertise::expert_id.eq_any(chunk))
            .select((expert_expertise::expert_id, expert_expertise::incident_type))
            .load(conn)?;
        let pending: Vec<(ExpertId, i64)> = help_requests::table
            .filter(help_requests::expert_id.eq_any(chunk))
            .filter(help_requests::status.eq(crate::domain::RequestStatus::Pending))
            .group_by(help_requests::expert_id)
            .select((help_requests::expert_id, diesel::dsl::count_star()))
            .load(conn)?;
        all.extend(entries(rows, expertise, pending));
    }
    Ok(all)
}

fn entries(
    rows: Vec<IndexRow>,
    expertise: Vec<(ExpertId, String)>,
    pending: Vec<(ExpertId, i64)>,
) -> Vec<IndexEntry> {
    let mut by_expert: HashMap<ExpertId, Vec<IncidentType>> = HashMap::new();
    for (id, code) in expertise {
        if let Some(incident) = IncidentType::parse(&code) {
            by_expert.entry(id).or_default().push(incident);
        }
    }
    let pending: HashMap<ExpertId, i64> = pending.into_iter().collect();
    rows.into_iter()
        .map(|row| {
            let mut expertise = by_expert.remove(&row.id).unwrap_or_default();
            expertise.sort();
            let pending = pending.get(&row.id).copied().unwrap_or(0);
            IndexEntry {
                row,
                expertise,
                pending,
            }
        })
        .collect()
}

/// Of `ids`, the experts that may still be asked for `incident` in `language` now: the candidate
/// rules checked again inside the write transaction that records the matches, so an expert
/// suspended, paused or filled a moment ago (on this instance or another) is never offered.
/// Looked up by primary key (one joined query let SQLite's planner walk every approved expert).
pub fn still_matchable(
    conn: &mut DbConn,
    ids: &[ExpertId],
    incident: IncidentType,
    language: &str,
) -> Result<Vec<ExpertId>, AppError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let current = super::code_of_conduct::current_version(conn)?;
    Ok(load_some(conn, ids)?
        .into_iter()
        .filter(|e| {
            e.matchable(current)
                && i64::from(e.row.open_cases) + e.pending < i64::from(e.row.capacity)
                && e.expertise.contains(&incident)
                && serde_json::from_str::<Vec<String>>(&e.row.languages)
                    .is_ok_and(|l| l.iter().any(|l| l == language))
        })
        .map(|e| e.row.id)
        .collect())
}

/// The newest change's sequence number (0 when the log is empty).
pub fn latest_change(conn: &mut DbConn) -> Result<i64, AppError> {
    Ok(expert_changes::table
        .select(diesel::dsl::max(expert_changes::seq))
        .first::<Option<i64>>(conn)?
        .unwrap_or(0))
}

/// The oldest change still in the log, if any (older ones were pruned).
pub fn oldest_change(conn: &mut DbConn) -> Result<Option<i64>, AppError> {
    Ok(expert_changes::table
        .select(diesel::dsl::min(expert_changes::seq))
        .first::<Option<i64>>(conn)?)
}

/// Changes after `after`, and the changes `also` (numbers skipped earlier: on PostgreSQL a
/// transaction that took a number may commit after one that took a later number), in order.
/// `None` as the expert: every expert must be reloaded.
pub fn changes_since(
    conn: &mut DbConn,
    after: i64,
    also: &[i64],
) -> Result<Vec<(i64, Option<ExpertId>)>, AppError> {
    let mut query = expert_changes::table
        .select((expert_changes::seq, expert_changes::expert_id))
        .filter(expert_changes::seq.gt(after))
        .into_boxed();
    if !also.is_empty() {
        query = query.or_filter(expert_changes::seq.eq_any(also));
    }
    Ok(query.order(expert_changes::seq).load(conn)?)
}

/// Forgets changes older than `keep_minutes` by the database's own clock (every instance has read
/// them long before; one that has not reloads everything, see `oldest_change`).
pub fn prune_changes(conn: &mut DbConn, keep_minutes: u32) -> Result<usize, AppError> {
    let sql = match conn {
        DbConn::Sqlite(_) => format!(
            "DELETE FROM expert_changes WHERE changed_at < datetime('now', '-{keep_minutes} minutes')"
        ),
        DbConn::Pg(_) => format!(
            "DELETE FROM expert_changes WHERE changed_at < \
             (now() AT TIME ZONE 'utc') - interval '{keep_minutes} minutes'"
        ),
    };
    Ok(diesel::sql_query(sql).execute(conn)?)
}
