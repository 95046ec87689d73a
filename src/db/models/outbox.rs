//! Outbox rows: rendered emails waiting for delivery, and the leases the mail worker takes on
//! them. The one backend-specific query of the mail layer (`FOR UPDATE SKIP LOCKED`) lives here.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::{DbConn, schema::outbox};
use crate::domain::IntakeId;
use crate::error::AppError;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = outbox)]
pub struct OutboxMessage {
    pub id: String,
    pub template: String,
    pub lang: String,
    /// One address as stored (`Name <addr>` or `addr`), parsed again by lettre before sending.
    pub recipient: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub created_at: NaiveDateTime,
    pub next_attempt_at: NaiveDateTime,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub claimed_until: Option<NaiveDateTime>,
    pub claimed_by: Option<String>,
    pub sent_at: Option<NaiveDateTime>,
    pub gave_up_at: Option<NaiveDateTime>,
    /// SHA-256 of the lower-cased address (see [`recipient_hash`]): caps count by it.
    pub recipient_hash: Option<String>,
}

/// The key an address is counted under: SHA-256 of its inbox, so the count needs no parsing of
/// `recipient` and can outlive the address itself. Spellings that reach one inbox count as one:
/// case, a `+tag` after the local part, and the dots Gmail ignores.
pub fn recipient_hash(address: &str) -> String {
    crate::domain::token::sha256_hex(inbox_of(address).as_bytes())
}

fn inbox_of(address: &str) -> String {
    let address = address.trim().to_lowercase();
    let Some((local, domain)) = address.rsplit_once('@') else {
        return address;
    };
    let local = local.split('+').next().unwrap_or(local);
    match domain {
        "gmail.com" | "googlemail.com" => format!("{}@gmail.com", local.replace('.', "")),
        _ => format!("{local}@{domain}"),
    }
}

/// How many `template` emails went to the address with this hash since `since`.
pub fn count_to_since(
    conn: &mut DbConn,
    hash: &str,
    template: &str,
    since: NaiveDateTime,
) -> Result<i64, AppError> {
    Ok(outbox::table
        .filter(outbox::recipient_hash.eq(hash))
        .filter(outbox::template.eq(template))
        .filter(outbox::created_at.gt(since))
        .count()
        .get_result(conn)?)
}

/// Queues `message`; `intake_id` tags it with the intake it is about (erasure blanks by it).
pub fn insert(
    conn: &mut DbConn,
    message: &OutboxMessage,
    intake_id: Option<&IntakeId>,
) -> Result<(), AppError> {
    diesel::insert_into(outbox::table)
        .values((message, outbox::intake_id.eq(intake_id)))
        .execute(conn)?;
    Ok(())
}

/// Messages to exactly this address (`addr` or `Name <addr>`), oldest first.
pub fn for_recipient(conn: &mut DbConn, address: &str) -> Result<Vec<OutboxMessage>, AppError> {
    Ok(outbox::table
        .filter(
            outbox::recipient
                .eq(address)
                .or(outbox::recipient.like(format!("%<{address}>"))),
        )
        .order((outbox::created_at.asc(), outbox::id.asc()))
        .select(OutboxMessage::as_select())
        .load(conn)?)
}

/// One message by id.
pub fn find(conn: &mut DbConn, id: &str) -> Result<Option<OutboxMessage>, AppError> {
    Ok(outbox::table
        .find(id)
        .select(OutboxMessage::as_select())
        .first(conn)
        .optional()?)
}

/// Leases up to `limit` due messages to `worker` until `lease_until` and returns them, oldest
/// due first. A message is due when it is neither sent nor given up, its next attempt time has
/// come, and nobody holds a live lease on it (an expired lease means its worker died mid-send).
///
/// PostgreSQL: `FOR UPDATE SKIP LOCKED`, so workers of several instances never wait for or take
/// each other's rows. SQLite: the write transaction (`BEGIN IMMEDIATE`) already serialises the
/// select and the update.
pub fn claim_due(
    conn: &mut DbConn,
    worker: &str,
    now: NaiveDateTime,
    lease_until: NaiveDateTime,
    limit: i64,
) -> Result<Vec<OutboxMessage>, AppError> {
    crate::db::write_tx(conn, |conn| {
        let due = outbox::table
            .filter(outbox::sent_at.is_null())
            .filter(outbox::gave_up_at.is_null())
            .filter(outbox::next_attempt_at.le(now))
            .filter(
                outbox::claimed_until
                    .is_null()
                    .or(outbox::claimed_until.le(now)),
            )
            .order((outbox::next_attempt_at.asc(), outbox::id.asc()))
            .limit(limit)
            .select(outbox::id);
        let ids: Vec<String> = match conn {
            DbConn::Pg(pg) => due.for_update().skip_locked().load(pg)?,
            DbConn::Sqlite(sqlite) => due.load(sqlite)?,
        };
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        diesel::update(outbox::table.filter(outbox::id.eq_any(&ids)))
            .set((
                outbox::claimed_by.eq(worker),
                outbox::claimed_until.eq(lease_until),
            ))
            .execute(conn)?;
        Ok(outbox::table
            .filter(outbox::id.eq_any(&ids))
            .order((outbox::next_attempt_at.asc(), outbox::id.asc()))
            .select(OutboxMessage::as_select())
            .load(conn)?)
    })
}

/// The SMTP server (or the mail folder) accepted the message: it is never sent again.
pub fn mark_sent(conn: &mut DbConn, id: &str, now: NaiveDateTime) -> Result<(), AppError> {
    crate::db::write_tx(conn, |conn| {
        diesel::update(
            outbox::table
                .filter(outbox::id.eq(id))
                .filter(outbox::sent_at.is_null()),
        )
        .set((
            outbox::sent_at.eq(now),
            outbox::attempts.eq(outbox::attempts + 1),
            outbox::last_error.eq(None::<String>),
            outbox::claimed_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
        Ok(())
    })
}

/// A failed attempt that is worth repeating: free the lease and try again at `next_attempt_at`.
pub fn reschedule(
    conn: &mut DbConn,
    id: &str,
    worker: &str,
    next_attempt_at: NaiveDateTime,
    error: &str,
) -> Result<(), AppError> {
    crate::db::write_tx(conn, |conn| {
        diesel::update(
            outbox::table
                .filter(outbox::id.eq(id))
                .filter(outbox::claimed_by.eq(worker))
                .filter(outbox::sent_at.is_null()),
        )
        .set((
            outbox::next_attempt_at.eq(next_attempt_at),
            outbox::attempts.eq(outbox::attempts + 1),
            outbox::last_error.eq(error),
            outbox::claimed_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
        Ok(())
    })
}

/// The last attempt failed for good; returns false when another worker settled it meanwhile.
/// Call it inside the transaction that also records the alert.
pub fn give_up(
    conn: &mut DbConn,
    id: &str,
    worker: &str,
    now: NaiveDateTime,
    error: &str,
) -> Result<bool, AppError> {
    let changed = diesel::update(
        outbox::table
            .filter(outbox::id.eq(id))
            .filter(outbox::claimed_by.eq(worker))
            .filter(outbox::sent_at.is_null())
            .filter(outbox::gave_up_at.is_null()),
    )
    .set((
        outbox::gave_up_at.eq(now),
        outbox::attempts.eq(outbox::attempts + 1),
        outbox::last_error.eq(error),
        outbox::claimed_until.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Hands leased messages back untouched (the worker is stopping before it got to them).
pub fn release(conn: &mut DbConn, ids: &[String], worker: &str) -> Result<(), AppError> {
    if ids.is_empty() {
        return Ok(());
    }
    crate::db::write_tx(conn, |conn| {
        diesel::update(
            outbox::table
                .filter(outbox::id.eq_any(ids))
                .filter(outbox::claimed_by.eq(worker))
                .filter(outbox::sent_at.is_null()),
        )
        .set(outbox::claimed_until.eq(None::<NaiveDateTime>))
        .execute(conn)?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::recipient_hash;

    #[test]
    fn spellings_of_one_inbox_count_as_one() {
        let inbox = recipient_hash("jan@bakkerij.nl");
        for same in [
            "Jan@Bakkerij.NL",
            " jan+1@bakkerij.nl",
            "jan+x+y@bakkerij.nl",
        ] {
            assert_eq!(recipient_hash(same), inbox, "{same}");
        }
        assert_ne!(
            recipient_hash("jan.de@bakkerij.nl"),
            recipient_hash("jande@bakkerij.nl")
        );
        assert_eq!(
            recipient_hash("j.an+z@googlemail.com"),
            recipient_hash("jan@gmail.com")
        );
    }
}
