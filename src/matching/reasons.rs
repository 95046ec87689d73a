//! Why a candidate fits, as [`Reason`] codes with parameters: how far away and whether on site,
//! the expertise, the language, 24/7 and room for a case now. The words ("12 km van Bergen op
//! Zoom", "speaks Turkish") are chosen where a person reads them, in that person's language.

use super::{Candidate, MatchRequest, Mode};
use crate::domain::Reason;

/// A distance as people read it: whole kilometres, at least 1 (never "0 km" for a neighbour).
pub fn whole_km(distance_km: f64) -> u32 {
    distance_km.round().max(1.0) as u32
}

/// Why `c` fits `request`; `speaks` whether it speaks the victim's language (else the reason names
/// the fallback language it speaks, so the victim sees what to expect).
pub fn explain(
    request: &MatchRequest,
    c: &Candidate,
    mode: Mode,
    distance_km: f64,
    speaks: bool,
) -> Vec<Reason> {
    let km = whole_km(distance_km);
    let place = request.place.clone();
    let mut reasons = Vec::with_capacity(5);
    reasons.push(match mode {
        Mode::OnSite => Reason::Distance { km, place },
        Mode::Remote => Reason::Remote { km, place },
    });
    reasons.push(Reason::Expertise {
        incident: request.incident_type,
    });
    let language = if speaks {
        request.language.clone()
    } else {
        super::FALLBACK_LANGUAGES
            .into_iter()
            .find(|l| c.languages.iter().any(|spoken| spoken == l))
            .unwrap_or_default()
            .to_owned()
    };
    reasons.push(Reason::Speaks { language });
    if c.available_24_7 {
        reasons.push(Reason::Available247);
    }
    if c.open_cases == 0 {
        reasons.push(Reason::HasRoom);
    }
    reasons
}
