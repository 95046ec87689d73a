//! One-time data steps that SQL cannot do portably, run in Rust right after the migrations (at
//! start-up and by `migrate`). Each runs in one transaction with the row that records it in
//! `data_steps`, so it runs once; each is also harmless when run again.
//!
//! - `reason_codes`: match reasons stored as Dutch or English sentences before issue 15 become
//!   reason codes ([`reason_codes`]).

pub mod reason_codes;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConn;
use super::schema::data_steps;

/// A named step: what it does to the database, returning how many rows it changed.
type Step = fn(&mut DbConn) -> QueryResult<usize>;

const STEPS: &[(&str, Step)] = &[("reason_codes", reason_codes::convert)];

/// Runs the steps not yet recorded; returns their names with the rows each changed.
pub fn run_pending(conn: &mut DbConn, now: NaiveDateTime) -> anyhow::Result<Vec<String>> {
    let mut ran = Vec::new();
    for (name, step) in STEPS {
        let changed = conn.transaction::<_, diesel::result::Error, _>(|conn| {
            let done: i64 = data_steps::table
                .filter(data_steps::name.eq(name))
                .count()
                .get_result(conn)?;
            if done > 0 {
                return Ok(None);
            }
            let changed = step(conn)?;
            diesel::insert_into(data_steps::table)
                .values((data_steps::name.eq(name), data_steps::ran_at.eq(now)))
                .execute(conn)?;
            Ok(Some(changed))
        });
        match changed.map_err(|e| anyhow::anyhow!("data step {name} failed: {e}"))? {
            Some(rows) => ran.push(format!("data step {name} ({rows} rows)")),
            None => continue,
        }
    }
    Ok(ran)
}
