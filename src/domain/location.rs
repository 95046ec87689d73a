//! A location as clients send it (`{"place": "Bergen op Zoom"}` or `{"lat": 51.495, "lon":
//! 4.2917}`) and as the platform keeps it: a point in the Netherlands with its place,
//! municipality and province.

use serde::{Deserialize, Serialize};

use crate::geo::{Geocoder, in_netherlands};

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum LocationInput {
    Place { place: String },
    Point { lat: f64, lon: f64 },
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Location {
    pub lat: f64,
    pub lon: f64,
    pub place: String,
    pub municipality: String,
    pub province: String,
}

impl Location {
    /// Resolves an input, or says why it cannot: an unknown place, or a point outside the
    /// Netherlands. The reason reads as the message of a field error.
    pub fn resolve(input: &LocationInput, geocoder: &dyn Geocoder) -> Result<Location, String> {
        match input {
            LocationInput::Place { place } => {
                let name = place.trim();
                if name.is_empty() {
                    return Err("needs a place name or coordinates".into());
                }
                crate::domain::text::single_line(name)?;
                if name.chars().count() > 100 {
                    return Err("place name is longer than 100 characters".into());
                }
                let found = geocoder.find(name).ok_or_else(|| {
                    format!("'{name}' is not a Dutch place we know; pick one from /api/v1/places")
                })?;
                Ok(Location {
                    lat: found.lat,
                    lon: found.lon,
                    place: found.name,
                    municipality: found.municipality,
                    province: found.province,
                })
            }
            LocationInput::Point { lat, lon } => {
                if !(-90.0..=90.0).contains(lat) || !(-180.0..=180.0).contains(lon) {
                    return Err("lat must be within -90..90 and lon within -180..180".into());
                }
                if !in_netherlands(*lat, *lon) {
                    return Err("this point is not in the Netherlands".into());
                }
                let near = geocoder
                    .nearest(*lat, *lon)
                    .ok_or_else(|| "no place is known near this point".to_owned())?;
                Ok(Location {
                    lat: *lat,
                    lon: *lon,
                    place: near.name,
                    municipality: near.municipality,
                    province: near.province,
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geo::Gazetteer;

    fn resolve(json: &str) -> Result<Location, String> {
        let input: LocationInput = serde_json::from_str(json).expect("parses");
        Location::resolve(&input, &Gazetteer::load())
    }

    #[test]
    fn a_place_or_a_point_becomes_a_location_with_municipality_and_province() {
        let by_name = resolve(r#"{"place": "bergen op zoom"}"#).unwrap();
        assert_eq!(by_name.place, "Bergen op Zoom");
        assert_eq!(by_name.province, "Noord-Brabant");
        let by_point = resolve(r#"{"lat": 51.495, "lon": 4.2917}"#).unwrap();
        assert_eq!(by_point.municipality, "Bergen op Zoom");
        assert_eq!(by_point.lat, 51.495);
    }

    #[test]
    fn unknown_places_and_foreign_points_are_refused_with_a_reason() {
        assert!(
            resolve(r#"{"place": "Atlantis"}"#)
                .unwrap_err()
                .contains("Atlantis")
        );
        assert!(resolve(r#"{"place": "  "}"#).is_err());
        assert!(
            resolve(r#"{"lat": 51.22, "lon": 4.40}"#)
                .unwrap_err()
                .contains("not in the Netherlands")
        );
        assert!(resolve(r#"{"lat": 91.0, "lon": 4.0}"#).is_err());
    }
}
