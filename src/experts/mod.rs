//! The life of an expert company, as workflows: profile changes, the code of conduct and the
//! moderators' vetting decisions (registration and email verification are in `crate::accounts`). Each workflow is one write transaction that
//! records the new state together with its audit entry and the emails it causes (outbox).
//!
//! Input arrives here already parsed into domain types; HTTP handlers stay thin.

pub mod conduct;
pub mod profile;
pub mod vetting;
mod view;

use serde_json::Value;

pub use view::{ExpertView, views};

use crate::db::{DbConn, models::expert::ExpertRow};
use crate::domain::Email;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::mail::Mailer;
use crate::workflow::Ctx;

/// The language of emails to an expert: Dutch when it speaks Dutch, else English.
pub fn lang_of(row: &ExpertRow) -> Lang {
    if row.languages().iter().any(|l| l == "nl") {
        Lang::Nl
    } else {
        Lang::En
    }
}

/// Queues `template` to the expert's contact person, in the expert's language.
pub fn email_expert(
    conn: &mut DbConn,
    ctx: Ctx<'_>,
    row: &ExpertRow,
    template: &str,
    data: Value,
) -> Result<(), AppError> {
    let email = Email::parse(&row.email).map_err(AppError::internal)?;
    let to = Mailer::recipient(Some(&row.contact_name), &email);
    ctx.mailer
        .enqueue(conn, template, lang_of(row), &to, &data, ctx.now)?;
    Ok(())
}

/// Tells the moderators (`MODERATOR_ALERT_EMAIL`, when set) that an expert waits for review.
pub fn alert_moderators(
    conn: &mut DbConn,
    ctx: Ctx<'_>,
    row: &ExpertRow,
    why: &str,
) -> Result<(), AppError> {
    let Some(to) = ctx.settings.moderator_alert_email.clone() else {
        return Ok(());
    };
    let data = serde_json::json!({
        "expert_id": row.id,
        "company_name": row.company_name,
        "kvk_number": row.kvk_number,
        "why": why,
    });
    let alert = crate::mail::alerts::Alert {
        template: "expert_pending_review",
        data: &data,
        intake_id: None,
    };
    crate::mail::alerts::raise(conn, ctx.mailer, &[to], alert, ctx.now)
}
