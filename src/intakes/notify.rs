//! The emails an intake causes: "received" to the victim (case link and first-aid steps), and
//! an alert to the moderators when nobody fits. Alerts carry ids and region, never the victim's
//! identity: moderators look the case up on the platform.

use lettre::message::Mailbox;
use serde_json::json;

use crate::db::DbConn;
use crate::db::models::{intake::IntakeRow, moderator};
use crate::domain::{Email, IncidentType};
use crate::error::AppError;
use crate::experts::Ctx;
use crate::i18n::Lang;
use crate::incidents::Catalogue;
use crate::mail::Mailer;

fn incident_of(row: &IntakeRow) -> Result<IncidentType, AppError> {
    IncidentType::parse(&row.incident_type)
        .ok_or_else(|| AppError::internal("stored incident type"))
}

pub fn intake_received(
    conn: &mut DbConn,
    ctx: Ctx<'_>,
    catalogue: &Catalogue,
    row: &IntakeRow,
    token: &str,
    match_count: usize,
) -> Result<(), AppError> {
    let lang = super::lang_of(row);
    let text = catalogue.get(incident_of(row)?).text(lang);
    let (Some(name), Some(email)) = (&row.contact_name, &row.contact_email) else {
        return Ok(());
    };
    let email = Email::parse(email).map_err(AppError::internal)?;
    let steps: Vec<_> = text
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| json!({ "number": i + 1, "title": s.title, "body": s.body }))
        .collect();
    let data = json!({
        "contact_name": name,
        "incident_name": text.name,
        "case_url": ctx.settings.link(&format!("case/{token}")),
        "steps": steps,
        "match_count": match_count,
        "has_matches": match_count > 0,
    });
    let to = Mailer::recipient(Some(name), &email);
    let id = ctx
        .mailer
        .enqueue(conn, "intake_received", lang, &to, &data, ctx.now)?;
    // Erasure finds (and blanks) the emails about an intake by this tag.
    crate::db::models::case::tag_email(conn, &id, &row.id)
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
        "incident_name": catalogue.get(incident_of(row)?).text(Lang::Nl).name,
        "urgency": row.urgency,
        "municipality": row.municipality,
        "province": row.province,
        "language": row.language,
        "needs_on_site": row.needs_on_site,
    });
    for to in moderator_recipients(conn, ctx)? {
        let id = ctx
            .mailer
            .enqueue(conn, "intake_unmatched", Lang::Nl, &to, &data, ctx.now)?;
        crate::db::models::case::tag_email(conn, &id, &row.id)?;
    }
    Ok(())
}
