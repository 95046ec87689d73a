//! Match reasons stored as sentences (before issue 15) become [`Reason`] codes. Matching only ever
//! wrote one wording per language ("12 km van Bergen op Zoom" / "12 km from Bergen op Zoom",
//! "helpt op afstand (…)" / "helps remotely (…)", "specialist in …" / "… specialist",
//! "spreekt …" / "speaks …", and two fixed sentences), so each is read back by its shape: the
//! distance and place from the sentence, the incident type and language from the intake the
//! reason was about (it always named those). A sentence that fits no shape is kept as it was, as
//! a `legacy` reason. Rows already holding codes (`[{…}]`) are left alone.

use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::{intake_matches, intakes};
use crate::domain::{IncidentType, Reason};

/// Rewrites every match row whose reasons are still sentences; returns how many it changed.
pub fn convert(conn: &mut DbConn) -> QueryResult<usize> {
    let rows: Vec<(String, String, String, String, String)> = intake_matches::table
        .inner_join(intakes::table)
        .filter(intake_matches::reason_codes.like("[\"%"))
        .select((
            intake_matches::intake_id,
            intake_matches::expert_id,
            intake_matches::reason_codes,
            intakes::incident_type,
            intakes::language,
        ))
        .load(conn)?;
    let mut changed = 0;
    for (intake_id, expert_id, stored, incident, language) in rows {
        let Ok(sentences) = serde_json::from_str::<Vec<String>>(&stored) else {
            continue;
        };
        let incident = IncidentType::parse(&incident);
        let codes: Vec<Reason> = sentences
            .iter()
            .map(|s| read_sentence(s, incident, &language))
            .collect();
        let json = serde_json::to_string(&codes).expect("reasons serialise");
        changed += diesel::update(intake_matches::table.find((&intake_id, &expert_id)))
            .set(intake_matches::reason_codes.eq(json))
            .execute(conn)?;
    }
    Ok(changed)
}

/// The reason an old sentence stated about an intake of `incident` in `language`.
pub fn read_sentence(sentence: &str, incident: Option<IncidentType>, language: &str) -> Reason {
    let legacy = || Reason::Legacy {
        text: sentence.to_owned(),
    };
    match sentence {
        "dag en nacht bereikbaar (24/7)" | "available 24/7" => return Reason::Available247,
        "heeft nu ruimte voor een nieuwe zaak" | "has room for a new case now" => {
            return Reason::HasRoom;
        }
        _ => {}
    }
    let remote = ["helpt op afstand (", "helps remotely ("]
        .iter()
        .find_map(|p| sentence.strip_prefix(p)?.strip_suffix(')'));
    if let Some(inner) = remote {
        return distance(inner).map_or_else(legacy, |(km, place)| Reason::Remote { km, place });
    }
    if let Some((km, place)) = distance(sentence) {
        return Reason::Distance { km, place };
    }
    if sentence.starts_with("spreekt ") || sentence.starts_with("speaks ") {
        return Reason::Speaks {
            language: language.to_owned(),
        };
    }
    if sentence.starts_with("specialist in ") || sentence.ends_with(" specialist") {
        return incident.map_or_else(legacy, |incident| Reason::Expertise { incident });
    }
    legacy()
}

/// "12 km van Bergen op Zoom" / "12 km from Bergen op Zoom" → (12, "Bergen op Zoom").
fn distance(text: &str) -> Option<(u32, String)> {
    let (km, place) = text
        .split_once(" km van ")
        .or_else(|| text.split_once(" km from "))?;
    let km = km.parse().ok()?;
    (!place.is_empty()).then(|| (km, place.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(sentence: &str) -> Reason {
        read_sentence(sentence, Some(IncidentType::Ransomware), "tr")
    }

    #[test]
    fn every_old_wording_reads_back_as_its_code() {
        let at = |km, place: &str| Reason::Distance {
            km,
            place: place.into(),
        };
        assert_eq!(read("12 km van Bergen op Zoom"), at(12, "Bergen op Zoom"));
        assert_eq!(
            read("3 km from 's-Hertogenbosch"),
            at(3, "'s-Hertogenbosch")
        );
        let remote = Reason::Remote {
            km: 140,
            place: "Goes".into(),
        };
        assert_eq!(read("helpt op afstand (140 km van Goes)"), remote);
        assert_eq!(read("helps remotely (140 km from Goes)"), remote);
        let expertise = Reason::Expertise {
            incident: IncidentType::Ransomware,
        };
        assert_eq!(read("specialist in ransomware"), expertise);
        assert_eq!(read("ransomware specialist"), expertise);
        let speaks = Reason::Speaks {
            language: "tr".into(),
        };
        assert_eq!(read("spreekt Turks"), speaks);
        assert_eq!(read("speaks Turkish"), speaks);
        assert_eq!(read("dag en nacht bereikbaar (24/7)"), Reason::Available247);
        assert_eq!(read("available 24/7"), Reason::Available247);
        assert_eq!(
            read("heeft nu ruimte voor een nieuwe zaak"),
            Reason::HasRoom
        );
        assert_eq!(read("has room for a new case now"), Reason::HasRoom);
    }

    #[test]
    fn a_sentence_of_no_known_shape_is_kept_as_it_was() {
        for odd in [
            "bijna 12 km van Goes",
            "helpt op afstand (ver weg)",
            "x km van Goes",
            "",
        ] {
            assert_eq!(read(odd), Reason::Legacy { text: odd.into() }, "{odd:?}");
        }
    }
}
