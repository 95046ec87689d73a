//! The hash chain over the audit log. Every entry written by [`super::audit::record`] carries a
//! sequence number (`seq`, max + 1 under a lock), the hash of the entry before it (`prev_hash`)
//! and its own `hash` = SHA-256(prev_hash || canonical serialisation), as lowercase hex.
//!
//! Entries from before the chain existed (`seq` NULL) form its genesis: folded in
//! `(occurred_at, id)` order into one hash, starting from [`ZERO`], which is the `prev_hash` of
//! the first chained entry. [`verify`] walks the whole log in batches and names the first entry
//! that does not fit.

use diesel::prelude::*;
use serde::Serialize;

use super::audit::AuditEntry;
use crate::db::{DbConn, schema::audit_log};
use crate::domain::token::sha256_hex;
use crate::error::AppError;

/// The `prev_hash` of the first entry of a log that had no entries before the chain.
pub const ZERO: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Rows read per query while verifying.
const BATCH: i64 = 2000;

/// The fixed serialisation that is hashed: a JSON array of the fields in this order, the time as
/// UTC with microseconds, `details` as the stored text.
pub fn canonical(e: &AuditEntry) -> String {
    serde_json::json!([
        e.seq,
        e.id,
        e.occurred_at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string(),
        e.actor_kind,
        e.actor_id,
        e.action,
        e.subject_kind,
        e.subject_id,
        e.reason,
        e.details,
    ])
    .to_string()
}

/// The hash of `e` following `prev`.
pub fn link(prev: &str, e: &AuditEntry) -> String {
    let mut data = String::with_capacity(prev.len() + 256);
    data.push_str(prev);
    data.push_str(&canonical(e));
    sha256_hex(data.as_bytes())
}

/// The latest chained entry's `(seq, hash)`; call it under the chain lock.
pub fn head(conn: &mut DbConn) -> Result<Option<(i64, String)>, AppError> {
    let row: Option<(Option<i64>, Option<String>)> = audit_log::table
        .filter(audit_log::seq.is_not_null())
        .order(audit_log::seq.desc())
        .select((audit_log::seq, audit_log::hash))
        .first(conn)
        .optional()?;
    Ok(row.map(|(seq, hash)| (seq.unwrap_or(0), hash.unwrap_or_default())))
}

/// The genesis hash over the entries written before the chain, the number of them and the
/// first of them.
pub fn genesis(conn: &mut DbConn) -> Result<(String, i64, Option<AuditEntry>), AppError> {
    let mut hash = ZERO.to_owned();
    let (mut count, mut first) = (0, None);
    let mut after: Option<(chrono::NaiveDateTime, String)> = None;
    loop {
        let mut query = audit_log::table
            .filter(audit_log::seq.is_null())
            .select(AuditEntry::as_select())
            .into_boxed();
        if let Some((at, id)) = after.clone() {
            query = query.filter(
                audit_log::occurred_at
                    .gt(at)
                    .or(audit_log::occurred_at.eq(at).and(audit_log::id.gt(id))),
            );
        }
        let rows: Vec<AuditEntry> = query
            .order((audit_log::occurred_at.asc(), audit_log::id.asc()))
            .limit(BATCH)
            .load(conn)?;
        for row in &rows {
            hash = link(&hash, row);
        }
        count += rows.len() as i64;
        if first.is_none() {
            first = rows.first().cloned();
        }
        match rows.last() {
            Some(last) if rows.len() as i64 == BATCH => {
                after = Some((last.occurred_at, last.id.clone()));
            }
            _ => return Ok((hash, count, first)),
        }
    }
}

/// What [`verify`] found.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Verdict {
    pub intact: bool,
    /// All entries, chained or from before the chain.
    pub entries: i64,
    /// The id of the first entry that does not fit.
    pub first_bad: Option<String>,
    /// Its sequence number, when it has one.
    pub first_bad_seq: Option<i64>,
    /// Why it does not fit (English, for operators).
    pub problem: Option<String>,
    /// The hash of the latest entry: note it elsewhere to detect a rewrite of the whole tail.
    pub head: Option<String>,
}

impl Verdict {
    fn broken(mut self, entry: &AuditEntry, problem: String) -> Self {
        self.intact = false;
        self.first_bad = Some(entry.id.clone());
        self.first_bad_seq = entry.seq;
        self.problem = Some(problem);
        self
    }

    /// One line for operators: "intact …" or "broken at entry …".
    pub fn summary(&self) -> String {
        match (&self.first_bad, &self.problem) {
            (Some(id), Some(problem)) => {
                let seq = self
                    .first_bad_seq
                    .map(|s| format!("#{s} "))
                    .unwrap_or_default();
                format!("audit log broken at entry {seq}{id}: {problem}")
            }
            (None, Some(problem)) => format!("audit log broken: {problem}"),
            _ => format!(
                "audit log intact: {} entries, head hash {}",
                self.entries,
                self.head.as_deref().unwrap_or(ZERO)
            ),
        }
    }
}

/// Walks the whole log: the genesis, then every chained entry in `seq` order, `BATCH` rows per
/// query. Read-only; needs no lock (entries committed meanwhile are simply not seen).
pub fn verify(conn: &mut DbConn) -> Result<Verdict, AppError> {
    verify_against(conn, None)
}

/// As [`verify`]; with `known_head` (a head hash an operator noted earlier) the chain must also
/// still pass through that hash, which catches a rewrite of everything from some entry on with
/// freshly computed hashes, and entries removed from the end.
pub fn verify_against(conn: &mut DbConn, known_head: Option<&str>) -> Result<Verdict, AppError> {
    let entries: i64 = audit_log::table.count().get_result(conn)?;
    let stored_head = head(conn)?.map(|(_, hash)| hash);
    let (genesis, _, first_legacy) = genesis(conn)?;
    let mut verdict = Verdict {
        intact: true,
        entries,
        first_bad: None,
        first_bad_seq: None,
        problem: None,
        head: stored_head,
    };
    let (mut prev_seq, mut prev_hash) = (0_i64, genesis);
    let mut started = false;
    let mut known_seen = known_head.is_none_or(|known| known == prev_hash);
    loop {
        let mut query = audit_log::table
            .filter(audit_log::seq.is_not_null())
            .select(AuditEntry::as_select())
            .into_boxed();
        if started {
            query = query.filter(audit_log::seq.gt(prev_seq));
        }
        let rows: Vec<AuditEntry> = query.order(audit_log::seq.asc()).limit(BATCH).load(conn)?;
        for row in &rows {
            let seq = row.seq.unwrap_or(0);
            let claimed_prev = row.prev_hash.as_deref().unwrap_or("");
            if !started && claimed_prev != prev_hash {
                return Ok(match &first_legacy {
                    Some(extra) if claimed_prev == ZERO => verdict.broken(
                        extra,
                        "it was added outside the chain (the chain began with no earlier entries)"
                            .into(),
                    ),
                    _ => verdict.broken(
                        row,
                        "the entries from before the chain were changed, removed or added to"
                            .into(),
                    ),
                });
            }
            if seq <= prev_seq {
                return Ok(verdict.broken(row, "its sequence number is out of order".into()));
            }
            if seq != prev_seq + 1 {
                let missing = if seq - prev_seq == 2 {
                    format!("#{}", prev_seq + 1)
                } else {
                    format!("#{} to #{}", prev_seq + 1, seq - 1)
                };
                return Ok(verdict.broken(row, format!("entry {missing} before it was removed")));
            }
            if claimed_prev != prev_hash {
                return Ok(verdict.broken(
                    row,
                    "it does not follow the entry before it (inserted, or that entry rewritten)"
                        .into(),
                ));
            }
            let computed = link(&prev_hash, row);
            if row.hash.as_deref() != Some(computed.as_str()) {
                return Ok(verdict.broken(
                    row,
                    "its content does not match its hash (rewritten)".into(),
                ));
            }
            known_seen |= known_head == Some(computed.as_str());
            (prev_seq, prev_hash, started) = (seq, computed, true);
        }
        if (rows.len() as i64) < BATCH {
            break;
        }
    }
    verdict.head = Some(prev_hash);
    if !known_seen {
        verdict.intact = false;
        verdict.problem = Some(
            "the noted head hash is not in the chain: entries were rewritten from some point on \
             with new hashes, or removed from the end"
                .into(),
        );
    }
    Ok(verdict)
}
