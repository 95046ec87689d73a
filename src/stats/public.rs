//! The public counts for the Hackhelpdesk website (`GET /api/v1/stats/public`): intakes and
//! entrepreneurs connected to an expert, this calendar month (Amsterdam) and all time, and the
//! number of approved experts. Counted by the database, never loaded row by row.

use chrono::{Datelike, Months, NaiveDateTime};
use diesel::dsl::count_star;
use diesel::prelude::*;
use serde::Serialize;

use super::period::{local_date, midnight_utc};
use crate::db::DbConn;
use crate::db::schema::{experts, intakes};
use crate::error::AppError;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PublicStats {
    pub this_month: MonthCounts,
    pub all_time: Counts,
    pub approved_experts: u64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MonthCounts {
    /// The calendar month, `2026-12`.
    pub month: String,
    pub intakes: u64,
    pub entrepreneurs_connected: u64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Counts {
    pub intakes: u64,
    pub entrepreneurs_connected: u64,
}

/// The counts as of `now`. An intake counts in the month it was made; a connection in the month
/// the expert accepted.
pub fn public_stats(conn: &mut DbConn, now: NaiveDateTime) -> Result<PublicStats, AppError> {
    let first_day = local_date(now).with_day(1).expect("day 1 exists");
    let next = first_day + Months::new(1);
    let (start, end) = (midnight_utc(first_day), midnight_utc(next));
    let month_intakes: i64 = intakes::table
        .filter(intakes::created_at.ge(start))
        .filter(intakes::created_at.lt(end))
        .select(count_star())
        .first(conn)?;
    let month_connected: i64 = intakes::table
        .filter(intakes::connected_at.ge(start))
        .filter(intakes::connected_at.lt(end))
        .select(count_star())
        .first(conn)?;
    let all_intakes: i64 = intakes::table.select(count_star()).first(conn)?;
    let all_connected: i64 = intakes::table
        .filter(intakes::connected_at.is_not_null())
        .select(count_star())
        .first(conn)?;
    let approved: i64 = experts::table
        .filter(experts::status.eq(crate::domain::ExpertStatus::Approved))
        .select(count_star())
        .first(conn)?;
    Ok(PublicStats {
        this_month: MonthCounts {
            month: first_day.format("%Y-%m").to_string(),
            intakes: month_intakes as u64,
            entrepreneurs_connected: month_connected as u64,
        },
        all_time: Counts {
            intakes: all_intakes as u64,
            entrepreneurs_connected: all_connected as u64,
        },
        approved_experts: approved as u64,
    })
}
