//! The code of conduct, one row per published version; the current one is the highest.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::DbConn;
use crate::db::schema::code_of_conduct_versions as versions;
use crate::db::schema::experts;
use crate::domain::ExpertId;
use crate::error::AppError;

#[derive(Debug, Clone, Serialize, Queryable, Selectable, Insertable)]
#[diesel(table_name = versions)]
pub struct CodeOfConduct {
    pub version: i32,
    pub text_nl: String,
    pub text_en: String,
    pub published_at: NaiveDateTime,
    pub published_by: Option<String>,
}

/// The current version (the migration seeds version 1, so there always is one).
pub fn current(conn: &mut DbConn) -> Result<CodeOfConduct, AppError> {
    versions::table
        .order(versions::version.desc())
        .select(CodeOfConduct::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::internal("no code of conduct has been published"))
}

pub fn current_version(conn: &mut DbConn) -> Result<i32, AppError> {
    versions::table
        .select(diesel::dsl::max(versions::version))
        .first::<Option<i32>>(conn)?
        .ok_or_else(|| AppError::internal("no code of conduct has been published"))
}

/// Publishes the next version (call inside a write transaction) and returns it.
pub fn publish(
    conn: &mut DbConn,
    text_nl: &str,
    text_en: &str,
    moderator_id: &str,
    now: NaiveDateTime,
) -> Result<CodeOfConduct, AppError> {
    let row = CodeOfConduct {
        version: current_version(conn)? + 1,
        text_nl: text_nl.to_owned(),
        text_en: text_en.to_owned(),
        published_at: now,
        published_by: Some(moderator_id.to_owned()),
    };
    diesel::insert_into(versions::table)
        .values(&row)
        .execute(conn)?;
    Ok(row)
}

/// Experts behind `current` who have not been told about it yet.
#[diesel::dsl::auto_type]
fn not_told(current: i32) -> _ {
    experts::code_of_conduct_version.lt(current).and(
        experts::code_of_conduct_notified_version
            .is_null()
            .or(experts::code_of_conduct_notified_version.lt(current)),
    )
}

/// Experts who must accept `current` again and have not been told yet: approved or waiting for
/// review (the ones it keeps from being matched), oldest first, at most `limit`.
pub fn due_notices(conn: &mut DbConn, current: i32, limit: i64) -> Result<Vec<ExpertId>, AppError> {
    use crate::domain::ExpertStatus;
    Ok(experts::table
        .filter(not_told(current))
        .filter(experts::status.eq_any([
            ExpertStatus::Approved.as_str(),
            ExpertStatus::PendingReview.as_str(),
        ]))
        .order(experts::id)
        .select(experts::id)
        .limit(limit)
        .load(conn)?)
}

/// Records that the expert was told about `current`; false when it already was (another
/// instance's job got there first) or accepted it meanwhile.
pub fn mark_notified(
    conn: &mut DbConn,
    expert_id: &ExpertId,
    current: i32,
) -> Result<bool, AppError> {
    let changed = diesel::update(experts::table.find(expert_id).filter(not_told(current)))
        .set(experts::code_of_conduct_notified_version.eq(Some(current)))
        .execute(conn)?;
    Ok(changed == 1)
}
