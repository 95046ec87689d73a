//! Help requests: the victim asks matched experts; an expert accepts (the first one connects the
//! case and the other pending requests are withdrawn), declines, or completes a connected case.

use crate::db::models::audit::actions;
use serde_json::json;

use super::{Ctx, audit, notify, offer, wrong_state};
use crate::db::models::audit::Actor;
use crate::db::models::expert::ExpertRow;
use crate::db::models::request::{self, RequestRow};
use crate::db::models::{code_of_conduct, expert, intake};
use crate::db::{DbConn, write_tx};
use crate::domain::{ExpertId, ExpertStatus, IntakeId, IntakeStatus, RequestId, RequestStatus};
use crate::error::{AppError, ConflictKind, FieldError};
use crate::matching::MAX_MATCHES;

/// Asks each of `expert_ids` (from this intake's current matches) for help.
pub fn ask(
    conn: &mut DbConn,
    ctx: Ctx<'_>,
    intake_id: &IntakeId,
    expert_ids: &[ExpertId],
) -> Result<Vec<RequestRow>, AppError> {
    if expert_ids.is_empty() || expert_ids.len() > MAX_MATCHES {
        return Err(AppError::field(
            "expert_ids",
            format!("must name 1 to {MAX_MATCHES} of this case's matches"),
        ));
    }
    write_tx(conn, |conn| {
        let row = intake::lock(conn, intake_id)?;
        if !row.status.can_ask() {
            return Err(wrong_state(row.status));
        }
        let experts = chosen(conn, intake_id, expert_ids)?;
        let expires_at = ctx.now + ctx.settings.request_ttl(row.urgency);
        let from = [IntakeStatus::Open];
        intake::set_status(conn, intake_id, &from, IntakeStatus::Requested, ctx.now)?;
        let mut created = Vec::new();
        for found in &experts {
            let req = RequestRow {
                id: RequestId::generate(),
                intake_id: intake_id.to_owned(),
                expert_id: found.id.clone(),
                status: RequestStatus::Pending,
                created_at: ctx.now,
                expires_at,
                responded_at: None,
                decline_reason: None,
                completed_at: None,
                summary: None,
            };
            request::insert(conn, &req)?;
            let details =
                json!({ "expert_id": found.id, "intake_id": intake_id, "expires_at": expires_at });
            audit(
                conn,
                &ctx,
                Actor::Victim(intake_id),
                actions::REQUEST_SENT,
                ("request", &req.id),
                None,
                details,
            )?;
            notify::help_request(conn, &ctx, &row, found, &req)?;
            created.push(req);
        }
        Ok(created)
    })
}

/// The experts named in an ask: each one of the intake's current matches, named once, not asked
/// before and still available. Every problem is reported under its `expert_ids[i]`.
fn chosen(
    conn: &mut DbConn,
    intake_id: &IntakeId,
    expert_ids: &[ExpertId],
) -> Result<Vec<ExpertRow>, AppError> {
    let matched: Vec<ExpertId> = intake::matches_of(conn, intake_id)?
        .into_iter()
        .map(|(m, _)| m.expert_id)
        .collect();
    let asked = request::asked_experts(conn, intake_id)?;
    let current_coc = code_of_conduct::current_version(conn)?;
    // Room for one more request is counted per expert: asks on other intakes (other instances)
    // wait here, in one order, so two of them cannot both take an expert's last free place.
    let mut lock_order: Vec<&ExpertId> = expert_ids.iter().collect();
    lock_order.sort();
    lock_order.dedup();
    for id in lock_order {
        crate::db::serialize_on(conn, &format!("expert_capacity:{id}"))?;
    }
    let mut errors = Vec::new();
    let mut experts = Vec::new();
    for (i, id) in expert_ids.iter().enumerate() {
        let field = format!("expert_ids[{i}]");
        if expert_ids[..i].contains(id) {
            errors.push(FieldError::new(field, "is named twice"));
        } else if !matched.contains(id) {
            errors.push(FieldError::new(field, "is not one of this case's matches"));
        } else if asked.contains(id) {
            errors.push(FieldError::new(field, "was already asked for this case"));
        } else {
            let found = expert::get(conn, id)?;
            let waiting = request::pending_for_expert(conn, id)?;
            let available = found.status == ExpertStatus::Approved
                && !found.paused
                && i64::from(found.open_cases) + waiting < i64::from(found.capacity)
                && found.code_of_conduct_version == current_coc;
            if available {
                experts.push(found);
            } else {
                errors.push(FieldError::new(
                    field,
                    "is no longer available; please choose another expert",
                ));
            }
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    Ok(experts)
}

/// The request, sent to this expert, and its intake locked; 404 when it is someone else's.
fn load(
    conn: &mut DbConn,
    request_id: &RequestId,
    expert_id: &ExpertId,
) -> Result<(RequestRow, intake::IntakeRow), AppError> {
    let req = request::get_for_expert(conn, request_id, expert_id)?;
    let row = intake::lock(conn, &req.intake_id)?;
    // Read again under the lock: the first read may predate a concurrent change.
    let req = request::get_for_expert(conn, request_id, expert_id)?;
    Ok((req, row))
}

fn not_pending(req: &RequestRow, now: chrono::NaiveDateTime) -> AppError {
    AppError::Conflict(match req.status {
        RequestStatus::Pending if req.expires_at <= now => ConflictKind::RequestExpired,
        RequestStatus::Expired => ConflictKind::RequestExpired,
        RequestStatus::Withdrawn => ConflictKind::RequestWithdrawn,
        RequestStatus::Declined => ConflictKind::RequestDeclined,
        RequestStatus::Completed => ConflictKind::RequestCompleted,
        _ => ConflictKind::RequestAccepted,
    })
}

/// The first acceptance connects the case. Losing a race, accepting an expired or withdrawn
/// request, or being at capacity is a 409, and nothing changes.
pub fn accept(
    conn: &mut DbConn,
    ctx: Ctx<'_>,
    request_id: &RequestId,
    expert_id: &ExpertId,
) -> Result<RequestRow, AppError> {
    write_tx(conn, |conn| {
        let (mut req, mut row) = load(conn, request_id, expert_id)?;
        if !request::accept(conn, &req.id, ctx.now)? {
            return Err(not_pending(&req, ctx.now));
        }
        if !intake::connect(conn, &row.id, expert_id, ctx.now)? {
            return Err(AppError::Conflict(ConflictKind::AlreadyConnected));
        }
        if !request::take_case(conn, expert_id)? {
            return Err(AppError::Conflict(ConflictKind::AtCapacity));
        }
        let found = expert::get(conn, expert_id)?;
        let minutes = (ctx.now - req.created_at).num_minutes();
        audit(
            conn,
            &ctx,
            Actor::Expert(expert_id),
            actions::REQUEST_ACCEPTED,
            ("request", &req.id),
            None,
            json!({ "intake_id": row.id, "minutes_to_accept": minutes }),
        )?;
        audit(
            conn,
            &ctx,
            Actor::Expert(expert_id),
            actions::INTAKE_CONNECTED,
            ("intake", &row.id),
            None,
            json!({ "expert_id": expert_id, "request_id": req.id }),
        )?;
        offer::withdraw_pending(conn, &ctx, &row, Actor::System, true)?;
        notify::connected(conn, &ctx, &row, &found, &req)?;
        req.status = RequestStatus::Accepted;
        req.responded_at = Some(ctx.now);
        row.status = IntakeStatus::Connected;
        Ok(req)
    })
}

/// The expert says no (optionally why). When nobody else is still asked, the victim is offered
/// the next matches at once.
pub fn decline(
    conn: &mut DbConn,
    ctx: Ctx<'_>,
    request_id: &RequestId,
    expert_id: &ExpertId,
    reason: Option<&str>,
) -> Result<RequestRow, AppError> {
    write_tx(conn, |conn| {
        let (mut req, row) = load(conn, request_id, expert_id)?;
        if req.expires_at <= ctx.now
            || !request::transition(
                conn,
                &req.id,
                RequestStatus::Pending,
                RequestStatus::Declined,
                ctx.now,
            )?
        {
            return Err(not_pending(&req, ctx.now));
        }
        if let Some(reason) = reason {
            request::set_decline_reason(conn, &req.id, reason)?;
        }
        audit(
            conn,
            &ctx,
            Actor::Expert(expert_id),
            actions::REQUEST_DECLINED,
            ("request", &req.id),
            reason,
            json!({ "intake_id": row.id }),
        )?;
        offer::move_on_if_unanswered(conn, &ctx, &row)?;
        req.status = RequestStatus::Declined;
        req.decline_reason = reason.map(str::to_owned);
        Ok(req)
    })
}

/// The connected expert marks the work done. Frees one of its open cases (unless the victim's
/// closing already did).
pub fn complete(
    conn: &mut DbConn,
    ctx: Ctx<'_>,
    request_id: &RequestId,
    expert_id: &ExpertId,
    summary: Option<&str>,
) -> Result<RequestRow, AppError> {
    write_tx(conn, |conn| {
        let (mut req, row) = load(conn, request_id, expert_id)?;
        let from = req.status;
        if !from.can_complete() || !request::complete(conn, &req.id, from, summary, ctx.now)? {
            return Err(AppError::Conflict(match from {
                RequestStatus::Completed => ConflictKind::RequestCompleted,
                _ => ConflictKind::RequestNotAccepted,
            }));
        }
        if from == RequestStatus::Accepted {
            request::release_case(conn, expert_id)?;
        }
        audit(
            conn,
            &ctx,
            Actor::Expert(expert_id),
            actions::REQUEST_COMPLETED,
            ("request", &req.id),
            None,
            json!({ "intake_id": row.id, "summary_given": summary.is_some() }),
        )?;
        req.status = RequestStatus::Completed;
        req.completed_at = Some(ctx.now);
        req.summary = summary.map(str::to_owned);
        Ok(req)
    })
}
