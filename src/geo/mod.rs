//! Geography: the offline gazetteer of Dutch places, the [`Geocoder`] trait it implements (so a
//! PDOK adapter for postcodes can be added later), whether a point lies in the Netherlands, and
//! distances.

mod border;
mod gazetteer;

use geo::{Distance, Haversine, Point};
use serde::Serialize;

pub use border::in_netherlands;
pub use gazetteer::Gazetteer;

/// The twelve provinces by their Dutch names, as places (and so intakes) carry them; a test
/// checks the gazetteer holds exactly these.
pub const PROVINCES: [&str; 12] = [
    "Drenthe",
    "Flevoland",
    "Fryslân",
    "Gelderland",
    "Groningen",
    "Limburg",
    "Noord-Brabant",
    "Noord-Holland",
    "Overijssel",
    "Utrecht",
    "Zeeland",
    "Zuid-Holland",
];

/// A Dutch place with its municipality and province.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Place {
    pub name: String,
    pub municipality: String,
    pub province: String,
    pub lat: f64,
    pub lon: f64,
}

/// Turns names into places and points into the nearest place.
pub trait Geocoder: Send + Sync {
    /// The place with this name, matched without regard to case, accents, punctuation or the
    /// usual short forms (`Den Bosch`). An ambiguous name may be qualified: `Hengelo (Gelderland)`
    /// or `Hengelo, Bronckhorst`.
    fn find(&self, name: &str) -> Option<Place>;
    /// Up to `limit` places whose name starts with or contains `query`, best first.
    fn suggest(&self, query: &str, limit: usize) -> Vec<Place>;
    /// The nearest known place to a point.
    fn nearest(&self, lat: f64, lon: f64) -> Option<Place>;
}

/// Great-circle distance in kilometres between two (lat, lon) points.
pub fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    // geo's Point is (x = longitude, y = latitude).
    Haversine.distance(Point::new(a.1, a.0), Point::new(b.1, b.0)) / 1000.0
}

#[cfg(test)]
mod tests {
    use super::distance_km;

    #[test]
    fn bergen_op_zoom_to_goes_is_about_28_km() {
        let d = distance_km((51.495, 4.29167), (51.50417, 3.88889));
        assert!((27.0..29.0).contains(&d), "{d}");
        assert_eq!(distance_km((52.0, 5.0), (52.0, 5.0)), 0.0);
    }
}
