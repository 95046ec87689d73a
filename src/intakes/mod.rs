//! Victim intakes: creation (with idempotency), neutral matching against the vetted experts, the
//! case as the victim sees it. Each workflow is one write transaction that records the new state
//! with its audit entries and the emails it causes.

pub mod form;
pub mod notify;
pub mod pool;
pub mod submit;
pub mod view;

use crate::db::models::audit::actions;
use crate::domain::{ExpertId, IntakeId, IntakeStatus};
use serde_json::json;

pub use form::{IntakeRequest, NewIntake};

use crate::db::models::audit;
use crate::db::models::intake::{self, IntakeRow, MatchRow};
use crate::db::models::intake_clock;
use crate::db::models::outcomes::{self, Phase};
use crate::db::{DbConn, write_tx};
use crate::domain::token::NewToken;
use crate::error::{AppError, FieldError};
use crate::i18n::Lang;
use crate::incidents::Catalogue;
use crate::matching::{Match, MatchRequest};
use crate::workflow::Ctx;
pub use pool::CandidatePool;

/// The version of the referral disclaimer a victim accepts with `disclaimer_accepted`.
pub const DISCLAIMER_VERSION: &str = "2026-11-23";

/// An `Idempotency-Key` and the fingerprint of the body it came with.
#[derive(Debug, Clone)]
pub struct Idempotency {
    pub key: String,
    pub fingerprint: String,
}

/// A created (or, for a repeated idempotent request, the earlier) intake with a fresh case token.
pub struct Created {
    pub intake: IntakeRow,
    pub access_token: String,
    pub matches: Vec<(MatchRow, String)>,
    pub replayed: bool,
}

/// The language of texts for this intake's victim: Dutch for Dutch, else English.
pub fn lang_of(row: &IntakeRow) -> Lang {
    Lang::for_speaker(&row.language)
}

/// Creates an intake with its matches, case token, emails and audit entries in one write
/// transaction, or answers a repeated idempotent request with the earlier intake. `Ok(None)`
/// when another request with the same idempotency key committed first: [`submit::submit`] then
/// asks again and gets that intake.
pub fn create(
    conn: &mut DbConn,
    ctx: Ctx<'_>,
    new: NewIntake,
    idempotency: Option<Idempotency>,
) -> Result<Option<Created>, AppError> {
    let (pool, catalogue) = (ctx.candidates, ctx.catalogue);
    let mut row = new_row(&new, idempotency.as_ref(), ctx.now);
    // Everything that needs no lock happens before the write transaction: ranking (from the
    // in-memory index), the case token, and the email (templates). Inside it: the chosen experts
    // are checked again, then a handful of inserts; the audit chain's lock comes last.
    let request = match_request(catalogue, &row, Vec::new())?;
    let ranked = pool.rank(conn, &request)?;
    let token = NewToken::generate();
    let discovered_at = new.discovered_at.unwrap_or(ctx.now);
    let received = notify::prepare_received(
        ctx,
        catalogue,
        &row,
        discovered_at,
        &token.secret,
        ranked.matches.len(),
    )?;
    write_tx(conn, |conn| {
        if let Some(idem) = &idempotency
            && let Some(existing) = intake::find_by_idempotency_key(conn, &idem.key)?
        {
            return replay(conn, ctx, existing, &idem.fingerprint).map(Some);
        }
        let matches = pool.confirm(conn, &request, ranked)?;
        if matches.is_empty() {
            row.status = IntakeStatus::Unmatched;
        }
        if idempotency.is_none() {
            intake::insert(conn, &row)?;
        } else if !intake::insert_keyed(conn, &row)? {
            return Ok(None);
        }
        intake_clock::set_discovered(conn, &row.id, discovered_at)?;
        intake::add_token(conn, &row.id, &token.hash, ctx.now)?;
        let stored = store_matches(conn, &row, &matches, ctx.now)?;
        if let Some(answers) = &new.resilience {
            outcomes::store(conn, &row.id, Phase::Baseline, answers, ctx.now)?;
        }
        if let Some(top) = matches.first() {
            intake::mark_referred(conn, &top.expert_id, ctx.now)?;
        }
        notify::intake_received(
            conn,
            ctx,
            catalogue,
            &row,
            &token.secret,
            received,
            stored.len(),
        )?;
        if matches.is_empty() {
            notify::unmatched(conn, ctx, catalogue, &row)?;
        }
        record_audit(conn, &row, &matches, ctx.now)?;
        let with_names = stored
            .into_iter()
            .zip(matches.iter().map(|m| m.company_name.clone()))
            .collect();
        Ok(Some(Created {
            intake: row,
            access_token: token.secret,
            matches: with_names,
            replayed: false,
        }))
    })
}

/// The same key again: the same body gets the same intake (with a token of its own, as the first
/// answer may never have arrived); another body is refused.
fn replay(
    conn: &mut DbConn,
    ctx: Ctx<'_>,
    existing: IntakeRow,
    fingerprint: &str,
) -> Result<Created, AppError> {
    if existing.request_fingerprint.as_deref() != Some(fingerprint) {
        return Err(AppError::Validation(vec![FieldError::new(
            "Idempotency-Key",
            "was already used for a different request; use a new key for a new intake",
        )]));
    }
    let token = NewToken::generate();
    intake::add_token(conn, &existing.id, &token.hash, ctx.now)?;
    let matches = intake::matches_of(conn, &existing.id)?;
    Ok(Created {
        intake: existing,
        access_token: token.secret,
        matches,
        replayed: true,
    })
}

/// Ranks the current candidates for a stored (or about to be stored) intake, leaving out
/// `exclude`. Every re-offer goes through here (inside its write transaction), so it ranks as
/// the first offer did.
pub fn matches_for(
    conn: &mut DbConn,
    pool: &CandidatePool,
    catalogue: &Catalogue,
    row: &IntakeRow,
    exclude: Vec<ExpertId>,
) -> Result<Vec<Match>, AppError> {
    let request = match_request(catalogue, row, exclude)?;
    let ranked = pool.rank(conn, &request)?;
    pool.confirm(conn, &request, ranked)
}

/// What matching needs to know about a stored (or about to be stored) intake.
pub fn match_request(
    catalogue: &Catalogue,
    row: &IntakeRow,
    exclude: Vec<ExpertId>,
) -> Result<MatchRequest, AppError> {
    let incident = row.incident_type;
    let info = catalogue.get(incident);
    Ok(MatchRequest {
        incident_type: incident,
        remote_possible: info.remote_possible,
        needs_on_site: row.needs_on_site,
        lat: row.lat,
        lon: row.lon,
        place: row.place.clone(),
        language: row.language.clone(),
        victim_kvk: row.company_kvk.clone(),
        victim_email_domain: row
            .contact_email
            .as_deref()
            .and_then(|e| crate::domain::Email::parse(e).ok())
            .map(|e| e.domain().to_owned())
            .unwrap_or_default(),
        exclude,
    })
}

fn new_row(new: &NewIntake, idem: Option<&Idempotency>, now: chrono::NaiveDateTime) -> IntakeRow {
    IntakeRow {
        id: IntakeId::generate(),
        status: IntakeStatus::Open,
        incident_type: new.incident_type,
        urgency: new.urgency,
        description: Some(new.description.clone()),
        place: new.location.place.clone(),
        municipality: new.location.municipality.clone(),
        province: new.location.province.clone(),
        lat: new.location.lat,
        lon: new.location.lon,
        needs_on_site: new.needs_on_site,
        language: new.language.as_str().to_owned(),
        contact_name: Some(new.contact_name.clone()),
        contact_email: Some(new.contact_email.as_str().to_owned()),
        contact_phone: new.contact_phone.as_ref().map(|p| p.as_str().to_owned()),
        company_name: new.company_name.clone(),
        company_kvk: new.company_kvk.as_ref().map(|k| k.as_str().to_owned()),
        company_employees: new.company_employees,
        company_sector: new.company_sector.clone(),
        disclaimer_version: DISCLAIMER_VERSION.to_owned(),
        consented_at: now,
        idempotency_key: idem.map(|i| i.key.clone()),
        request_fingerprint: idem.map(|i| i.fingerprint.clone()),
        created_at: now,
        updated_at: now,
        closed_at: None,
        outcome: None,
        erased_at: None,
        connected_expert_id: None,
        connected_at: None,
        feedback_invited_at: None,
        resilience_invited_at: None,
    }
}

fn store_matches(
    conn: &mut DbConn,
    row: &IntakeRow,
    matches: &[Match],
    now: chrono::NaiveDateTime,
) -> Result<Vec<MatchRow>, AppError> {
    let rows = match_rows(&row.id, matches, now);
    intake::insert_matches(conn, &rows)?;
    Ok(rows)
}

/// The stored form of ranked matches: rank from 1, mode as its code, reasons as JSON codes.
pub fn match_rows(
    intake_id: &IntakeId,
    matches: &[Match],
    now: chrono::NaiveDateTime,
) -> Vec<MatchRow> {
    matches
        .iter()
        .zip(1..)
        .map(|(m, rank)| MatchRow {
            intake_id: intake_id.to_owned(),
            expert_id: m.expert_id.clone(),
            rank,
            mode: match m.mode {
                crate::matching::Mode::OnSite => "on_site",
                crate::matching::Mode::Remote => "remote",
            }
            .to_owned(),
            distance_km: m.distance_km,
            reason_codes: json!(m.reasons).to_string(),
            created_at: now,
        })
        .collect()
}

/// One entry for the intake, one per referral with its rank and reason codes (ids only, no names;
/// no sentences either, so the log reads the same in every language).
fn record_audit(
    conn: &mut DbConn,
    row: &IntakeRow,
    matches: &[Match],
    now: chrono::NaiveDateTime,
) -> Result<(), AppError> {
    let entry = |action, details| audit::NewEntry {
        actor: audit::Actor::Victim(&row.id),
        action,
        subject_kind: "intake",
        subject_id: &row.id,
        reason: None,
        details,
    };
    let summary = json!({
        "incident_type": row.incident_type, "urgency": row.urgency, "province": row.province,
        "municipality": row.municipality, "needs_on_site": row.needs_on_site,
        "language": row.language, "matches": matches.len(),
    });
    let mut entries = vec![entry(actions::INTAKE_CREATED, summary)];
    for (i, m) in matches.iter().enumerate() {
        let details = json!({
            "expert_id": m.expert_id, "rank": i + 1, "mode": m.mode,
            "distance_km": m.distance_km, "reason_codes": m.reasons,
        });
        entries.push(entry(actions::REFERRAL_OFFERED, details));
    }
    if matches.is_empty() {
        entries.push(entry(
            actions::INTAKE_UNMATCHED,
            json!({"reason": "no expert fits"}),
        ));
    }
    audit::record_all(conn, now, entries)?;
    Ok(())
}
