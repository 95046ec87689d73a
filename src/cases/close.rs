//! The victim's side of a running case: ticking first-aid steps, closing with an outcome, and
//! erasure of its personal data (statistics stay).

use crate::db::models::audit::actions;
use serde_json::json;

use super::{Ctx, audit, notify, offer, wrong_state};
use crate::db::models::audit::Actor;
use crate::db::models::intake::{self, IntakeRow};
use crate::db::models::{case, expert, request};
use crate::db::{DbConn, write_tx};
use crate::domain::{IntakeId, RequestStatus};
use crate::error::AppError;
use crate::geo::Geocoder;
use crate::i18n::Lang;

pub const OUTCOMES: [&str; 3] = ["resolved", "unresolved", "no_longer_needed"];

/// The outcome in the words of an expert's email (a staff language).
pub fn outcome_label(outcome: &str, lang: Lang) -> &'static str {
    match (outcome, lang.staff()) {
        ("resolved", Lang::Nl) => "opgelost",
        ("resolved", _) => "resolved",
        ("unresolved", Lang::Nl) => "niet opgelost",
        ("unresolved", _) => "not resolved",
        (_, Lang::Nl) => "hulp niet meer nodig",
        _ => "help no longer needed",
    }
}

/// Marks first-aid step `step` (from 1) done or not done; the connected expert sees it.
pub fn set_step(
    conn: &mut DbConn,
    ctx: Ctx<'_>,
    intake_id: &IntakeId,
    step: i32,
    done: bool,
) -> Result<Vec<i32>, AppError> {
    write_tx(conn, |conn| {
        let row = intake::lock(conn, intake_id)?;
        if row.status.is_erased() {
            return Err(wrong_state(row.status));
        }
        let steps = ctx
            .catalogue
            .get(row.incident_type)
            .text(crate::intakes::lang_of(&row))
            .steps
            .len();
        if step < 1 || usize::try_from(step).unwrap_or(usize::MAX) > steps {
            return Err(AppError::NotFound);
        }
        case::set_step(conn, intake_id, step, done, ctx.now)?;
        let details = json!({ "step": step, "done": done });
        audit(
            conn,
            &ctx,
            Actor::Victim(intake_id),
            actions::INTAKE_STEP_MARKED,
            ("intake", intake_id),
            None,
            details,
        )?;
        case::steps_done(conn, intake_id)
    })
}

/// Ends the connection part of a case: pending requests are withdrawn; a connected expert's
/// request is closed (freeing one of its open cases) and the expert is told.
fn end_requests(
    conn: &mut DbConn,
    ctx: &Ctx<'_>,
    row: &IntakeRow,
    outcome: Option<&str>,
) -> Result<(), AppError> {
    offer::withdraw_pending(conn, ctx, row, Actor::Victim(&row.id), false)?;
    let Some(req) = request::connection_of(conn, &row.id)? else {
        return Ok(());
    };
    if request::transition(
        conn,
        &req.id,
        RequestStatus::Accepted,
        RequestStatus::Closed,
        ctx.now,
    )? {
        request::release_case(conn, &req.expert_id)?;
        let details = json!({ "intake_id": row.id, "expert_id": req.expert_id });
        audit(
            conn,
            ctx,
            Actor::Victim(&row.id),
            actions::REQUEST_CLOSED,
            ("request", &req.id),
            None,
            details,
        )?;
    }
    if matches!(
        req.status,
        RequestStatus::Accepted | RequestStatus::Completed
    ) {
        let found = expert::get(conn, &req.expert_id)?;
        notify::case_ended(conn, ctx, row, &found, outcome)?;
    }
    Ok(())
}

/// The victim closes the case with an outcome; a second close is a 409.
pub fn close(
    conn: &mut DbConn,
    ctx: Ctx<'_>,
    intake_id: &IntakeId,
    outcome: &str,
) -> Result<(), AppError> {
    if !OUTCOMES.contains(&outcome) {
        return Err(AppError::field(
            "outcome",
            "must be resolved, unresolved or no_longer_needed",
        ));
    }
    write_tx(conn, |conn| {
        let row = intake::lock(conn, intake_id)?;
        if !intake::close(conn, intake_id, outcome, ctx.now)? {
            return Err(wrong_state(row.status));
        }
        end_requests(conn, &ctx, &row, Some(outcome))?;
        let details = json!({ "outcome": outcome, "from": row.status });
        audit(
            conn,
            &ctx,
            Actor::Victim(intake_id),
            actions::INTAKE_CLOSED,
            ("intake", intake_id),
            None,
            details,
        )
    })
}

/// Erases the victim's personal data: name, email, phone, company name and KvK number,
/// description, free-text comments, the emails about the case not yet sent (sent ones lose their
/// text), and the exact point (snapped to the place's coordinates). Type, urgency, region, week,
/// company size and sector, outcome and scores stay for the statistics. Erasing twice is fine.
/// Without SMTP, the `.eml` copies of the intake's emails under `MAIL_DIR` are deleted too.
pub fn erase(
    conn: &mut DbConn,
    ctx: Ctx<'_>,
    geocoder: &dyn Geocoder,
    intake_id: &IntakeId,
) -> Result<(), AppError> {
    erase_record(conn, ctx, geocoder, intake_id)?;
    crate::mail::transport::delete_copies(ctx.settings, &case::email_ids(conn, intake_id)?);
    Ok(())
}

fn erase_record(
    conn: &mut DbConn,
    ctx: Ctx<'_>,
    geocoder: &dyn Geocoder,
    intake_id: &IntakeId,
) -> Result<(), AppError> {
    write_tx(conn, |conn| {
        let row = intake::lock(conn, intake_id)?;
        if row.status.is_erased() {
            return Ok(());
        }
        let place = snapped_point(geocoder, &row);
        case::erase_emails(conn, intake_id, row.contact_email.as_deref())?;
        case::erase(conn, intake_id, place, ctx.now)?;
        let mut erased = row.clone();
        erased.contact_name = None;
        erased.contact_email = None;
        erased.contact_phone = None;
        erased.company_name = None;
        erased.description = None;
        end_requests(conn, &ctx, &erased, None)?;
        let details = json!({ "from": row.status });
        audit(
            conn,
            &ctx,
            Actor::Victim(intake_id),
            actions::INTAKE_ERASED,
            ("intake", intake_id),
            None,
            details,
        )
    })
}

/// The intake's point snapped to its place (or the nearest known place, else rounded to 0.1°),
/// so that no exact address stays behind once personal data is removed.
pub fn snapped_point(geocoder: &dyn Geocoder, row: &IntakeRow) -> (f64, f64) {
    geocoder
        .find(&row.place)
        .map(|p| (p.lat, p.lon))
        .or_else(|| geocoder.nearest(row.lat, row.lon).map(|p| (p.lat, p.lon)))
        .unwrap_or((
            (row.lat * 10.0).round() / 10.0,
            (row.lon * 10.0).round() / 10.0,
        ))
}
