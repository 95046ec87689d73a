//! Help requests: a victim asking one matched expert. Every change of state is a conditional
//! `UPDATE … WHERE status = <expected>` whose affected row count says whether this caller won, so
//! two callers can never both move the same request.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::{experts, help_requests, intakes};
use crate::domain::{ExpertId, IntakeId, RequestId, RequestStatus};
use crate::error::AppError;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = help_requests)]
pub struct RequestRow {
    pub id: RequestId,
    pub intake_id: IntakeId,
    pub expert_id: ExpertId,
    pub status: RequestStatus,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub responded_at: Option<NaiveDateTime>,
    pub decline_reason: Option<String>,
    pub completed_at: Option<NaiveDateTime>,
    pub summary: Option<String>,
}

impl RequestRow {
    /// Whether this request is the one that connected its intake.
    pub fn connected(&self) -> bool {
        self.status.connected()
    }
}

pub fn insert(conn: &mut DbConn, row: &RequestRow) -> Result<(), AppError> {
    diesel::insert_into(help_requests::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConn, id: &RequestId) -> Result<Option<RequestRow>, AppError> {
    Ok(help_requests::table
        .find(id)
        .select(RequestRow::as_select())
        .first(conn)
        .optional()?)
}

/// The request if it was sent to `expert_id`; anyone else's is "not found".
pub fn get_for_expert(
    conn: &mut DbConn,
    id: &RequestId,
    expert_id: &ExpertId,
) -> Result<RequestRow, AppError> {
    find(conn, id)?
        .filter(|r| r.expert_id == *expert_id)
        .ok_or(AppError::NotFound)
}

/// The requests of an intake with each expert's company name, oldest first.
pub fn of_intake(
    conn: &mut DbConn,
    intake_id: &IntakeId,
) -> Result<Vec<(RequestRow, String)>, AppError> {
    Ok(help_requests::table
        .inner_join(experts::table)
        .filter(help_requests::intake_id.eq(intake_id))
        .order((help_requests::created_at.asc(), help_requests::id.asc()))
        .select((RequestRow::as_select(), experts::company_name))
        .load(conn)?)
}

/// The requests sent to an expert, newest first, with their intakes.
pub fn of_expert(
    conn: &mut DbConn,
    expert_id: &ExpertId,
    limit: i64,
) -> Result<Vec<(RequestRow, crate::db::models::intake::IntakeRow)>, AppError> {
    use crate::db::models::intake::IntakeRow;
    Ok(help_requests::table
        .inner_join(intakes::table)
        .filter(help_requests::expert_id.eq(expert_id))
        .order((help_requests::created_at.desc(), help_requests::id.desc()))
        .limit(limit)
        .select((RequestRow::as_select(), IntakeRow::as_select()))
        .load(conn)?)
}

/// Moves a request from `from` to `to`; false when it was no longer in `from` (someone else won).
pub fn transition(
    conn: &mut DbConn,
    id: &str,
    from: RequestStatus,
    to: RequestStatus,
    now: NaiveDateTime,
) -> Result<bool, AppError> {
    let changed = diesel::update(
        help_requests::table
            .filter(help_requests::id.eq(id))
            .filter(help_requests::status.eq(from)),
    )
    .set((
        help_requests::status.eq(to),
        help_requests::responded_at.eq(now),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// pending → accepted, only while the acceptance clock still runs.
pub fn accept(conn: &mut DbConn, id: &RequestId, now: NaiveDateTime) -> Result<bool, AppError> {
    let changed = diesel::update(
        help_requests::table
            .filter(help_requests::id.eq(id))
            .filter(help_requests::status.eq(RequestStatus::Pending))
            .filter(help_requests::expires_at.gt(now)),
    )
    .set((
        help_requests::status.eq(RequestStatus::Accepted),
        help_requests::responded_at.eq(now),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

pub fn set_decline_reason(conn: &mut DbConn, id: &RequestId, reason: &str) -> Result<(), AppError> {
    diesel::update(help_requests::table.find(id))
        .set(help_requests::decline_reason.eq(reason))
        .execute(conn)?;
    Ok(())
}

/// accepted | closed → completed with the expert's summary; false when in neither state.
pub fn complete(
    conn: &mut DbConn,
    id: &str,
    from: RequestStatus,
    summary: Option<&str>,
    now: NaiveDateTime,
) -> Result<bool, AppError> {
    let changed = diesel::update(
        help_requests::table
            .filter(help_requests::id.eq(id))
            .filter(help_requests::status.eq(from)),
    )
    .set((
        help_requests::status.eq(RequestStatus::Completed),
        help_requests::completed_at.eq(now),
        help_requests::summary.eq(summary),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// The pending requests of an intake (to withdraw them).
pub fn pending_of_intake(
    conn: &mut DbConn,
    intake_id: &IntakeId,
) -> Result<Vec<RequestRow>, AppError> {
    Ok(help_requests::table
        .filter(help_requests::intake_id.eq(intake_id))
        .filter(help_requests::status.eq(RequestStatus::Pending))
        .select(RequestRow::as_select())
        .load(conn)?)
}

/// Experts who declined or let a request of this intake expire: never offered to it again.
pub fn turned_down(conn: &mut DbConn, intake_id: &IntakeId) -> Result<Vec<ExpertId>, AppError> {
    Ok(help_requests::table
        .filter(help_requests::intake_id.eq(intake_id))
        .filter(help_requests::status.eq_any([RequestStatus::Declined, RequestStatus::Expired]))
        .select(help_requests::expert_id)
        .load(conn)?)
}

/// Every expert this intake already asked (a victim asks each expert once).
pub fn asked_experts(conn: &mut DbConn, intake_id: &IntakeId) -> Result<Vec<ExpertId>, AppError> {
    Ok(help_requests::table
        .filter(help_requests::intake_id.eq(intake_id))
        .select(help_requests::expert_id)
        .load(conn)?)
}

/// Pending requests whose acceptance clock ran out, oldest first.
pub fn due(conn: &mut DbConn, now: NaiveDateTime, limit: i64) -> Result<Vec<RequestRow>, AppError> {
    Ok(help_requests::table
        .filter(help_requests::status.eq(RequestStatus::Pending))
        .filter(help_requests::expires_at.le(now))
        .order((help_requests::expires_at.asc(), help_requests::id.asc()))
        .limit(limit)
        .select(RequestRow::as_select())
        .load(conn)?)
}

/// The request that connected this intake, if any.
pub fn connection_of(
    conn: &mut DbConn,
    intake_id: &IntakeId,
) -> Result<Option<RequestRow>, AppError> {
    Ok(help_requests::table
        .filter(help_requests::intake_id.eq(intake_id))
        .filter(help_requests::status.eq_any(RequestStatus::CONNECTED))
        .select(RequestRow::as_select())
        .first(conn)
        .optional()?)
}

/// How many requests wait for this expert's answer. They count toward its capacity, so nobody
/// can flood an expert with requests: it is offered and asked only while open cases plus pending
/// requests are below its capacity.
pub fn pending_for_expert(conn: &mut DbConn, expert_id: &ExpertId) -> Result<i64, AppError> {
    Ok(help_requests::table
        .filter(help_requests::expert_id.eq(expert_id))
        .filter(help_requests::status.eq(RequestStatus::Pending))
        .count()
        .get_result(conn)?)
}

/// One more open case for the expert, unless that would exceed its capacity.
pub fn take_case(conn: &mut DbConn, expert_id: &ExpertId) -> Result<bool, AppError> {
    let changed = diesel::update(
        experts::table
            .filter(experts::id.eq(expert_id))
            .filter(experts::open_cases.lt(experts::capacity)),
    )
    .set(experts::open_cases.eq(experts::open_cases + 1))
    .execute(conn)?;
    Ok(changed == 1)
}

/// One open case fewer for the expert (never below zero).
pub fn release_case(conn: &mut DbConn, expert_id: &ExpertId) -> Result<(), AppError> {
    diesel::update(
        experts::table
            .filter(experts::id.eq(expert_id))
            .filter(experts::open_cases.gt(0)),
    )
    .set(experts::open_cases.eq(experts::open_cases - 1))
    .execute(conn)?;
    Ok(())
}
