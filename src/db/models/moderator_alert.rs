//! Moderator alerts, one row per recipient, and whether they have been emailed yet: the rows
//! behind the rule "at most one alert email per window and inbox" (see `mail::alerts`).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::moderator_alerts as alerts;
use crate::error::AppError;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = alerts)]
pub struct AlertRow {
    pub id: String,
    /// The mailbox as stored in the outbox (`addr` or `Name <addr>`).
    pub recipient: String,
    pub template: String,
    /// The alert's subject line as it would have been emailed (Dutch): what the digest lists.
    pub subject: String,
    pub created_at: NaiveDateTime,
    /// When it was emailed, alone or in a digest; `None` while it waits for the digest.
    pub sent_at: Option<NaiveDateTime>,
}

pub fn insert(conn: &mut DbConn, row: &AlertRow) -> Result<(), AppError> {
    diesel::insert_into(alerts::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// When the last alert email (single or digest) to `recipient` was queued.
pub fn last_sent_at(conn: &mut DbConn, recipient: &str) -> Result<Option<NaiveDateTime>, AppError> {
    Ok(alerts::table
        .filter(alerts::recipient.eq(recipient))
        .select(diesel::dsl::max(alerts::sent_at))
        .first(conn)?)
}

/// The recipients with alerts waiting for a digest.
pub fn waiting_recipients(conn: &mut DbConn) -> Result<Vec<String>, AppError> {
    Ok(alerts::table
        .filter(alerts::sent_at.is_null())
        .select(alerts::recipient)
        .distinct()
        .load(conn)?)
}

/// How many alerts wait for `recipient`'s digest, and the first `limit` of them, oldest first.
pub fn waiting(
    conn: &mut DbConn,
    recipient: &str,
    limit: i64,
) -> Result<(i64, Vec<AlertRow>), AppError> {
    let waiting = alerts::table
        .filter(alerts::recipient.eq(recipient))
        .filter(alerts::sent_at.is_null());
    let count = waiting.count().get_result(conn)?;
    let first = waiting
        .order((alerts::created_at.asc(), alerts::id.asc()))
        .limit(limit)
        .select(AlertRow::as_select())
        .load(conn)?;
    Ok((count, first))
}

/// Deletes the alerts emailed before `before`.
pub fn forget_sent_before(conn: &mut DbConn, before: NaiveDateTime) -> Result<usize, AppError> {
    Ok(diesel::delete(alerts::table.filter(alerts::sent_at.lt(before))).execute(conn)?)
}

/// Marks every alert waiting for `recipient` as emailed at `now`; returns how many there were.
pub fn mark_sent(
    conn: &mut DbConn,
    recipient: &str,
    now: NaiveDateTime,
) -> Result<usize, AppError> {
    Ok(diesel::update(
        alerts::table
            .filter(alerts::recipient.eq(recipient))
            .filter(alerts::sent_at.is_null()),
    )
    .set(alerts::sent_at.eq(now))
    .execute(conn)?)
}
