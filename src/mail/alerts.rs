//! Alerts to the moderators, bundled so that no flood of events becomes a flood of email: per
//! inbox, the first alert in a [`WINDOW`] is emailed at once; every alert after it within the
//! window waits and goes out in one `moderator_digest` email when the window has passed (the
//! lifecycle job calls [`send_due_digests`]). So however many intakes go unmatched, complaints
//! arrive or registrations wait, a moderator gets at most one alert email per window.
//!
//! Several instances stay exact: every decision runs under [`crate::db::serialize_on`] inside a
//! write transaction.

use chrono::{Duration, NaiveDateTime};
use lettre::message::Mailbox;
use serde_json::{Value, json};

use super::Mailer;
use crate::db::models::moderator_alert::{self, AlertRow};
use crate::db::{DbConn, serialize_on, write_tx};
use crate::domain::IntakeId;
use crate::error::AppError;
use crate::i18n::Lang;

/// At most one alert email per this window and inbox.
pub const WINDOW: Duration = Duration::minutes(15);
/// How many alerts a digest lists by subject; the rest are counted.
const DIGEST_LISTS: i64 = 50;
const LOCK: &str = "moderator_alerts";
/// The template of the digest email.
pub const DIGEST_TEMPLATE: &str = "moderator_digest";

/// An alert about to be raised: its template (rendered in Dutch, the moderators' language), the
/// template's data, and the intake it is about (so erasure finds the email).
pub struct Alert<'a> {
    pub template: &'a str,
    pub data: &'a Value,
    pub intake_id: Option<&'a IntakeId>,
}

/// Emails `alert` at once to each of `recipients` that had no alert email within the window, and
/// keeps it for the next digest of the others. Call it inside the write transaction of the
/// change it is about.
pub fn raise(
    conn: &mut DbConn,
    mailer: &Mailer,
    recipients: &[Mailbox],
    alert: Alert<'_>,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    if recipients.is_empty() {
        return Ok(());
    }
    serialize_on(conn, LOCK)?;
    let subject = mailer.render(alert.template, Lang::Nl, alert.data)?.subject;
    for to in recipients {
        let recipient = to.to_string();
        let quiet = moderator_alert::last_sent_at(conn, &recipient)?
            .is_none_or(|last| last <= now - WINDOW);
        if quiet {
            let message = mailer.prepare(alert.template, Lang::Nl, to, alert.data, now)?;
            Mailer::store(conn, &message, alert.intake_id)?;
        }
        moderator_alert::insert(
            conn,
            &AlertRow {
                id: crate::db::new_id(),
                recipient,
                template: alert.template.to_owned(),
                subject: subject.clone(),
                created_at: now,
                sent_at: quiet.then_some(now),
            },
        )?;
    }
    Ok(())
}

/// Sends each inbox whose window has passed one digest of the alerts held back for it; returns
/// how many alerts the digests carried.
pub fn send_due_digests(
    conn: &mut DbConn,
    mailer: &Mailer,
    now: NaiveDateTime,
) -> Result<usize, AppError> {
    // Rows sent before the window are no longer needed to decide anything; their subjects may
    // name a victim's address (an undeliverable email), so they do not stay.
    moderator_alert::forget_sent_before(conn, now - WINDOW)?;
    let mut carried = 0;
    for recipient in moderator_alert::waiting_recipients(conn)? {
        match write_tx(conn, |conn| digest(conn, mailer, &recipient, now)) {
            Ok(count) => carried += count,
            // One inbox that cannot be written to must not hold up the others.
            Err(e) => tracing::error!(error = %e, "could not queue a moderator digest"),
        }
    }
    Ok(carried)
}

fn digest(
    conn: &mut DbConn,
    mailer: &Mailer,
    recipient: &str,
    now: NaiveDateTime,
) -> Result<usize, AppError> {
    serialize_on(conn, LOCK)?;
    if moderator_alert::last_sent_at(conn, recipient)?.is_some_and(|last| last > now - WINDOW) {
        return Ok(0);
    }
    let (count, listed) = moderator_alert::waiting(conn, recipient, DIGEST_LISTS)?;
    let Some(first) = listed.first() else {
        return Ok(0);
    };
    let items: Vec<Value> = listed
        .iter()
        .map(|a| json!({ "subject": a.subject, "at": crate::clock::for_people(a.created_at) }))
        .collect();
    let unlisted = count - listed.len() as i64;
    let data = json!({
        "count": count,
        "items": items,
        "more": unlisted,
        "has_more": unlisted > 0,
        "since": crate::clock::for_people(first.created_at),
    });
    let to = super::parse_recipient(recipient).map_err(AppError::internal)?;
    mailer.enqueue(conn, DIGEST_TEMPLATE, Lang::Nl, &to, &data, now)?;
    moderator_alert::mark_sent(conn, recipient, now)
}
