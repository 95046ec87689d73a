//! The emails of a case after matching. Every one is queued in the transaction of the change
//! that causes it and tagged with its intake, so that erasure can find it. Before an expert's
//! acceptance connects a case, no email to an expert carries the victim's name, email, phone or
//! company name: only the anonymised summary built by [`summary`].

use lettre::message::Mailbox;
use serde_json::{Value, json};

use super::Ctx;
use crate::db::DbConn;
use crate::db::models::{expert::ExpertRow, intake::IntakeRow, request::RequestRow};
use crate::domain::{ComplaintId, Email, IntakeId, Urgency};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::mail::Mailer;

fn queue(
    conn: &mut DbConn,
    ctx: &Ctx<'_>,
    template: &str,
    lang: Lang,
    to: &Mailbox,
    data: &Value,
    intake_id: &IntakeId,
) -> Result<(), AppError> {
    let message = ctx.mailer.prepare(template, lang, to, data, ctx.now)?;
    Mailer::store(conn, &message, Some(intake_id))
}

fn to_expert(expert: &ExpertRow) -> Result<(Mailbox, Lang), AppError> {
    let email = Email::parse(&expert.email).map_err(AppError::internal)?;
    Ok((
        Mailer::recipient(Some(&expert.contact_name), &email),
        crate::experts::lang_of(expert),
    ))
}

/// The victim's mailbox, or `None` once erased.
/// Queues `template` to an expert about `intake`: the expert's contact name, the incident's name
/// and the municipality are always in the data; `extra` adds the event's own fields.
fn to_expert_about(
    conn: &mut DbConn,
    ctx: &Ctx<'_>,
    intake: &IntakeRow,
    expert: &ExpertRow,
    template: &str,
    extra: impl FnOnce(Lang) -> Value,
) -> Result<(), AppError> {
    let (to, lang) = to_expert(expert)?;
    let base = json!({
        "contact_name": expert.contact_name,
        "incident_name": incident_name(ctx, intake, lang),
        "municipality": intake.municipality,
    });
    queue(
        conn,
        ctx,
        template,
        lang,
        &to,
        &with(base, extra(lang)),
        &intake.id,
    )
}

fn to_victim(intake: &IntakeRow) -> Option<(Mailbox, Lang)> {
    let email = Email::parse(intake.contact_email.as_deref()?).ok()?;
    Some((
        Mailer::recipient(intake.contact_name.as_deref(), &email),
        crate::intakes::lang_of(intake),
    ))
}

pub fn incident_name(ctx: &Ctx<'_>, intake: &IntakeRow, lang: Lang) -> String {
    ctx.catalogue
        .get(intake.incident_type)
        .text(lang)
        .name
        .clone()
}

/// The urgency in words, as emails to experts and moderators (staff languages) show it.
pub fn urgency_label(urgency: Urgency, lang: Lang) -> &'static str {
    match (urgency, lang.staff()) {
        (Urgency::Acute, Lang::Nl) => "acuut: het gebeurt nu, het bedrijf ligt stil",
        (Urgency::Acute, _) => "acute: happening now, business at a standstill",
        (Urgency::Recent, Lang::Nl) => "recent: de afgelopen dagen",
        (Urgency::Recent, _) => "recent: in the last days",
        (Urgency::Past, Lang::Nl) => "eerder gebeurd",
        (Urgency::Past, _) => "in the past",
    }
}

/// The anonymised summary an expert sees before accepting: no name, email, phone or company name.
pub fn summary(ctx: &Ctx<'_>, intake: &IntakeRow, lang: Lang) -> Value {
    json!({
        "incident_name": incident_name(ctx, intake, lang),
        "urgency": urgency_label(intake.urgency, lang),
        "municipality": intake.municipality,
        "province": intake.province,
        "employees": intake.company_employees,
        "sector": intake.company_sector,
        "description": intake.description.clone().unwrap_or_default(),
        "language": crate::i18n::language_name(&intake.language, lang),
        "needs_on_site": intake.needs_on_site,
    })
}

fn with(mut base: Value, extra: Value) -> Value {
    if let (Value::Object(b), Value::Object(e)) = (&mut base, extra) {
        b.extend(e);
    }
    base
}

pub fn help_request(
    conn: &mut DbConn,
    ctx: &Ctx<'_>,
    intake: &IntakeRow,
    expert: &ExpertRow,
    request: &RequestRow,
) -> Result<(), AppError> {
    let (to, lang) = to_expert(expert)?;
    let data = with(
        summary(ctx, intake, lang),
        json!({
            "contact_name": expert.contact_name,
            "request_url": ctx.settings.link(&format!("experts/requests/{}", request.id)),
            "expires_at": crate::clock::for_people(request.expires_at),
        }),
    );
    queue(conn, ctx, "help_request", lang, &to, &data, &intake.id)
}

/// A pending request is off: another expert accepted (`other_expert`), or the victim closed or
/// erased the case.
pub fn request_withdrawn(
    conn: &mut DbConn,
    ctx: &Ctx<'_>,
    intake: &IntakeRow,
    expert: &ExpertRow,
    other_expert: bool,
) -> Result<(), AppError> {
    to_expert_about(
        conn,
        ctx,
        intake,
        expert,
        "request_withdrawn",
        |_| json!({ "other_expert": other_expert }),
    )
}

/// Both sides of a new connection get the other's contact details.
pub fn connected(
    conn: &mut DbConn,
    ctx: &Ctx<'_>,
    intake: &IntakeRow,
    expert: &ExpertRow,
    request: &RequestRow,
) -> Result<(), AppError> {
    to_expert_about(conn, ctx, intake, expert, "connected_expert", |_| {
        json!({
            "victim_name": intake.contact_name.clone().unwrap_or_default(),
            "victim_email": intake.contact_email.clone().unwrap_or_default(),
            "victim_phone": intake.contact_phone,
            "victim_company": intake.company_name,
            "request_url": ctx.settings.link(&format!("experts/requests/{}", request.id)),
        })
    })?;
    let Some((to, lang)) = to_victim(intake) else {
        return Ok(());
    };
    let data = json!({
        "contact_name": intake.contact_name.clone().unwrap_or_default(),
        "expert_company": expert.company_name,
        "expert_contact": expert.contact_name,
        "expert_email": expert.email,
        "expert_phone": expert.phone,
        "expert_website": expert.website,
    });
    queue(conn, ctx, "connected_victim", lang, &to, &data, &intake.id)
}

/// Alerts the moderators that an expert let a request expire (ids and region only).
pub fn request_expired(
    conn: &mut DbConn,
    ctx: &Ctx<'_>,
    intake: &IntakeRow,
    expert: &ExpertRow,
    request: &RequestRow,
) -> Result<(), AppError> {
    let data = json!({
        "request_id": request.id,
        "intake_id": intake.id,
        "expert_id": expert.id,
        "expert_company": expert.company_name,
        "incident_name": incident_name(ctx, intake, Lang::Nl),
        "urgency": urgency_label(intake.urgency, Lang::Nl),
        "municipality": intake.municipality,
    });
    alert_moderators(conn, ctx, "request_expired", &data, &intake.id)
}

/// Tells the victim the next round of matches (or that moderators are looking for help), with a
/// fresh case link (only token hashes are stored, so the first link cannot be repeated).
pub fn matches_renewed(
    conn: &mut DbConn,
    ctx: &Ctx<'_>,
    intake: &IntakeRow,
    case_token: &str,
    match_count: usize,
) -> Result<(), AppError> {
    let Some((to, lang)) = to_victim(intake) else {
        return Ok(());
    };
    let data = json!({
        "contact_name": intake.contact_name.clone().unwrap_or_default(),
        "case_url": ctx.settings.link(&format!("case/{case_token}")),
        "match_count": match_count,
        "has_matches": match_count > 0,
    });
    queue(conn, ctx, "matches_renewed", lang, &to, &data, &intake.id)
}

/// Tells the connected expert that the victim closed (with `outcome`) or erased the case.
pub fn case_ended(
    conn: &mut DbConn,
    ctx: &Ctx<'_>,
    intake: &IntakeRow,
    expert: &ExpertRow,
    outcome: Option<&str>,
) -> Result<(), AppError> {
    to_expert_about(
        conn,
        ctx,
        intake,
        expert,
        "case_ended",
        |lang| json!({ "outcome": outcome.map(|o| super::close::outcome_label(o, lang)) }),
    )
}

/// A one-click link (feedback or resilience check) to the victim.
pub fn victim_link(
    conn: &mut DbConn,
    ctx: &Ctx<'_>,
    intake: &IntakeRow,
    template: &str,
    url: &str,
) -> Result<(), AppError> {
    let Some((to, lang)) = to_victim(intake) else {
        return Ok(());
    };
    let data = json!({
        "contact_name": intake.contact_name.clone().unwrap_or_default(),
        "url": url,
    });
    queue(conn, ctx, template, lang, &to, &data, &intake.id)
}

/// Alerts the moderators of a complaint (ids and the expert's company; the text is on the
/// platform).
pub fn complaint_received(
    conn: &mut DbConn,
    ctx: &Ctx<'_>,
    complaint_id: &ComplaintId,
    intake_id: &IntakeId,
    expert: &ExpertRow,
) -> Result<(), AppError> {
    let data = json!({
        "complaint_id": complaint_id,
        "intake_id": intake_id,
        "expert_id": expert.id,
        "expert_company": expert.company_name,
    });
    alert_moderators(conn, ctx, "complaint_received", &data, intake_id)
}

/// Every moderator and `MODERATOR_ALERT_EMAIL`, at once or in the next digest (`mail::alerts`).
pub(super) fn alert_moderators(
    conn: &mut DbConn,
    ctx: &Ctx<'_>,
    template: &str,
    data: &Value,
    intake_id: &IntakeId,
) -> Result<(), AppError> {
    let recipients = crate::intakes::notify::moderator_recipients(conn, *ctx)?;
    let alert = crate::mail::alerts::Alert {
        template,
        data,
        intake_id: Some(intake_id),
    };
    crate::mail::alerts::raise(conn, ctx.mailer, &recipients, alert, ctx.now)
}
