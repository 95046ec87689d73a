//! The few figures `/metrics` reads from the database at scrape time: two small aggregate queries,
//! each served by an existing partial index (`outbox_due`, `help_requests_due`), so a scrape
//! every second costs next to nothing.

use chrono::NaiveDateTime;
use diesel::dsl::{count_star, min};
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::{help_requests, intakes, outbox};
use crate::domain::{RequestStatus, Urgency};
use crate::error::AppError;

/// What the database says at one moment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snapshot {
    /// Outbox messages neither sent nor given up on.
    pub unsent: i64,
    /// When the oldest of them was queued.
    pub oldest_unsent: Option<NaiveDateTime>,
    /// Pending help requests per intake urgency (only urgencies that have any).
    pub pending_by_urgency: Vec<(Urgency, i64)>,
}

/// Reads the [`Snapshot`]: one `COUNT`/`MIN` over the unsent outbox and one grouped `COUNT` of
/// pending requests.
pub fn snapshot(conn: &mut DbConn) -> Result<Snapshot, AppError> {
    let (unsent, oldest_unsent) = outbox::table
        .filter(outbox::sent_at.is_null())
        .filter(outbox::gave_up_at.is_null())
        .select((count_star(), min(outbox::created_at)))
        .first::<(i64, Option<NaiveDateTime>)>(conn)?;
    let pending_by_urgency = help_requests::table
        .inner_join(intakes::table)
        .filter(help_requests::status.eq(RequestStatus::Pending))
        .group_by(intakes::urgency)
        .select((intakes::urgency, count_star()))
        .load::<(Urgency, i64)>(conn)?;
    Ok(Snapshot {
        unsent,
        oldest_unsent,
        pending_by_urgency,
    })
}
