//! Matching: which vetted experts fit an intake, in which neutral order, and why. Pure functions
//! over data the database supplies; nothing here touches HTTP or diesel, so the rules are tested
//! and benchmarked on their own.
//!
//! The published policy (also served at `/api/v1/referral-policy`):
//! 1. Candidates are approved, unpaused, below capacity, bound to the current code of conduct,
//!    have the incident type and speak the intake's language or else one of
//!    [`FALLBACK_LANGUAGES`] (Dutch, English); never the victim's own company.
//! 2. Reach: on-site when the victim is within the expert's radius; otherwise remote, but only
//!    when the victim does not need on-site help, the incident allows it and the expert helps
//!    remotely.
//! 3. Order: speakers of the victim's language first, then on-site before remote, then distance in steps of [`DISTANCE_STEP_KM`], then current
//!    load (open cases / capacity), then the expert placed first least recently (fair rotation).
//!    Nothing an expert could pay for is an input.
//! 4. At most [`MAX_MATCHES`], each with its reasons as codes ([`Reason`]), which the pages and
//!    the API put into words in the reader's language.

pub mod index;
mod reasons;
pub use reasons::whole_km;
#[cfg(test)]
mod tests;

use std::cmp::Ordering;

use chrono::NaiveDateTime;
use serde::Serialize;

use crate::domain::{ExpertId, IncidentType, Reason};
use crate::geo::distance_km;

pub const MAX_MATCHES: usize = 3;
/// The languages an expert who does not speak the victim's language must speak to be matched.
pub const FALLBACK_LANGUAGES: [&str; 2] = ["nl", "en"];
/// Distances within the same step count as equal, so that neighbours take turns.
pub const DISTANCE_STEP_KM: f64 = 5.0;

/// An expert as matching sees it.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub expert_id: ExpertId,
    pub company_name: String,
    pub kvk_number: String,
    /// The domain of the expert's login email, lowercased.
    pub email_domain: String,
    pub lat: f64,
    pub lon: f64,
    pub radius_km: f64,
    pub remote: bool,
    pub expertise: Vec<IncidentType>,
    pub languages: Vec<String>,
    pub capacity: u32,
    pub open_cases: u32,
    pub available_24_7: bool,
    /// Approved, not paused, accepted the current code of conduct (the database pre-filters on
    /// this too; matching checks again so that no caller can get it wrong).
    pub eligible: bool,
    /// When this expert was last placed first in a list of matches.
    pub last_referred_at: Option<NaiveDateTime>,
}

/// What matching needs to know about an intake.
#[derive(Debug, Clone)]
pub struct MatchRequest {
    pub incident_type: IncidentType,
    /// Whether the incident can be helped remotely at all (from the taxonomy).
    pub remote_possible: bool,
    pub needs_on_site: bool,
    pub lat: f64,
    pub lon: f64,
    /// The victim's place, for reasons ("12 km from Bergen op Zoom").
    pub place: String,
    /// ISO 639-1 code of the language the victim wants help in.
    pub language: String,
    pub victim_kvk: Option<String>,
    pub victim_email_domain: String,
    /// Experts who must not be offered again (declined or let a request expire).
    pub exclude: Vec<ExpertId>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    OnSite,
    Remote,
}

#[derive(Debug, Clone, Serialize)]
pub struct Match {
    pub expert_id: ExpertId,
    pub company_name: String,
    pub mode: Mode,
    /// Rounded to 0.1 km.
    pub distance_km: f64,
    /// Why, as codes; put into words where they are shown.
    pub reasons: Vec<Reason>,
}

/// Up to [`MAX_MATCHES`] experts for `request`, best first.
pub fn match_experts(request: &MatchRequest, candidates: &[Candidate]) -> Vec<Match> {
    let ranked: Vec<Ranked<'_>> = candidates
        .iter()
        .filter_map(|c| assess(request, c))
        .collect();
    finish(request, ranked)
}

/// The best [`MAX_MATCHES`] of the candidates that fit, in order, with their reasons.
fn finish(request: &MatchRequest, mut ranked: Vec<Ranked<'_>>) -> Vec<Match> {
    if ranked.len() > MAX_MATCHES {
        ranked.select_nth_unstable_by(MAX_MATCHES - 1, Ranked::order);
        ranked.truncate(MAX_MATCHES);
    }
    ranked.sort_by(Ranked::order);
    ranked
        .into_iter()
        .map(|r| {
            // One figure: the reasons say the shown distance, rounded from the stored one (never
            // rounded twice from the exact one, which gave "71 km" beside "72 km").
            let distance_km = (r.distance_km * 10.0).round() / 10.0;
            Match {
                expert_id: r.candidate.expert_id.clone(),
                company_name: r.candidate.company_name.clone(),
                mode: r.mode,
                distance_km,
                reasons: reasons::explain(request, r.candidate, r.mode, distance_km, r.speaks),
            }
        })
        .collect()
}

/// A candidate that fits, with what orders it.
struct Ranked<'a> {
    candidate: &'a Candidate,
    /// Speaks the victim's language (else only a fallback language).
    speaks: bool,
    mode: Mode,
    distance_km: f64,
    distance_step: u32,
    load: f64,
}

impl Ranked<'_> {
    fn order(a: &Self, b: &Self) -> Ordering {
        let mode = |r: &Self| r.mode == Mode::Remote;
        b.speaks
            .cmp(&a.speaks)
            .then(mode(a).cmp(&mode(b)))
            .then(a.distance_step.cmp(&b.distance_step))
            .then(a.load.total_cmp(&b.load))
            // Never placed first (None) sorts before any time: Option orders None first.
            .then(
                a.candidate
                    .last_referred_at
                    .cmp(&b.candidate.last_referred_at),
            )
            .then_with(|| a.candidate.expert_id.cmp(&b.candidate.expert_id))
    }
}

/// Whether a candidate fits and how; `None` when any rule excludes it.
fn assess<'a>(request: &MatchRequest, c: &'a Candidate) -> Option<Ranked<'a>> {
    let fits = c.eligible
        && c.open_cases < c.capacity
        && c.expertise.contains(&request.incident_type)
        && c.languages
            .iter()
            .any(|l| *l == request.language || FALLBACK_LANGUAGES.contains(&l.as_str()))
        && !request.exclude.contains(&c.expert_id)
        && !conflict_of_interest(request, c);
    if !fits {
        return None;
    }
    let distance = distance_km((request.lat, request.lon), (c.lat, c.lon));
    let mode = if distance <= c.radius_km {
        Mode::OnSite
    } else if !request.needs_on_site && request.remote_possible && c.remote {
        Mode::Remote
    } else {
        return None;
    };
    Some(Ranked {
        candidate: c,
        speaks: c.languages.contains(&request.language),
        mode,
        distance_km: distance,
        distance_step: (distance / DISTANCE_STEP_KM).floor() as u32,
        load: f64::from(c.open_cases) / f64::from(c.capacity.max(1)),
    })
}

/// Never the victim's own company: the same KvK number, or the same (non-public) email domain.
fn conflict_of_interest(request: &MatchRequest, c: &Candidate) -> bool {
    let same_kvk = request
        .victim_kvk
        .as_deref()
        .is_some_and(|kvk| kvk == c.kvk_number);
    let domain = request.victim_email_domain.as_str();
    let same_domain = !domain.is_empty()
        && !crate::domain::is_public_mail_domain(domain)
        && domain.eq_ignore_ascii_case(&c.email_domain);
    same_kvk || same_domain
}
