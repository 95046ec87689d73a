//! Telling experts about a new code of conduct. Publishing a version stops every expert from
//! being matched until they accept it again; without an email they would only notice by getting
//! no more requests. The lifecycle job calls [`notify_due`] on each pass: a bounded number of
//! experts per pass (100,000 experts must not stall request expiry), one transaction each, with
//! a conditional update so several instances never email an expert twice.

use serde_json::json;

use super::{Ctx, email_expert};
use crate::db::models::audit::{self, actions};
use crate::db::models::{code_of_conduct, expert};
use crate::db::{DbConn, write_tx};
use crate::domain::ExpertId;
use crate::error::AppError;

const BATCH: i64 = 100;

/// A moderator publishes the next version (texts already checked): from then on experts must
/// accept it again before they are matched. Audited in the same transaction.
pub fn publish(
    conn: &mut DbConn,
    ctx: Ctx<'_>,
    moderator_id: &str,
    text_nl: &str,
    text_en: &str,
) -> Result<code_of_conduct::CodeOfConduct, AppError> {
    write_tx(conn, |conn| {
        let row = code_of_conduct::publish(conn, text_nl, text_en, moderator_id, ctx.now)?;
        audit::record(
            conn,
            ctx.now,
            audit::NewEntry {
                actor: audit::Actor::Moderator(moderator_id),
                action: actions::CODE_OF_CONDUCT_PUBLISHED,
                subject_kind: "code_of_conduct",
                subject_id: &row.version.to_string(),
                reason: None,
                details: json!({ "version": row.version }),
            },
        )?;
        Ok(row)
    })
}

/// Emails up to `max` experts who have yet to hear of the current version; returns how many.
pub fn notify_due(conn: &mut DbConn, ctx: Ctx<'_>, max: usize) -> Result<usize, AppError> {
    let current = code_of_conduct::current_version(conn)?;
    let mut sent = 0;
    while sent < max {
        let due = code_of_conduct::due_notices(conn, current, BATCH.min((max - sent) as i64))?;
        let mut progress = 0;
        for id in &due {
            match notify(conn, ctx, id, current) {
                Ok(true) => progress += 1,
                Ok(false) => {}
                Err(e) => {
                    tracing::error!(expert_id = %id, error = %e, "could not send code-of-conduct notice")
                }
            }
        }
        sent += progress;
        if due.len() < BATCH as usize || progress == 0 {
            break;
        }
    }
    Ok(sent)
}

fn notify(conn: &mut DbConn, ctx: Ctx<'_>, id: &ExpertId, current: i32) -> Result<bool, AppError> {
    write_tx(conn, |conn| {
        if !code_of_conduct::mark_notified(conn, id, current)? {
            return Ok(false);
        }
        let row = expert::get(conn, id)?;
        email_expert(
            conn,
            ctx,
            &row,
            "code_of_conduct_updated",
            json!({
                "contact_name": row.contact_name,
                "company_name": row.company_name,
                "version": current,
                "read_url": ctx.settings.link("code-of-conduct"),
                "profile_url": ctx.settings.link("expert"),
            }),
        )?;
        Ok(true)
    })
}
