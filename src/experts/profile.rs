//! An expert keeps its own profile: edits (a material change — expertise, region or company
//! data — sends an approved profile back to review), pause and resume, accepting a new code of
//! conduct, and resubmitting after a rejection.

use crate::db::models::audit::actions;
use serde_json::json;

use super::{Ctx, alert_moderators};
use crate::db::models::expert::{self, ExpertRow, ProfileChanges};
use crate::db::models::{audit, code_of_conduct};
use crate::db::{DbConn, write_tx};
use crate::domain::ExpertId;
use crate::domain::{
    ExpertAction, ExpertStatus, IncidentType, KvkNumber, Language, Location, Phone, Website,
};
use crate::error::{AppError, ConflictKind};

/// Checked profile edits; `None` leaves a field as it is.
#[derive(Debug, Default)]
pub struct ProfileUpdate {
    pub company_name: Option<String>,
    pub kvk_number: Option<KvkNumber>,
    pub contact_name: Option<String>,
    pub phone: Option<Phone>,
    /// `Some(None)` removes the website.
    pub website: Option<Option<Website>>,
    pub base: Option<Location>,
    pub radius_km: Option<i32>,
    pub remote: Option<bool>,
    pub expertise: Option<Vec<IncidentType>>,
    pub languages: Option<Vec<Language>>,
    pub capacity: Option<i32>,
    pub available_24_7: Option<bool>,
}

/// The fields of `update` that differ from `row` and need a new review.
fn material_changes(
    row: &ExpertRow,
    old: &[IncidentType],
    update: &ProfileUpdate,
) -> Vec<&'static str> {
    let mut changed = Vec::new();
    let mut note = |field: &'static str, differs: bool| {
        if differs {
            changed.push(field);
        }
    };
    note(
        "company_name",
        update
            .company_name
            .as_ref()
            .is_some_and(|v| *v != row.company_name),
    );
    note(
        "kvk_number",
        update
            .kvk_number
            .as_ref()
            .is_some_and(|v| v.as_str() != row.kvk_number),
    );
    note(
        "website",
        update
            .website
            .as_ref()
            .is_some_and(|v| v.as_ref().map(Website::as_str) != row.website.as_deref()),
    );
    note(
        "base",
        update.base.as_ref().is_some_and(|b| {
            b.place != row.base_place || b.lat != row.base_lat || b.lon != row.base_lon
        }),
    );
    note(
        "radius_km",
        update.radius_km.is_some_and(|v| v != row.radius_km),
    );
    note(
        "expertise",
        update.expertise.as_ref().is_some_and(|v| {
            let mut v = v.clone();
            v.sort();
            v.dedup();
            v != old
        }),
    );
    changed
}

fn changeset(update: &ProfileUpdate) -> ProfileChanges {
    ProfileChanges {
        company_name: update.company_name.clone(),
        kvk_number: update.kvk_number.as_ref().map(|k| k.as_str().to_owned()),
        contact_name: update.contact_name.clone(),
        phone: update.phone.as_ref().map(|p| p.as_str().to_owned()),
        website: update
            .website
            .as_ref()
            .map(|w| w.as_ref().map(|w| w.as_str().to_owned())),
        base_lat: update.base.as_ref().map(|b| b.lat),
        base_lon: update.base.as_ref().map(|b| b.lon),
        base_place: update.base.as_ref().map(|b| b.place.clone()),
        base_municipality: update.base.as_ref().map(|b| b.municipality.clone()),
        base_province: update.base.as_ref().map(|b| b.province.clone()),
        radius_km: update.radius_km,
        remote: update.remote,
        languages: update.languages.as_ref().map(|l| {
            serde_json::Value::from(l.iter().map(Language::as_str).collect::<Vec<_>>()).to_string()
        }),
        capacity: update.capacity,
        available_24_7: update.available_24_7,
    }
}

/// Applies an edit; an approved expert whose material data changed goes back to review.
pub fn update(
    conn: &mut DbConn,
    ctx: Ctx<'_>,
    id: &ExpertId,
    update: &ProfileUpdate,
) -> Result<ExpertRow, AppError> {
    write_tx(conn, |conn| {
        let row = expert::get(conn, id)?;
        if let Some(kvk) = &update.kvk_number
            && expert::kvk_taken(conn, kvk.as_str(), Some(id))?
        {
            return Err(AppError::Conflict(ConflictKind::KvkTaken));
        }
        let old = expert::expertise_of(conn, id)?;
        let material = material_changes(&row, &old, update);
        expert::update_profile(conn, id, &changeset(update), ctx.now)?;
        if let Some(expertise) = &update.expertise {
            expert::set_expertise(conn, id, expertise)?;
        }
        let status = row.status;
        if !material.is_empty() && status == ExpertStatus::Approved {
            let next = status
                .apply(ExpertAction::BackToReview)
                .map_err(|e| AppError::Conflict(ConflictKind::ExpertStatus(e)))?;
            expert::set_status(conn, id, status, next, None, ctx.now)?;
            record(
                conn,
                ctx,
                id,
                actions::EXPERT_BACK_TO_REVIEW,
                json!({ "changed": material }),
            )?;
            let row = expert::get(conn, id)?;
            alert_moderators(conn, ctx, &row, "changed")?;
        }
        expert::get(conn, id)
    })
}

fn record(
    conn: &mut DbConn,
    ctx: Ctx<'_>,
    id: &ExpertId,
    action: &str,
    details: serde_json::Value,
) -> Result<(), AppError> {
    audit::record(
        conn,
        ctx.now,
        audit::NewEntry {
            actor: audit::Actor::Expert(id),
            action,
            subject_kind: "expert",
            subject_id: id,
            reason: None,
            details,
        },
    )?;
    Ok(())
}

/// Stops or resumes receiving requests; the status stays as it is.
pub fn set_paused(
    conn: &mut DbConn,
    ctx: Ctx<'_>,
    id: &ExpertId,
    paused: bool,
) -> Result<ExpertRow, AppError> {
    write_tx(conn, |conn| {
        let row = expert::get(conn, id)?;
        if row.paused != paused {
            expert::set_paused(conn, id, paused, ctx.now)?;
            let action = if paused {
                actions::EXPERT_PAUSED
            } else {
                actions::EXPERT_RESUMED
            };
            record(conn, ctx, id, action, json!({}))?;
        }
        expert::get(conn, id)
    })
}

/// Accepts a code of conduct version; only the current one can be accepted.
pub fn accept_code_of_conduct(
    conn: &mut DbConn,
    ctx: Ctx<'_>,
    id: &ExpertId,
    version: i64,
) -> Result<ExpertRow, AppError> {
    write_tx(conn, |conn| {
        let current = code_of_conduct::current_version(conn)?;
        if version != i64::from(current) {
            return Err(AppError::field(
                "version",
                format!(
                    "must be the current version ({current}); read it at GET /api/v1/code-of-conduct"
                ),
            ));
        }
        expert::get(conn, id)?;
        expert::accept_code_of_conduct(conn, id, current, ctx.now)?;
        record(
            conn,
            ctx,
            id,
            actions::EXPERT_CODE_OF_CONDUCT_ACCEPTED,
            json!({ "version": current }),
        )?;
        expert::get(conn, id)
    })
}

/// A rejected expert asks for a new review after editing its profile.
pub fn resubmit(conn: &mut DbConn, ctx: Ctx<'_>, id: &ExpertId) -> Result<ExpertRow, AppError> {
    write_tx(conn, |conn| {
        let row = expert::get(conn, id)?;
        let from = row.status;
        let next = from
            .apply(ExpertAction::Resubmit)
            .map_err(|e| AppError::Conflict(ConflictKind::ExpertStatus(e)))?;
        expert::set_status(conn, id, from, next, None, ctx.now)?;
        record(conn, ctx, id, actions::EXPERT_RESUBMITTED, json!({}))?;
        alert_moderators(conn, ctx, &row, "resubmitted")?;
        expert::get(conn, id)
    })
}
