//! The append-only audit log: who did what to which subject, when and why. Rows hold ids and
//! codes, never names or contact details, so erasure leaves the log intact.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::{DbConn, schema::audit_log};
use crate::error::AppError;

/// Who caused an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor<'a> {
    System,
    Moderator(&'a str),
    Expert(&'a str),
    Victim(&'a str),
}

impl Actor<'_> {
    fn parts(self) -> (&'static str, Option<String>) {
        match self {
            Self::System => ("system", None),
            Self::Moderator(id) => ("moderator", Some(id.to_owned())),
            Self::Expert(id) => ("expert", Some(id.to_owned())),
            Self::Victim(id) => ("victim", Some(id.to_owned())),
        }
    }
}

#[derive(Debug, Clone, Serialize, Queryable, Selectable, Insertable)]
#[diesel(table_name = audit_log)]
pub struct AuditEntry {
    pub id: String,
    pub occurred_at: NaiveDateTime,
    pub actor_kind: String,
    pub actor_id: Option<String>,
    pub action: String,
    pub subject_kind: String,
    pub subject_id: String,
    pub reason: Option<String>,
    /// JSON object with action-specific facts (e.g. match reasons), stored as text.
    pub details: String,
}

/// What to record; `action` is a stable dotted code such as `expert.approved`.
pub struct NewEntry<'a> {
    pub actor: Actor<'a>,
    pub action: &'a str,
    pub subject_kind: &'a str,
    pub subject_id: &'a str,
    pub reason: Option<&'a str>,
    pub details: serde_json::Value,
}

/// Appends one entry; call it inside the transaction of the change it records.
pub fn record(
    conn: &mut DbConn,
    at: NaiveDateTime,
    entry: NewEntry<'_>,
) -> Result<AuditEntry, AppError> {
    let (actor_kind, actor_id) = entry.actor.parts();
    let row = AuditEntry {
        id: crate::db::new_id(),
        occurred_at: at,
        actor_kind: actor_kind.to_owned(),
        actor_id,
        action: entry.action.to_owned(),
        subject_kind: entry.subject_kind.to_owned(),
        subject_id: entry.subject_id.to_owned(),
        reason: entry.reason.map(str::to_owned),
        details: entry.details.to_string(),
    };
    diesel::insert_into(audit_log::table)
        .values(&row)
        .execute(conn)?;
    Ok(row)
}

/// Filters for reading the log, newest first.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub subject_kind: Option<String>,
    pub subject_id: Option<String>,
    pub action: Option<String>,
    /// Only entries older than this id (keyset paging).
    pub before_id: Option<String>,
    pub limit: i64,
}

pub fn list(conn: &mut DbConn, filter: &Filter) -> Result<Vec<AuditEntry>, AppError> {
    let mut query = audit_log::table
        .select(AuditEntry::as_select())
        .into_boxed();
    if let Some(kind) = &filter.subject_kind {
        query = query.filter(audit_log::subject_kind.eq(kind.clone()));
    }
    if let Some(id) = &filter.subject_id {
        query = query.filter(audit_log::subject_id.eq(id.clone()));
    }
    if let Some(action) = &filter.action {
        query = query.filter(audit_log::action.eq(action.clone()));
    }
    if let Some(before) = &filter.before_id {
        query = query.filter(audit_log::id.lt(before.clone()));
    }
    let limit = if filter.limit <= 0 {
        100
    } else {
        filter.limit.min(500)
    };
    Ok(query
        .order((audit_log::occurred_at.desc(), audit_log::id.desc()))
        .limit(limit)
        .load(conn)?)
}
