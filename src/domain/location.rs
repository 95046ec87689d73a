//! A location as clients send it (`{"place": "Bergen op Zoom"}` or `{"lat": 51.495, "lon":
//! 4.2917}`) and as the platform keeps it: a point in the Netherlands with its place,
//! municipality and province.

use serde::{Deserialize, Serialize};

use crate::error::{FieldError, PlaceChoice};
use crate::geo::{Geocoder, Lookup, Place, in_netherlands, parse_postcode};

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

/// Why a location was refused; each becomes a field error with a `code` that forms use to pick
/// their message (and, for an ambiguous name, the candidates to choose from).
#[derive(Debug, Clone, PartialEq)]
pub enum LocationError {
    /// Neither a place name nor coordinates.
    Missing,
    /// Several places carry the name: the candidates.
    Ambiguous {
        name: String,
        candidates: Vec<PlaceChoice>,
    },
    /// A Dutch postcode the shipped table does not know.
    UnknownPostcode(String),
    /// A name no Dutch place carries.
    UnknownPlace(String),
    /// Anything else (too long, a point abroad), in words.
    Invalid(String),
}

impl LocationError {
    pub fn code(&self) -> Option<&'static str> {
        match self {
            Self::Missing => Some("place_missing"),
            Self::Ambiguous { .. } => Some("place_ambiguous"),
            Self::UnknownPostcode(_) => Some("postcode_unknown"),
            Self::UnknownPlace(_) => Some("place_unknown"),
            Self::Invalid(_) => None,
        }
    }

    /// The field error of `field`, with the code and candidates.
    pub fn into_field_error(self, field: &str) -> FieldError {
        let error = FieldError::new(field, self.to_string());
        let error = match self.code() {
            Some(code) => error.with_code(code),
            None => error,
        };
        match self {
            Self::Ambiguous { candidates, .. } => error.with_candidates(candidates),
            _ => error,
        }
    }
}

impl std::fmt::Display for LocationError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Missing => f.write_str("needs a place name or coordinates"),
            Self::Ambiguous { name, candidates } => {
                let values: Vec<&str> = candidates.iter().map(|c| c.value.as_str()).collect();
                write!(
                    f,
                    "'{name}' is the name of several places; send one of the candidates' values: {}",
                    values.join("; ")
                )
            }
            Self::UnknownPostcode(code) => write!(
                f,
                "postcode '{code}' is not in our postcode table; send the place name instead"
            ),
            Self::UnknownPlace(name) => write!(
                f,
                "'{name}' is not a Dutch place we know; pick one from /api/v1/places"
            ),
            Self::Invalid(reason) => f.write_str(reason),
        }
    }
}

impl Location {
    fn of_place(found: Place) -> Location {
        Location {
            lat: found.lat,
            lon: found.lon,
            place: found.name,
            municipality: found.municipality,
            province: found.province,
        }
    }

    /// Resolves an input, or says why it cannot: no place, an unknown or ambiguous place or
    /// postcode, or a point outside the Netherlands.
    pub fn resolve(
        input: &LocationInput,
        geocoder: &dyn Geocoder,
    ) -> Result<Location, LocationError> {
        match input {
            LocationInput::Place { place } => {
                let name = place.trim();
                if name.is_empty() {
                    return Err(LocationError::Missing);
                }
                crate::domain::text::single_line(name)
                    .map_err(|reason| LocationError::Invalid(reason.to_string()))?;
                if name.chars().count() > 100 {
                    return Err(LocationError::Invalid(
                        "place name is longer than 100 characters".into(),
                    ));
                }
                if let Some(pc4) = parse_postcode(name) {
                    return geocoder
                        .postcode(pc4)
                        .map(Self::of_place)
                        .ok_or_else(|| LocationError::UnknownPostcode(name.to_owned()));
                }
                match geocoder.lookup(name) {
                    Lookup::Found(found) => Ok(Self::of_place(found)),
                    Lookup::Ambiguous(candidates) => Err(LocationError::Ambiguous {
                        name: name.to_owned(),
                        candidates: candidates
                            .iter()
                            .map(|p| PlaceChoice {
                                value: geocoder.unambiguous_name(p),
                                name: p.name.clone(),
                                municipality: p.municipality.clone(),
                                province: p.province.clone(),
                            })
                            .collect(),
                    }),
                    Lookup::Unknown => Err(LocationError::UnknownPlace(name.to_owned())),
                }
            }
            LocationInput::Point { lat, lon } => {
                if !(-90.0..=90.0).contains(lat) || !(-180.0..=180.0).contains(lon) {
                    return Err(LocationError::Invalid(
                        "lat must be within -90..90 and lon within -180..180".into(),
                    ));
                }
                if !in_netherlands(*lat, *lon) {
                    return Err(LocationError::Invalid(
                        "this point is not in the Netherlands".into(),
                    ));
                }
                let near = geocoder.nearest(*lat, *lon).ok_or_else(|| {
                    LocationError::Invalid("no place is known near this point".into())
                })?;
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
        Location::resolve(&input, &Gazetteer::load()).map_err(|e| e.to_string())
    }

    #[test]
    fn an_ambiguous_name_a_postcode_and_nothing_each_say_so() {
        let g = Gazetteer::load();
        let place = |p: &str| LocationInput::Place { place: p.into() };
        let Err(LocationError::Ambiguous { candidates, .. }) =
            Location::resolve(&place("Bergen"), &g)
        else {
            panic!("Bergen is ambiguous")
        };
        assert!(candidates.iter().any(|c| c.value == "Bergen (Limburg)"));
        let by_postcode = Location::resolve(&place("4611 AB"), &g).unwrap();
        assert_eq!(by_postcode.place, "Bergen op Zoom");
        assert_eq!(
            Location::resolve(&place("1000 AA"), &g),
            Err(LocationError::UnknownPostcode("1000 AA".into()))
        );
        assert_eq!(
            Location::resolve(&place(" "), &g),
            Err(LocationError::Missing)
        );
        let error = LocationError::Missing.into_field_error("location");
        assert_eq!(error.code.as_deref(), Some("place_missing"));
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
