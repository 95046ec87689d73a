//! Statistics: what the platform did and whether it helped, for moderators (figures, the
//! referral spread, a CSV) and, as bare counts, for the public website.
//!
//! The room is split the way the data flows: [`period`] parses the question (days in
//! Europe/Amsterdam, filters), [`query`] loads the few columns of the period's intakes, matches,
//! requests, feedback and resilience answers (portable diesel, bounded to the period),
//! [`figures`], [`referrals`] and [`resilience`] aggregate them in pure functions (arithmetic in
//! [`math`]), and [`csv`] writes them out. Nothing here is personal data: erased and
//! pseudonymised intakes keep the columns counted here, so they keep counting.

pub mod chart;
pub mod charts;
pub mod csv;
pub mod drawing;
pub mod facts;
pub mod figures;
pub mod math;
pub mod page;
pub mod period;
pub mod public;
pub mod query;
pub mod referrals;
pub mod resilience;

pub use figures::Stats;
pub use period::{Filter, FilterQuery};
pub use public::PublicStats;
pub use referrals::Referrals;

use crate::db::DbConn;
use crate::error::AppError;

/// The figures of one question.
pub fn stats(conn: &mut DbConn, filter: &Filter) -> Result<Stats, AppError> {
    let facts = query::period_facts(conn, filter)?;
    Ok(figures::compute(filter, &facts))
}

/// The referral spread of one question.
pub fn referral_spread(conn: &mut DbConn, filter: &Filter) -> Result<Referrals, AppError> {
    let facts = query::period_facts(conn, filter)?;
    let experts = query::expert_names(conn, &facts)?;
    Ok(referrals::referrals(&facts, &experts))
}

/// Both, from one load of the facts (the CSV and the page need both).
pub fn stats_and_referrals(
    conn: &mut DbConn,
    filter: &Filter,
) -> Result<(Stats, Referrals), AppError> {
    let facts = query::period_facts(conn, filter)?;
    let experts = query::expert_names(conn, &facts)?;
    Ok((
        figures::compute(filter, &facts),
        referrals::referrals(&facts, &experts),
    ))
}
