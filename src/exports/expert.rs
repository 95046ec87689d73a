//! The expert's export: its profile and expertise, the requests it received with their outcome
//! (anonymised exactly like `GET /api/v1/experts/me/requests`: the victim's identity only on the
//! request whose acceptance connected this expert), the complaints about it with what moderators
//! did, and the audit entries about it or by it. No password hash, no token (hash), nothing about
//! other experts; moderators appear as "a moderator", without their id.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use serde_json::Value;

use super::{Header, Subject};
use crate::cases::view::{ExpertRequestView, for_expert};
use crate::db::DbConn;
use crate::db::models::audit::AuditEntry;
use crate::db::models::complaint::{self, ComplaintRow};
use crate::db::models::{expert as expert_rows, request};
use crate::db::schema::{audit_log, complaints, intakes};
use crate::domain::{ComplaintId, ComplaintStatus, ExpertId, IntakeId, IntakeStatus};
use crate::error::AppError;
use crate::experts::ExpertView;
use crate::i18n::Lang;
use crate::incidents::Catalogue;

/// More requests than any expert receives; the export is complete, not a page.
const ALL: i64 = 1_000_000;

#[derive(Serialize)]
pub struct Expertise {
    pub code: String,
    pub name: String,
}

#[derive(Serialize)]
pub struct ActionView {
    pub action: String,
    pub occurred_at: NaiveDateTime,
    pub reason: Option<String>,
}

#[derive(Serialize)]
pub struct ComplaintView {
    pub id: ComplaintId,
    pub intake_id: IntakeId,
    /// Left out once the victim erased the intake (free text that may name them).
    pub reason: Option<String>,
    pub status: ComplaintStatus,
    pub created_at: NaiveDateTime,
    /// What moderators did about it.
    pub actions: Vec<ActionView>,
}

#[derive(Serialize)]
pub struct AuditView {
    pub id: String,
    pub occurred_at: NaiveDateTime,
    pub actor_kind: String,
    /// The actor's id when it is this expert, a victim's intake or the system; never a
    /// moderator's.
    pub actor_id: Option<String>,
    pub action: String,
    pub subject_kind: String,
    pub subject_id: String,
    pub reason: Option<String>,
    pub details: Value,
}

/// The expert's export document.
#[derive(Serialize)]
pub struct ExpertExport {
    #[serde(flatten)]
    pub header: Header,
    /// As `GET /api/v1/experts/me` shows it.
    pub profile: ExpertView,
    pub expertise: Vec<Expertise>,
    /// Newest first, as in `GET /api/v1/experts/me/requests`.
    pub requests: Vec<ExpertRequestView>,
    pub complaints: Vec<ComplaintView>,
    /// Oldest first.
    pub audit: Vec<AuditView>,
}

/// Builds the export of expert `id`, with incident names in `lang`.
pub fn build(
    conn: &mut DbConn,
    catalogue: &Catalogue,
    lang: Lang,
    id: &ExpertId,
    now: NaiveDateTime,
) -> Result<ExpertExport, AppError> {
    let row = expert_rows::get(conn, id)?;
    let profile = ExpertView::load(conn, row)?;
    let expertise = profile
        .expertise
        .iter()
        .map(|t| Expertise {
            code: t.as_str().to_owned(),
            name: catalogue.get(*t).text(lang).name.clone(),
        })
        .collect();
    let requests = request::of_expert(conn, id, ALL)?
        .into_iter()
        .map(|(r, row)| for_expert(conn, catalogue, lang, r, row))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ExpertExport {
        header: Header {
            exported_at: now,
            subject: Subject {
                kind: "expert",
                id: id.to_string(),
            },
        },
        profile,
        expertise,
        requests,
        complaints: complaints_about(conn, id)?,
        audit: audit_of(conn, id)?,
    })
}

fn complaints_about(conn: &mut DbConn, id: &ExpertId) -> Result<Vec<ComplaintView>, AppError> {
    let rows: Vec<(ComplaintRow, IntakeStatus)> = complaints::table
        .inner_join(intakes::table.on(intakes::id.eq(complaints::intake_id)))
        .filter(complaints::expert_id.eq(id))
        .order((complaints::created_at.asc(), complaints::id.asc()))
        .select((ComplaintRow::as_select(), intakes::status))
        .load(conn)?;
    let ids: Vec<ComplaintId> = rows.iter().map(|(c, _)| c.id.clone()).collect();
    let actions = complaint::actions_of(conn, &ids)?;
    Ok(rows
        .into_iter()
        .map(|(c, intake_status)| ComplaintView {
            actions: actions
                .iter()
                .filter(|(cid, _)| *cid == c.id)
                .map(|(_, a)| ActionView {
                    action: a.action.clone(),
                    occurred_at: a.occurred_at,
                    reason: a.reason.clone(),
                })
                .collect(),
            reason: (!intake_status.is_erased()).then_some(c.reason),
            id: c.id,
            intake_id: c.intake_id,
            status: c.status,
            created_at: c.created_at,
        })
        .collect())
}

/// Audit entries whose subject or actor is the expert, read with a plain select. A victim's
/// report that the expert offered paid services is left out: it names the case, and the expert
/// knows the connected victims' contact details, so the entry would tell who reported them.
fn audit_of(conn: &mut DbConn, id: &ExpertId) -> Result<Vec<AuditView>, AppError> {
    let rows: Vec<AuditEntry> = audit_log::table
        .filter(
            audit_log::subject_id
                .eq(id)
                .or(audit_log::actor_id.eq(Some(id))),
        )
        .filter(
            audit_log::action.ne(crate::db::models::audit_actions::FEEDBACK_PAID_SERVICES_REPORTED),
        )
        .order((audit_log::occurred_at.asc(), audit_log::id.asc()))
        .select(AuditEntry::as_select())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|e| AuditView {
            actor_id: e.actor_id.filter(|_| e.actor_kind != "moderator"),
            details: serde_json::from_str(&e.details).unwrap_or(Value::String(e.details)),
            id: e.id,
            occurred_at: e.occurred_at,
            actor_kind: e.actor_kind,
            action: e.action,
            subject_kind: e.subject_kind,
            subject_id: e.subject_id,
            reason: e.reason,
        })
        .collect())
}
