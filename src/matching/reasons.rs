//! Reasons a person understands, in the victim's language: "12 km van Bergen op Zoom",
//! "specialist in ransomware", "spreekt Nederlands", "dag en nacht bereikbaar".

use super::{Candidate, MatchRequest, Mode};
use crate::i18n::{Lang, language_name};

pub fn explain(request: &MatchRequest, c: &Candidate, mode: Mode, distance_km: f64) -> Vec<String> {
    let nl = request.lang == Lang::Nl;
    let km = distance_km.round().max(1.0) as u64;
    let mut reasons = Vec::with_capacity(5);
    reasons.push(match (mode, nl) {
        (Mode::OnSite, true) => format!("{km} km van {}", request.place),
        (Mode::OnSite, false) => format!("{km} km from {}", request.place),
        (Mode::Remote, true) => format!("helpt op afstand ({km} km van {})", request.place),
        (Mode::Remote, false) => format!("helps remotely ({km} km from {})", request.place),
    });
    reasons.push(if nl {
        format!("specialist in {}", request.incident_name.to_lowercase())
    } else {
        format!("{} specialist", request.incident_name.to_lowercase())
    });
    let language = language_name(&request.language, request.lang);
    reasons.push(if nl {
        format!("spreekt {language}")
    } else {
        format!("speaks {language}")
    });
    if c.available_24_7 {
        reasons.push(
            if nl {
                "dag en nacht bereikbaar (24/7)"
            } else {
                "available 24/7"
            }
            .to_owned(),
        );
    }
    if c.open_cases == 0 {
        reasons.push(
            if nl {
                "heeft nu ruimte voor een nieuwe zaak"
            } else {
                "has room for a new case now"
            }
            .to_owned(),
        );
    }
    reasons
}
