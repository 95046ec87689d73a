//! Dutch 4-digit postcodes (PC4): reading what people type (`4611 AB`, `4611ab`, `4611`) and the
//! shipped table `postcodes_nl.tsv` (GeoNames postal codes, CC BY 4.0) from each PC4 area to its
//! place and point.

use std::collections::HashMap;
use std::sync::OnceLock;

const DATA: &str = include_str!("postcodes_nl.tsv");

/// The PC4 of a Dutch postcode: four digits (not starting with 0), optionally followed by two
/// letters, with or without a space between. `None` for anything else.
pub fn parse_postcode(text: &str) -> Option<u16> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let (digits, letters) = compact.split_at_checked(4)?;
    let all_digits = digits.chars().all(|c| c.is_ascii_digit());
    let letters_ok = letters.is_empty()
        || (letters.len() == 2 && letters.chars().all(|c| c.is_ascii_alphabetic()));
    if !all_digits || !letters_ok || digits.starts_with('0') {
        return None;
    }
    // Only an unbroken "4611 AB" or "4611AB" counts; "46 11" is not a postcode.
    let first_token = text.split_whitespace().next()?;
    if first_token.len() != 4 && first_token.len() != 6 {
        return None;
    }
    digits.parse().ok()
}

/// One row of the table: the place GeoNames names for the area, its province and the point.
#[derive(Debug, Clone)]
pub struct AreaRow {
    pub place: String,
    pub province: String,
    pub lat: f64,
    pub lon: f64,
}

/// The table, parsed once.
pub fn areas() -> &'static HashMap<u16, AreaRow> {
    static AREAS: OnceLock<HashMap<u16, AreaRow>> = OnceLock::new();
    AREAS.get_or_init(|| {
        DATA.lines()
            .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
            .filter_map(|line| {
                let mut f = line.split('\t');
                let code = f.next()?.parse().ok()?;
                let place = f.next()?.to_owned();
                let province = f.next()?.to_owned();
                let lat = f.next()?.parse().ok()?;
                let lon = f.next()?.parse().ok()?;
                Some((
                    code,
                    AreaRow {
                        place,
                        province,
                        lat,
                        lon,
                    },
                ))
            })
            .collect()
    })
}

/// Province marks the postal data appends to some place names (`Bergen (NH)`, `Bergen L`,
/// `Haren Gn`), removed before the name is looked up in the gazetteer.
const MARKS: &[&str] = &["L", "NH", "NB", "Ut", "Gn", "GN", "AC", "Gld", "GLD"];

/// The place name without a trailing province mark.
pub fn plain_name(name: &str) -> &str {
    let name = name.trim();
    if let Some((base, rest)) = name.rsplit_once(" (")
        && rest.ends_with(')')
    {
        return base.trim();
    }
    match name.rsplit_once(' ') {
        Some((base, mark)) if MARKS.contains(&mark) => base.trim(),
        _ => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_dutch_postcodes_with_or_without_letters_and_space() {
        assert_eq!(parse_postcode("4611 AB"), Some(4611));
        assert_eq!(parse_postcode(" 4611ab "), Some(4611));
        assert_eq!(parse_postcode("4611"), Some(4611));
        assert_eq!(parse_postcode("0611 AB"), None);
        assert_eq!(parse_postcode("4611 A"), None);
        assert_eq!(parse_postcode("46 11"), None);
        assert_eq!(parse_postcode("4611 ABC"), None);
        assert_eq!(parse_postcode("Bergen"), None);
        assert_eq!(parse_postcode("12345"), None);
    }

    #[test]
    fn the_table_covers_the_country_inside_its_outline() {
        let areas = areas();
        assert!(areas.len() > 4000, "{}", areas.len());
        // Inside the country's bounding box (the simplified outline of `in_netherlands` cuts
        // off a few border villages, so it is not used here) and near a known place.
        let gazetteer = crate::geo::Gazetteer::load();
        let astray: Vec<_> = areas
            .iter()
            .filter(|(_, a)| {
                let boxed = (50.7..53.7).contains(&a.lat) && (3.3..7.3).contains(&a.lon);
                let near =
                    crate::geo::Geocoder::nearest(&gazetteer, a.lat, a.lon).is_some_and(|p| {
                        crate::geo::distance_km((a.lat, a.lon), (p.lat, p.lon)) < 20.0
                    });
                !(boxed && near)
            })
            .map(|(code, a)| (code, &a.place))
            .collect();
        assert!(astray.is_empty(), "{astray:?}");
        let provinces: std::collections::BTreeSet<&str> =
            areas.values().map(|a| a.province.as_str()).collect();
        assert_eq!(provinces, crate::geo::PROVINCES.into());
    }

    #[test]
    fn province_marks_are_dropped_from_names() {
        assert_eq!(plain_name("Bergen (NH)"), "Bergen");
        assert_eq!(plain_name("Bergen L"), "Bergen");
        assert_eq!(plain_name("Smalle Ee"), "Smalle Ee");
        assert_eq!(plain_name("Bergen op Zoom"), "Bergen op Zoom");
    }
}
