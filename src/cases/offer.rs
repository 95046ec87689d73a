//! Moving on: withdrawing pending requests, and offering the victim the next matches when every
//! expert asked declined or let the request expire (matching again without them). When nobody
//! is left the intake becomes `unmatched` and the moderators are alerted.

use crate::db::models::audit::actions;
use serde_json::json;

use super::{Ctx, audit, notify};
use crate::db::DbConn;
use crate::db::models::audit::Actor;
use crate::db::models::intake::{self, IntakeRow};
use crate::db::models::{expert, request};
use crate::domain::token::NewToken;
use crate::domain::{IntakeId, IntakeStatus};
use crate::error::AppError;
use crate::matching::Match;

/// Withdraws the intake's pending requests and tells each expert (`other_expert`: because
/// another expert accepted; else because the victim closed or erased the case).
pub fn withdraw_pending(
    conn: &mut DbConn,
    ctx: &Ctx<'_>,
    row: &IntakeRow,
    actor: Actor<'_>,
    other_expert: bool,
) -> Result<(), AppError> {
    for req in request::pending_of_intake(conn, &row.id)? {
        if !request::transition(
            conn,
            &req.id,
            crate::domain::RequestStatus::Pending,
            crate::domain::RequestStatus::Withdrawn,
            ctx.now,
        )? {
            continue;
        }
        let why = if other_expert {
            "other_expert"
        } else {
            "case_ended"
        };
        let details = json!({ "intake_id": row.id, "expert_id": req.expert_id, "why": why });
        audit(
            conn,
            ctx,
            actor,
            actions::REQUEST_WITHDRAWN,
            ("request", &req.id),
            None,
            details,
        )?;
        let found = expert::get(conn, &req.expert_id)?;
        notify::request_withdrawn(conn, ctx, row, &found, other_expert)?;
    }
    Ok(())
}

/// When a `requested` intake has no pending request left, offers the next matches.
pub fn move_on_if_unanswered(
    conn: &mut DbConn,
    ctx: &Ctx<'_>,
    row: &IntakeRow,
) -> Result<(), AppError> {
    if row.status != IntakeStatus::Requested
        || !request::pending_of_intake(conn, &row.id)?.is_empty()
    {
        return Ok(());
    }
    let matches = rematch(conn, ctx, row)?;
    let rows = crate::intakes::match_rows(&row.id, &matches, ctx.now);
    intake::replace_matches(conn, &row.id, &rows)?;
    let actor = Actor::System;
    for (i, m) in matches.iter().enumerate() {
        let details = json!({
            "expert_id": m.expert_id, "rank": i + 1, "mode": m.mode,
            "distance_km": m.distance_km, "reason_codes": m.reasons, "round": "renewed",
        });
        audit(
            conn,
            ctx,
            actor,
            actions::REFERRAL_OFFERED,
            ("intake", &row.id),
            None,
            details,
        )?;
    }
    let next = if matches.is_empty() {
        IntakeStatus::Unmatched
    } else {
        IntakeStatus::Open
    };
    let from = [IntakeStatus::Requested];
    intake::set_status(conn, &row.id, &from, next, ctx.now)?;
    if let Some(top) = matches.first() {
        intake::mark_referred(conn, &top.expert_id, ctx.now)?;
    }
    let token = NewToken::generate();
    intake::add_token(conn, &row.id, &token.hash, ctx.now)?;
    notify::matches_renewed(conn, ctx, row, &token.secret, matches.len())?;
    if matches.is_empty() {
        let details = json!({ "reason": "nobody accepted in time" });
        audit(
            conn,
            ctx,
            actor,
            actions::INTAKE_UNMATCHED,
            ("intake", &row.id),
            None,
            details,
        )?;
        crate::intakes::notify::unmatched(conn, *ctx, ctx.catalogue, row)?;
    }
    Ok(())
}

/// Matching again for a stored intake, without the experts who declined or let it expire.
fn rematch(conn: &mut DbConn, ctx: &Ctx<'_>, row: &IntakeRow) -> Result<Vec<Match>, AppError> {
    let exclude = request::turned_down(conn, &row.id)?;
    crate::intakes::matches_for(conn, ctx.candidates, ctx.catalogue, row, exclude)
}

/// The victim does not wait for the experts asked (an acute case, say): matches again now,
/// without everyone asked before, so that the victim can ask the next ones at once. The experts
/// still pending keep their request and may still accept; the first acceptance connects as
/// always. The same matching as after an expiry ([`move_on_if_unanswered`]), the same referral
/// audit (round `asked_next`), and the victim's step itself in the audit log. Returns how many
/// new matches there are; with none, the matches stay as they were.
pub fn offer_next(
    conn: &mut DbConn,
    ctx: Ctx<'_>,
    intake_id: &IntakeId,
) -> Result<usize, AppError> {
    // The candidate index follows the expert change log only outside a transaction: bring it up
    // to date first, so that experts approved since it last looked are among the next ones.
    ctx.candidates.catch_up(conn)?;
    crate::db::write_tx(conn, |conn| {
        let row = intake::lock(conn, intake_id)?;
        if !row.status.can_ask() {
            return Err(super::wrong_state(row.status));
        }
        if row.status != IntakeStatus::Requested
            || request::pending_of_intake(conn, &row.id)?.is_empty()
        {
            return Err(AppError::Conflict(crate::error::ConflictKind::NotWaiting));
        }
        let asked = request::asked_experts(conn, &row.id)?;
        let matches =
            crate::intakes::matches_for(conn, ctx.candidates, ctx.catalogue, &row, asked)?;
        let details = json!({ "matches": matches.len() });
        audit(
            conn,
            &ctx,
            Actor::Victim(intake_id),
            actions::INTAKE_ASKED_NEXT,
            ("intake", &row.id),
            None,
            details,
        )?;
        if matches.is_empty() {
            return Ok(0);
        }
        let rows = crate::intakes::match_rows(&row.id, &matches, ctx.now);
        intake::replace_matches(conn, &row.id, &rows)?;
        for (i, m) in matches.iter().enumerate() {
            let details = json!({
                "expert_id": m.expert_id, "rank": i + 1, "mode": m.mode,
                "distance_km": m.distance_km, "reason_codes": m.reasons, "round": "asked_next",
            });
            audit(
                conn,
                &ctx,
                Actor::System,
                actions::REFERRAL_OFFERED,
                ("intake", &row.id),
                None,
                details,
            )?;
        }
        if let Some(top) = matches.first() {
            intake::mark_referred(conn, &top.expert_id, ctx.now)?;
        }
        Ok(matches.len())
    })
}
