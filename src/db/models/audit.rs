//! The append-only audit log: who did what to which subject, when and why. Rows hold ids and
//! codes, never names or contact details, so erasure leaves the log intact. Every entry is a
//! link of a hash chain ([`super::audit_chain`]), appended one at a time under a lock.

use chrono::{NaiveDateTime, SubsecRound};
use diesel::prelude::*;
use serde::Serialize;

pub use super::audit_actions as actions;
use super::audit_chain;
use super::search::{Backend, ESCAPE, Page, Paging, contains, lower, lower_opt};
use crate::db::DbConn;
use crate::db::schema::{audit_log, experts};
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
    /// Position in the hash chain (1, 2, …); NULL for entries written before the chain.
    pub seq: Option<i64>,
    /// The `hash` of the entry before (the genesis hash for the first).
    pub prev_hash: Option<String>,
    /// SHA-256 over `prev_hash` and this entry's canonical serialisation, lowercase hex.
    pub hash: Option<String>,
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

/// Appends one entry; call it inside the transaction of the change it records. The next link
/// of the chain is computed under the `audit_chain` lock, held until that transaction ends, so
/// entries are chained in commit order. Where a transaction records several entries, write them
/// with [`record_all`], as late in the transaction as possible: the lock is held until commit.
pub fn record(
    conn: &mut DbConn,
    at: NaiveDateTime,
    entry: NewEntry<'_>,
) -> Result<AuditEntry, AppError> {
    let mut rows = record_all(conn, at, vec![entry])?;
    Ok(rows.pop().expect("one entry recorded"))
}

/// Appends `entries` in order, as consecutive links of the chain, with one lock, one look at the
/// chain's head and one insert.
pub fn record_all(
    conn: &mut DbConn,
    at: NaiveDateTime,
    entries: Vec<NewEntry<'_>>,
) -> Result<Vec<AuditEntry>, AppError> {
    let mut rows: Vec<AuditEntry> = entries.into_iter().map(|e| new_row(at, e)).collect();
    if rows.is_empty() {
        return Ok(rows);
    }
    crate::db::write_tx(conn, |conn| {
        crate::db::serialize_on(conn, "audit_chain")?;
        let (mut seq, mut prev) = match audit_chain::head(conn)? {
            Some((seq, hash)) => (seq + 1, hash),
            None => (1, audit_chain::genesis(conn)?.0),
        };
        for row in &mut rows {
            row.seq = Some(seq);
            let hash = audit_chain::link(&prev, row);
            row.prev_hash = Some(std::mem::replace(&mut prev, hash.clone()));
            row.hash = Some(hash);
            seq += 1;
        }
        crate::db::on_each_backend!(&mut *conn, |c| diesel::insert_into(audit_log::table)
            .values(&rows)
            .execute(c))?;
        Ok::<_, AppError>(())
    })?;
    Ok(rows)
}

fn new_row(at: NaiveDateTime, entry: NewEntry<'_>) -> AuditEntry {
    debug_assert!(
        actions::ALL.contains(&entry.action),
        "audit action {:?} is not in db::models::audit_actions (so it has no label)",
        entry.action
    );
    let (actor_kind, actor_id) = entry.actor.parts();
    AuditEntry {
        id: crate::db::new_id(),
        occurred_at: at.trunc_subsecs(6),
        actor_kind: actor_kind.to_owned(),
        actor_id,
        action: entry.action.to_owned(),
        subject_kind: entry.subject_kind.to_owned(),
        subject_id: entry.subject_id.to_owned(),
        reason: entry.reason.map(str::to_owned),
        details: entry.details.to_string(),
        seq: None,
        prev_hash: None,
        hash: None,
    }
}

/// Filters for reading the log, newest first.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub subject_kind: Option<String>,
    pub subject_id: Option<String>,
    pub action: Option<String>,
    /// Part of the action code, the subject's or the actor's id, or of the company name of an
    /// expert who is the subject or the actor.
    pub q: Option<String>,
    /// Only entries older than this id (keyset paging).
    pub before_id: Option<String>,
    pub limit: i64,
}

fn filtered(filter: &Filter) -> audit_log::BoxedQuery<'static, Backend> {
    let mut query = audit_log::table.into_boxed();
    if let Some(kind) = &filter.subject_kind {
        query = query.filter(audit_log::subject_kind.eq(kind.clone()));
    }
    if let Some(id) = &filter.subject_id {
        query = query.filter(audit_log::subject_id.eq(id.clone()));
    }
    if let Some(action) = &filter.action {
        query = query.filter(audit_log::action.eq(action.clone()));
    }
    if let Some(q) = filter.q.as_deref().filter(|q| !q.trim().is_empty()) {
        let p = contains(q);
        let named = || {
            experts::table
                .filter(lower(experts::company_name).like(p.clone()).escape(ESCAPE))
                .select(experts::id.nullable())
        };
        query = query.filter(
            audit_log::action
                .like(p.clone())
                .escape(ESCAPE)
                .or(lower(audit_log::subject_id).like(p.clone()).escape(ESCAPE))
                .nullable()
                .or(audit_log::subject_id.nullable().eq_any(named()))
                .or(audit_log::actor_id.eq_any(named()))
                .or(lower_opt(audit_log::actor_id)
                    .like(p.clone())
                    .escape(ESCAPE))
                .assume_not_null(),
        );
    }
    if let Some(before) = &filter.before_id {
        query = query.filter(audit_log::id.lt(before.clone()));
    }
    query
}

/// Up to `filter.limit` entries (1..=500, 100 when 0), newest first.
pub fn list(conn: &mut DbConn, filter: &Filter) -> Result<Vec<AuditEntry>, AppError> {
    let limit = if filter.limit <= 0 {
        100
    } else {
        filter.limit.min(500)
    };
    Ok(search(conn, filter, Paging::new(1, limit))?.items)
}

/// One page of the entries that fit `filter` (its `limit` is ignored), newest first, and their
/// number.
pub fn search(
    conn: &mut DbConn,
    filter: &Filter,
    paging: Paging,
) -> Result<Page<AuditEntry>, AppError> {
    let total = filtered(filter).count().get_result(conn)?;
    let items = filtered(filter)
        .select(AuditEntry::as_select())
        .order((audit_log::occurred_at.desc(), audit_log::id.desc()))
        .limit(paging.per_page)
        .offset(paging.offset())
        .load(conn)?;
    Ok(Page {
        items,
        total,
        paging,
    })
}
