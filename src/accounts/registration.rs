//! Registration and email verification: a new expert starts `unverified`, gets a single-use link
//! valid for 48 hours, and becomes `pending_review` when it confirms.

use crate::db::models::audit::actions;
use chrono::Duration;
use serde_json::json;

use crate::db::models::{audit, code_of_conduct, expert, verification};
use crate::db::{DbConn, models::expert::ExpertRow, write_tx};
use crate::domain::ExpertId;
use crate::domain::token::{NewToken, hash_token};
use crate::domain::{
    Email, ExpertAction, ExpertStatus, IncidentType, KvkNumber, Language, Location, Password,
    PasswordHash, Phone, Website,
};
use crate::error::{AppError, ConflictKind};
use crate::experts::{alert_moderators, email_expert};
use crate::workflow::{Ctx, Runner};

/// How long a verification link works.
pub const VERIFICATION_LIFETIME: Duration = Duration::hours(48);

/// A registration whose every field has been checked.
pub struct Registration {
    pub company_name: String,
    pub kvk_number: KvkNumber,
    pub email: Email,
    pub contact_name: String,
    pub phone: Phone,
    pub website: Option<Website>,
    pub base: Location,
    pub radius_km: i32,
    pub remote: bool,
    pub expertise: Vec<IncidentType>,
    pub languages: Vec<Language>,
    pub capacity: i32,
    pub available_24_7: bool,
    pub code_of_conduct_version: i32,
}

/// Registers a new expert company: hashes the password on the blocking pool (argon2 is slow by
/// design), then [`record`]s it. The one path of the API and the registration page.
pub async fn register(
    runner: &Runner,
    reg: Registration,
    password: Password,
) -> Result<ExpertRow, AppError> {
    let hash = runner.blocking(move || password.hash()).await?;
    runner
        .run(move |ctx, conn| record(conn, ctx, &reg, &hash))
        .await
}

/// Creates the expert, its verification link and email, and the audit entry; returns the row.
pub fn record(
    conn: &mut DbConn,
    ctx: Ctx<'_>,
    reg: &Registration,
    hash: &PasswordHash,
) -> Result<ExpertRow, AppError> {
    write_tx(conn, |conn| {
        let current = code_of_conduct::current_version(conn)?;
        if reg.code_of_conduct_version != current {
            return Err(AppError::field(
                "code_of_conduct_version",
                format!(
                    "must be the current version ({current}); read it at GET /api/v1/code-of-conduct"
                ),
            ));
        }
        release_lapsed(conn, ctx, reg)?;
        if expert::email_taken(conn, reg.email.as_str())?
            || expert::kvk_taken(conn, reg.kvk_number.as_str(), None)?
        {
            return Err(AppError::Conflict(ConflictKind::RegistrationTaken));
        }
        let row = new_row(reg, hash, ctx);
        expert::insert(conn, &row, &reg.expertise).map_err(|e| match e {
            AppError::Conflict(_) => AppError::Conflict(ConflictKind::RegistrationTaken),
            other => other,
        })?;
        audit::record(
            conn,
            ctx.now,
            audit::NewEntry {
                actor: audit::Actor::Expert(&row.id),
                action: actions::EXPERT_REGISTERED,
                subject_kind: "expert",
                subject_id: &row.id,
                reason: None,
                details: json!({ "code_of_conduct_version": current }),
            },
        )?;
        send_verification(conn, ctx, &row)?;
        Ok(row)
    })
}

/// Frees the email address and KvK number held by registrations that were never confirmed and
/// whose links have all expired; each removal is in the audit log.
fn release_lapsed(conn: &mut DbConn, ctx: Ctx<'_>, reg: &Registration) -> Result<(), AppError> {
    let lapsed = verification::lapsed_registrations(
        conn,
        reg.email.as_str(),
        reg.kvk_number.as_str(),
        ctx.now,
        VERIFICATION_LIFETIME,
    )?;
    if lapsed.is_empty() {
        return Ok(());
    }
    verification::delete_lapsed(conn, &lapsed)?;
    for id in &lapsed {
        audit::record(
            conn,
            ctx.now,
            audit::NewEntry {
                actor: audit::Actor::System,
                action: actions::EXPERT_REGISTRATION_LAPSED,
                subject_kind: "expert",
                subject_id: id,
                reason: Some(
                    "email address not confirmed within 48 hours; a new registration \
                     used its email address or KvK number",
                ),
                details: json!({}),
            },
        )?;
    }
    Ok(())
}

fn new_row(reg: &Registration, hash: &PasswordHash, ctx: Ctx<'_>) -> ExpertRow {
    let languages: Vec<&str> = reg.languages.iter().map(Language::as_str).collect();
    ExpertRow {
        id: ExpertId::generate(),
        status: ExpertStatus::Unverified,
        paused: false,
        company_name: reg.company_name.clone(),
        kvk_number: reg.kvk_number.as_str().to_owned(),
        email: reg.email.as_str().to_owned(),
        password_hash: hash.as_str().to_owned(),
        contact_name: reg.contact_name.clone(),
        phone: reg.phone.as_str().to_owned(),
        website: reg.website.as_ref().map(|w| w.as_str().to_owned()),
        base_lat: reg.base.lat,
        base_lon: reg.base.lon,
        base_place: reg.base.place.clone(),
        base_municipality: reg.base.municipality.clone(),
        base_province: reg.base.province.clone(),
        radius_km: reg.radius_km,
        remote: reg.remote,
        languages: serde_json::Value::from(languages).to_string(),
        capacity: reg.capacity,
        open_cases: 0,
        available_24_7: reg.available_24_7,
        code_of_conduct_version: reg.code_of_conduct_version,
        code_of_conduct_accepted_at: ctx.now,
        status_reason: None,
        verified_at: None,
        approved_at: None,
        last_referral_at: None,
        created_at: ctx.now,
        updated_at: ctx.now,
    }
}

/// Retires earlier links and sends a new one (registration, or "send the link again").
pub fn send_verification(conn: &mut DbConn, ctx: Ctx<'_>, row: &ExpertRow) -> Result<(), AppError> {
    verification::retire_all_for(conn, &row.id)?;
    let token = NewToken::generate();
    verification::insert(
        conn,
        &verification::VerificationToken {
            token_hash: token.hash,
            expert_id: row.id.clone(),
            created_at: ctx.now,
            expires_at: ctx.now + VERIFICATION_LIFETIME,
            used_at: None,
        },
    )?;
    let link = ctx
        .settings
        .link(&format!("experts/verify?token={}", token.secret));
    email_expert(
        conn,
        ctx,
        row,
        "expert_verification",
        json!({
            "contact_name": row.contact_name,
            "company_name": row.company_name,
            "verify_url": link,
            "valid_hours": VERIFICATION_LIFETIME.num_hours(),
        }),
    )
}

/// Sends a fresh link to an expert that is still unverified.
pub fn resend(conn: &mut DbConn, ctx: Ctx<'_>, expert_id: &ExpertId) -> Result<(), AppError> {
    write_tx(conn, |conn| {
        let row = expert::get(conn, expert_id)?;
        if row.status != ExpertStatus::Unverified {
            return Err(AppError::Conflict(ConflictKind::AlreadyVerified));
        }
        send_verification(conn, ctx, &row)
    })
}

/// Why a verification link does not work.
pub const UNKNOWN_LINK: &str =
    "is not a valid verification link; copy the whole link from the email";
pub const EXPIRED_LINK: &str =
    "This verification link has expired (links work for 48 hours). Log in and ask for a new link.";

/// Confirms an email address: unknown → 422 (its only validation error, which callers count as
/// a wrong token), used → 409, expired → 410; else `pending_review`.
pub fn verify(conn: &mut DbConn, ctx: Ctx<'_>, secret: &str) -> Result<ExpertRow, AppError> {
    let hash = hash_token(secret.trim());
    write_tx(conn, |conn| {
        let token = verification::find(conn, &hash)?
            .ok_or_else(|| AppError::field("token", UNKNOWN_LINK))?;
        if token.used_at.is_some() {
            return Err(AppError::Conflict(ConflictKind::TokenUsed));
        }
        if token.expires_at <= ctx.now {
            return Err(AppError::Gone(EXPIRED_LINK.into()));
        }
        if !verification::mark_used(conn, &hash, ctx.now)? {
            return Err(AppError::Conflict(ConflictKind::TokenUsed));
        }
        let mut row = expert::get(conn, &token.expert_id)?;
        let next = row
            .status
            .apply(ExpertAction::Verify)
            .map_err(|_| AppError::Conflict(ConflictKind::TokenUsed))?;
        expert::set_status(conn, &row.id, row.status, next, None, ctx.now)?;
        audit::record(
            conn,
            ctx.now,
            audit::NewEntry {
                actor: audit::Actor::Expert(&row.id),
                action: actions::EXPERT_VERIFIED,
                subject_kind: "expert",
                subject_id: &row.id,
                reason: None,
                details: json!({}),
            },
        )?;
        alert_moderators(conn, ctx, &row, "registered")?;
        row.status = next;
        Ok(row)
    })
}
