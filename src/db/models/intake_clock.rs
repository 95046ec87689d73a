//! When the victim discovered the incident: `intakes.discovered_at`, the start of the case's
//! deadlines ([`crate::domain::deadline`]).
//!
//! The column lives in `intakes`, but [`IntakeRow`](super::intake::IntakeRow) already has the 32
//! columns diesel supports without its slower-to-compile `64-column-tables` feature, so the column
//! is reached through this narrow second view of the same table (`#[sql_name = "intakes"]`).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::domain::IntakeId;
use crate::error::AppError;

diesel::table! {
    /// `intakes`, as far as its clocks go.
    #[sql_name = "intakes"]
    intake_clocks (id) {
        id -> Text,
        discovered_at -> Nullable<Timestamp>,
    }
}

/// Records when the intake's incident was discovered (inside the intake's write transaction).
pub fn set_discovered(
    conn: &mut DbConn,
    intake_id: &IntakeId,
    at: NaiveDateTime,
) -> Result<(), AppError> {
    diesel::update(intake_clocks::table.find(intake_id))
        .set(intake_clocks::discovered_at.eq(Some(at)))
        .execute(conn)?;
    Ok(())
}

/// When the intake's incident was discovered; `None` for intakes from before it was asked (and
/// for an unknown id): callers read that as the time it was reported.
pub fn discovered(
    conn: &mut DbConn,
    intake_id: &IntakeId,
) -> Result<Option<NaiveDateTime>, AppError> {
    Ok(intake_clocks::table
        .find(intake_id)
        .select(intake_clocks::discovered_at)
        .first::<Option<NaiveDateTime>>(conn)
        .optional()?
        .flatten())
}
