//! The emails an intake causes: "received" to the victim (case link and first-aid steps), and
//! an alert to the moderators when nobody fits. Alerts carry ids and region, never the victim's
//! identity: moderators look the case up on the platform.

use lettre::message::Mailbox;
use serde_json::json;

use crate::db::DbConn;
use crate::db::models::outbox::{self, OutboxMessage};
use crate::db::models::{intake::IntakeRow, moderator};
use crate::domain::Email;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::incidents::Catalogue;
use crate::mail::Mailer;
use crate::mail::alerts::{self, Alert};
use crate::workflow::Ctx;

/// At most this many "intake received" emails go to one address in 24 hours, however many intakes
/// name it: nobody can use the intake form to flood a third party's inbox. Later intakes are still
/// created; their case link is in the answer and on the page.
pub const RECEIVED_EMAILS_PER_DAY: i64 = 3;

/// Whether one more "intake received" email may go to `hash` (see
/// [`outbox::recipient_hash`]). Serialised per address, so simultaneous intakes on several
/// instances cannot all see room for one more.
fn received_email_allowed(conn: &mut DbConn, ctx: Ctx<'_>, hash: &str) -> Result<bool, AppError> {
    crate::db::serialize_on(conn, &format!("intake_received:{hash}"))?;
    let since = ctx.now - chrono::Duration::hours(24);
    let sent = outbox::count_to_since(conn, hash, "intake_received", since)?;
    Ok(sent < RECEIVED_EMAILS_PER_DAY)
}

/// The "intake received" email to the victim, rendered (before the write transaction): the case
/// link, the first-aid steps and how many experts were found. `None` without a contact address.
pub struct Received {
    message: OutboxMessage,
    match_count: usize,
    /// When the incident was discovered: the email's deadlines count from it.
    discovered_at: chrono::NaiveDateTime,
}

pub fn prepare_received(
    ctx: Ctx<'_>,
    catalogue: &Catalogue,
    row: &IntakeRow,
    discovered_at: chrono::NaiveDateTime,
    token: &str,
    match_count: usize,
) -> Result<Option<Received>, AppError> {
    let lang = super::lang_of(row);
    let text = catalogue.get(row.incident_type).text(lang);
    let (Some(name), Some(email)) = (&row.contact_name, &row.contact_email) else {
        return Ok(None);
    };
    let email = Email::parse(email).map_err(AppError::internal)?;
    let steps: Vec<_> = text
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| json!({ "number": i + 1, "title": s.title, "body": s.body }))
        .collect();
    let deadlines =
        crate::domain::deadline::deadlines(row.incident_type, discovered_at, row.status);
    let data = json!({
        "contact_name": name,
        "incident_name": text.name,
        "deadlines": crate::i18n::deadlines::say_all_in(lang, row.incident_type, &deadlines, ctx.now),
        "case_url": ctx.settings.link(&format!("case/{token}")),
        "steps": steps,
        "match_count": match_count,
        "has_matches": match_count > 0,
    });
    let to = Mailer::recipient(Some(name), &email);
    let message = ctx
        .mailer
        .prepare("intake_received", lang, &to, &data, ctx.now)?;
    Ok(Some(Received {
        message,
        match_count,
        discovered_at,
    }))
}

/// Queues the prepared email (inside the intake's write transaction), unless the address has
/// had its share today; `match_count` is what was finally recorded (it is rendered again in the
/// rare case that the re-check changed it). `None` (no contact address): nothing to send.
pub fn intake_received(
    conn: &mut DbConn,
    ctx: Ctx<'_>,
    catalogue: &Catalogue,
    row: &IntakeRow,
    token: &str,
    prepared: Option<Received>,
    match_count: usize,
) -> Result<(), AppError> {
    let Some(prepared) = prepared else {
        return Ok(());
    };
    let message = if prepared.match_count == match_count {
        prepared.message
    } else {
        let again = prepare_received(
            ctx,
            catalogue,
            row,
            prepared.discovered_at,
            token,
            match_count,
        )?;
        match again {
            Some(Received { message, .. }) => message,
            None => return Ok(()),
        }
    };
    let hash = message.recipient_hash.clone().unwrap_or_default();
    if !received_email_allowed(conn, ctx, &hash)? {
        tracing::info!(
            intake_id = %row.id,
            "intake-received email held back: this address had {RECEIVED_EMAILS_PER_DAY} in 24 hours"
        );
        return Ok(());
    }
    // Tagged with the intake: erasure finds (and blanks) the emails about an intake by it.
    Mailer::store(conn, &message, Some(&row.id))
}

/// Every moderator, and `MODERATOR_ALERT_EMAIL` when set, each once.
pub fn moderator_recipients(conn: &mut DbConn, ctx: Ctx<'_>) -> Result<Vec<Mailbox>, AppError> {
    let mut recipients: Vec<Mailbox> = moderator::all_emails(conn)?
        .iter()
        .filter_map(|e| Email::parse(e).ok())
        .map(|e| Mailer::recipient(None, &e))
        .collect();
    if let Some(alert) = &ctx.settings.moderator_alert_email
        && !recipients.iter().any(|r| r.email == alert.email)
    {
        recipients.push(alert.clone());
    }
    Ok(recipients)
}

pub fn unmatched(
    conn: &mut DbConn,
    ctx: Ctx<'_>,
    catalogue: &Catalogue,
    row: &IntakeRow,
) -> Result<(), AppError> {
    let data = json!({
        "intake_id": row.id,
        "incident_name": catalogue.get(row.incident_type).text(Lang::Nl).name,
        "urgency": crate::cases::notify::urgency_label(row.urgency, Lang::Nl),
        "municipality": row.municipality,
        "province": row.province,
        "language": crate::i18n::language_name(&row.language, Lang::Nl),
        "needs_on_site": row.needs_on_site,
    });
    let recipients = moderator_recipients(conn, ctx)?;
    let alert = Alert {
        template: "intake_unmatched",
        data: &data,
        intake_id: Some(&row.id),
    };
    alerts::raise(conn, ctx.mailer, &recipients, alert, ctx.now)
}
