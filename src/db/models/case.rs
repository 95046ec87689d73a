//! The rest of a case after matching: first-aid step progress, one-click link tokens, feedback,
//! the resilience check, the invitations the lifecycle job sends, and erasure of personal data
//! (from the intake and from the emails about it).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::{
    help_requests, intake_feedback, intake_link_tokens, intake_resilience, intake_steps, intakes,
    outbox,
};
use crate::domain::{IntakeId, IntakeStatus, RequestStatus};
use crate::error::AppError;

/// The step numbers (from 1) the victim ticked done, ascending.
pub fn steps_done(conn: &mut DbConn, intake_id: &IntakeId) -> Result<Vec<i32>, AppError> {
    Ok(intake_steps::table
        .filter(intake_steps::intake_id.eq(intake_id))
        .filter(intake_steps::done.eq(true))
        .order(intake_steps::step.asc())
        .select(intake_steps::step)
        .load(conn)?)
}

/// Records a step as done or not (update, else insert: no `ON CONFLICT` across backends; the
/// caller holds the intake's lock, so nobody inserts in between).
pub fn set_step(
    conn: &mut DbConn,
    intake_id: &IntakeId,
    step: i32,
    done: bool,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let target = intake_steps::table
        .filter(intake_steps::intake_id.eq(intake_id))
        .filter(intake_steps::step.eq(step));
    let changed = diesel::update(target)
        .set((
            intake_steps::done.eq(done),
            intake_steps::updated_at.eq(now),
        ))
        .execute(conn)?;
    if changed == 0 {
        diesel::insert_into(intake_steps::table)
            .values((
                intake_steps::intake_id.eq(intake_id),
                intake_steps::step.eq(step),
                intake_steps::done.eq(done),
                intake_steps::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    // Victim activity: an unmatched intake counts as untouched for retention from here.
    diesel::update(intakes::table.find(intake_id))
        .set(intakes::updated_at.eq(now))
        .execute(conn)?;
    Ok(())
}

/// What a one-click link may be used for.
pub const FEEDBACK: &str = "feedback";
pub const RESILIENCE: &str = "resilience";

pub fn add_link_token(
    conn: &mut DbConn,
    intake_id: &IntakeId,
    purpose: &str,
    token_hash: &str,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    diesel::insert_into(intake_link_tokens::table)
        .values((
            intake_link_tokens::token_hash.eq(token_hash),
            intake_link_tokens::intake_id.eq(intake_id),
            intake_link_tokens::purpose.eq(purpose),
            intake_link_tokens::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// The intake a one-click token for `purpose` belongs to.
pub fn intake_for_link_token(
    conn: &mut DbConn,
    token_hash: &str,
    purpose: &str,
) -> Result<Option<IntakeId>, AppError> {
    Ok(intake_link_tokens::table
        .find(token_hash)
        .filter(intake_link_tokens::purpose.eq(purpose))
        .select(intake_link_tokens::intake_id)
        .first(conn)
        .optional()?)
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = intake_feedback)]
pub struct FeedbackRow {
    pub intake_id: IntakeId,
    pub helped: i32,
    pub resolved: bool,
    pub more_resilient: bool,
    pub comment: Option<String>,
    pub created_at: NaiveDateTime,
    /// "Did the expert offer you paid services?"; `None` for feedback given before it was asked.
    pub offered_paid_services: Option<bool>,
}

pub fn feedback_of(
    conn: &mut DbConn,
    intake_id: &IntakeId,
) -> Result<Option<FeedbackRow>, AppError> {
    Ok(intake_feedback::table
        .find(intake_id)
        .select(FeedbackRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn insert_feedback(conn: &mut DbConn, row: &FeedbackRow) -> Result<(), AppError> {
    diesel::insert_into(intake_feedback::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = intake_resilience)]
pub struct ResilienceRow {
    pub intake_id: IntakeId,
    pub mfa_enabled: bool,
    pub offline_backups: bool,
    pub reported_to_police: bool,
    pub comment: Option<String>,
    pub created_at: NaiveDateTime,
}

pub fn resilience_of(
    conn: &mut DbConn,
    intake_id: &IntakeId,
) -> Result<Option<ResilienceRow>, AppError> {
    Ok(intake_resilience::table
        .find(intake_id)
        .select(ResilienceRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn insert_resilience(conn: &mut DbConn, row: &ResilienceRow) -> Result<(), AppError> {
    diesel::insert_into(intake_resilience::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// Intakes due a feedback invitation: closed, connected since `connected_before`, or connected
/// and the expert completed the work (the rule of `cases::feedback::feedback_due`); not yet
/// invited, no feedback given yet, and with an address to write to.
pub fn due_feedback_invitations(
    conn: &mut DbConn,
    connected_before: NaiveDateTime,
    limit: i64,
) -> Result<Vec<IntakeId>, AppError> {
    Ok(intakes::table
        .filter(intakes::feedback_invited_at.is_null())
        .filter(intakes::contact_email.is_not_null())
        .filter(diesel::dsl::not(diesel::dsl::exists(
            intake_feedback::table.filter(intake_feedback::intake_id.eq(intakes::id)),
        )))
        .filter(
            intakes::status.eq(IntakeStatus::Closed).or(intakes::status
                .eq(IntakeStatus::Connected)
                .and(
                    intakes::connected_at
                        .le(connected_before)
                        .or(diesel::dsl::exists(
                            help_requests::table
                                .filter(help_requests::intake_id.eq(intakes::id))
                                .filter(help_requests::status.eq(RequestStatus::Completed)),
                        )),
                )),
        )
        .order(intakes::id.asc())
        .limit(limit)
        .select(intakes::id)
        .load(conn)?)
}

/// Intakes due the resilience check: helped (connected or closed after a connection), created
/// before `created_before`, not yet asked and not yet answered.
pub fn due_resilience_checks(
    conn: &mut DbConn,
    created_before: NaiveDateTime,
    limit: i64,
) -> Result<Vec<IntakeId>, AppError> {
    Ok(intakes::table
        .filter(intakes::resilience_invited_at.is_null())
        .filter(intakes::contact_email.is_not_null())
        .filter(diesel::dsl::not(diesel::dsl::exists(
            intake_resilience::table.filter(intake_resilience::intake_id.eq(intakes::id)),
        )))
        .filter(intakes::connected_at.is_not_null())
        .filter(intakes::status.eq_any(IntakeStatus::FEEDBACK))
        .filter(intakes::created_at.le(created_before))
        .order(intakes::id.asc())
        .limit(limit)
        .select(intakes::id)
        .load(conn)?)
}

/// Marks the feedback invitation sent; false when another run already did.
pub fn mark_feedback_invited(
    conn: &mut DbConn,
    id: &str,
    now: NaiveDateTime,
) -> Result<bool, AppError> {
    let changed = diesel::update(
        intakes::table
            .filter(intakes::id.eq(id))
            .filter(intakes::feedback_invited_at.is_null()),
    )
    .set(intakes::feedback_invited_at.eq(now))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Marks the resilience check sent; false when another run already did.
pub fn mark_resilience_invited(
    conn: &mut DbConn,
    id: &str,
    now: NaiveDateTime,
) -> Result<bool, AppError> {
    let changed = diesel::update(
        intakes::table
            .filter(intakes::id.eq(id))
            .filter(intakes::resilience_invited_at.is_null()),
    )
    .set(intakes::resilience_invited_at.eq(now))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Blanks the personal fields of an intake and its free texts, snaps the point to its place's
/// coordinates and marks it erased. What statistics need (type, urgency, region, week, company
/// size and sector, outcome, feedback scores) stays.
pub fn erase(
    conn: &mut DbConn,
    id: &IntakeId,
    place: (f64, f64),
    now: NaiveDateTime,
) -> Result<(), AppError> {
    diesel::update(intakes::table.find(id))
        .set((
            intakes::status.eq(IntakeStatus::Erased),
            intakes::erased_at.eq(now),
            intakes::updated_at.eq(now),
        ))
        .execute(conn)?;
    blank_personal_data(conn, id, place)
}

/// The part erasure and pseudonymisation share: the victim's identity (name, email, phone,
/// company name and KvK number), the description, the free-text comments of feedback and the
/// resilience check, and the exact point (`place`: the coordinates it is snapped to). Type,
/// urgency, region, dates, status, outcome, company size and sector and the scores stay, and so
/// do the outcome answers (`resilience_answers`, `offered_paid_services`): not personal data.
pub fn blank_personal_data(
    conn: &mut DbConn,
    id: &IntakeId,
    place: (f64, f64),
) -> Result<(), AppError> {
    diesel::update(intakes::table.find(id))
        .set((
            intakes::contact_name.eq(None::<String>),
            intakes::contact_email.eq(None::<String>),
            intakes::contact_phone.eq(None::<String>),
            intakes::company_name.eq(None::<String>),
            intakes::company_kvk.eq(None::<String>),
            intakes::description.eq(None::<String>),
            intakes::request_fingerprint.eq(None::<String>),
            intakes::lat.eq(place.0),
            intakes::lon.eq(place.1),
        ))
        .execute(conn)?;
    diesel::update(intake_feedback::table.find(id))
        .set(intake_feedback::comment.eq(None::<String>))
        .execute(conn)?;
    diesel::update(intake_resilience::table.find(id))
        .set(intake_resilience::comment.eq(None::<String>))
        .execute(conn)?;
    Ok(())
}

/// The outbox ids of every email about an intake still on record (sent or given up).
pub fn email_ids(conn: &mut DbConn, intake_id: &IntakeId) -> Result<Vec<String>, AppError> {
    Ok(outbox::table
        .filter(outbox::intake_id.eq(intake_id))
        .select(outbox::id)
        .load(conn)?)
}

/// What an erased intake's victim emails are addressed to afterwards (a placeholder address, not
/// the intake status of the same spelling).
pub const ERASED_RECIPIENT: &str = "erased";

/// Emails about an intake: the ones not yet sent are dropped, the sent ones (kept for the
/// delivery record) lose their text; a message to `victim_email` also loses its address.
pub fn erase_emails(
    conn: &mut DbConn,
    intake_id: &IntakeId,
    victim_email: Option<&str>,
) -> Result<(), AppError> {
    diesel::delete(
        outbox::table
            .filter(outbox::intake_id.eq(intake_id))
            .filter(outbox::sent_at.is_null())
            .filter(outbox::gave_up_at.is_null()),
    )
    .execute(conn)?;
    blank_emails(conn, intake_id, victim_email, ERASED_RECIPIENT)
}

/// Emails about an intake that are sent or given up lose subject (`[marker]`) and bodies; a
/// message to `victim_email` also loses its address (`marker`). Emails still queued are left.
pub fn blank_emails(
    conn: &mut DbConn,
    intake_id: &IntakeId,
    victim_email: Option<&str>,
    marker: &str,
) -> Result<(), AppError> {
    let done = outbox::sent_at
        .is_not_null()
        .or(outbox::gave_up_at.is_not_null());
    diesel::update(
        outbox::table
            .filter(outbox::intake_id.eq(intake_id))
            .filter(done),
    )
    .set((
        outbox::subject.eq(format!("[{marker}]")),
        outbox::text_body.eq(""),
        outbox::html_body.eq(""),
    ))
    .execute(conn)?;
    if let Some(email) = victim_email {
        diesel::update(
            outbox::table
                .filter(outbox::intake_id.eq(intake_id))
                .filter(done)
                .filter(
                    outbox::recipient
                        .like(format!("%<{email}>"))
                        .or(outbox::recipient.eq(email)),
                )
                .filter(outbox::recipient.ne("")),
        )
        .set(outbox::recipient.eq(marker))
        .execute(conn)?;
    }
    Ok(())
}
