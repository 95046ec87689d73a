//! The queries of the retention job (see `cases::retention`): intakes due pseudonymisation and
//! the claim that marks one, old email text, and the deletion of dead sessions, verification
//! links, case links and login-throttle rows. Every change re-checks its condition in the
//! statement itself, so two instances running at once change (and count) each row once.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::{
    complaints, expert_verification_tokens as tokens, help_requests, intake_link_tokens,
    intake_retention as intakes, intake_tokens, login_throttle, outbox, sessions,
};
use crate::domain::{IntakeId, IntakeStatus};
use crate::error::AppError;

/// Intakes not yet pseudonymised that ended before `ended_before`: closed (since `closed_at`),
/// erased (since `erased_at`) or unmatched and untouched (since `updated_at`).
pub fn due_intakes(
    conn: &mut DbConn,
    ended_before: NaiveDateTime,
    limit: i64,
) -> Result<Vec<IntakeId>, AppError> {
    Ok(intakes::table
        .filter(intakes::pseudonymised_at.is_null())
        .filter(
            intakes::status
                .eq(IntakeStatus::Closed)
                .and(intakes::closed_at.le(ended_before))
                .or(intakes::status
                    .eq(IntakeStatus::Erased)
                    .and(intakes::erased_at.le(ended_before)))
                .or(intakes::status
                    .eq(IntakeStatus::Unmatched)
                    .and(intakes::updated_at.le(ended_before))),
        )
        .order(intakes::updated_at.asc())
        .limit(limit)
        .select(intakes::id)
        .load(conn)?)
}

/// When the intake was pseudonymised (None: not, or no such intake).
pub fn pseudonymised_at(
    conn: &mut DbConn,
    id: &IntakeId,
) -> Result<Option<NaiveDateTime>, AppError> {
    Ok(intakes::table
        .find(id)
        .select(intakes::pseudonymised_at)
        .first::<Option<NaiveDateTime>>(conn)
        .optional()?
        .flatten())
}

/// Marks the intake pseudonymised; false when another pass already did.
pub fn claim(conn: &mut DbConn, id: &IntakeId, now: NaiveDateTime) -> Result<bool, AppError> {
    let changed = diesel::update(
        intakes::table
            .find(id)
            .filter(intakes::pseudonymised_at.is_null()),
    )
    .set(intakes::pseudonymised_at.eq(now))
    .execute(conn)?;
    Ok(changed == 1)
}

/// The free text others wrote about the intake: complaint reasons and the connected expert's
/// summary (the complaint itself, its status and linked actions, and the request stay).
pub fn blank_case_texts(conn: &mut DbConn, intake_id: &IntakeId) -> Result<(), AppError> {
    diesel::update(complaints::table.filter(complaints::intake_id.eq(intake_id)))
        .set(complaints::reason.eq(""))
        .execute(conn)?;
    diesel::update(help_requests::table.filter(help_requests::intake_id.eq(intake_id)))
        .set(help_requests::summary.eq(None::<String>))
        .execute(conn)?;
    Ok(())
}

/// The one-click feedback and resilience links of the intake.
pub fn delete_link_tokens(conn: &mut DbConn, intake_id: &IntakeId) -> Result<(), AppError> {
    diesel::delete(intake_link_tokens::table.filter(intake_link_tokens::intake_id.eq(intake_id)))
        .execute(conn)?;
    Ok(())
}

/// Case links of intakes pseudonymised before `before`; how many this call deleted.
pub fn delete_case_links(
    conn: &mut DbConn,
    before: NaiveDateTime,
    limit: i64,
) -> Result<usize, AppError> {
    let pseudonymised = intakes::table
        .filter(intakes::pseudonymised_at.le(before))
        .select(intakes::id);
    let hashes: Vec<String> = intake_tokens::table
        .filter(intake_tokens::intake_id.eq_any(pseudonymised))
        .select(intake_tokens::token_hash)
        .limit(limit)
        .load(conn)?;
    if hashes.is_empty() {
        return Ok(0);
    }
    Ok(
        diesel::delete(intake_tokens::table.filter(intake_tokens::token_hash.eq_any(&hashes)))
            .execute(conn)?,
    )
}

/// Sent emails older than `sent_before` whose text is still there: up to `limit` of them lose
/// subject, bodies and recipient (id, template, recipient hash and times stay). Returns the ids
/// looked at (for their file copies) and how many this call changed.
pub fn drop_email_text(
    conn: &mut DbConn,
    sent_before: NaiveDateTime,
    limit: i64,
) -> Result<(Vec<String>, usize), AppError> {
    let ids: Vec<String> = outbox::table
        .filter(outbox::sent_at.le(sent_before))
        .filter(outbox::recipient.ne(""))
        .order(outbox::sent_at.asc())
        .limit(limit)
        .select(outbox::id)
        .load(conn)?;
    if ids.is_empty() {
        return Ok((ids, 0));
    }
    let changed = diesel::update(
        outbox::table
            .filter(outbox::id.eq_any(&ids))
            .filter(outbox::recipient.ne("")),
    )
    .set((
        outbox::recipient.eq(""),
        outbox::subject.eq("[removed]"),
        outbox::text_body.eq(""),
        outbox::html_body.eq(""),
    ))
    .execute(conn)?;
    Ok((ids, changed))
}

/// Sessions that expired or were revoked.
pub fn delete_dead_sessions(
    conn: &mut DbConn,
    now: NaiveDateTime,
    limit: i64,
) -> Result<usize, AppError> {
    let dead = sessions::expires_at
        .le(now)
        .or(sessions::revoked_at.is_not_null());
    let ids: Vec<String> = sessions::table
        .filter(dead)
        .select(sessions::id)
        .limit(limit)
        .load(conn)?;
    if ids.is_empty() {
        return Ok(0);
    }
    Ok(diesel::delete(
        sessions::table
            .filter(sessions::id.eq_any(&ids))
            .filter(dead),
    )
    .execute(conn)?)
}

/// Email verification links past their expiry, used or not. A used link is kept until then, so
/// that a second click still hears "already used" rather than "unknown link".
pub fn delete_expired_verification_links(
    conn: &mut DbConn,
    now: NaiveDateTime,
    limit: i64,
) -> Result<usize, AppError> {
    let hashes: Vec<String> = tokens::table
        .filter(tokens::expires_at.le(now))
        .select(tokens::token_hash)
        .limit(limit)
        .load(conn)?;
    if hashes.is_empty() {
        return Ok(0);
    }
    Ok(diesel::delete(
        tokens::table
            .filter(tokens::token_hash.eq_any(&hashes))
            .filter(tokens::expires_at.le(now)),
    )
    .execute(conn)?)
}

/// Login-throttle rows whose last failure is older than `forgotten_before` and that lock nothing.
pub fn delete_forgotten_throttles(
    conn: &mut DbConn,
    forgotten_before: NaiveDateTime,
    now: NaiveDateTime,
    limit: i64,
) -> Result<usize, AppError> {
    let forgotten = login_throttle::last_failed_at.le(forgotten_before).and(
        login_throttle::locked_until
            .is_null()
            .or(login_throttle::locked_until.le(now)),
    );
    let hashes: Vec<String> = login_throttle::table
        .filter(forgotten)
        .select(login_throttle::email_hash)
        .limit(limit)
        .load(conn)?;
    if hashes.is_empty() {
        return Ok(0);
    }
    Ok(diesel::delete(
        login_throttle::table
            .filter(login_throttle::email_hash.eq_any(&hashes))
            .filter(forgotten),
    )
    .execute(conn)?)
}
