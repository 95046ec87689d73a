//! Geography: the offline gazetteer of Dutch places, the [`Geocoder`] trait it implements (so a
//! PDOK adapter for postcodes can be added later), whether a point lies in the Netherlands, and
//! distances.

mod border;
mod gazetteer;
mod postcode;

use geo::{Distance, Haversine, Point};
use serde::Serialize;

pub use border::in_netherlands;
pub use gazetteer::Gazetteer;
pub use postcode::parse_postcode;

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

/// What a typed place name stands for.
#[derive(Debug, Clone, PartialEq)]
pub enum Lookup {
    Found(Place),
    /// Several places carry this name (Bergen in Noord-Holland and in Limburg): the candidates,
    /// with places whose name starts with it as a word (Bergen op Zoom), at most
    /// [`MAX_CANDIDATES`].
    Ambiguous(Vec<Place>),
    Unknown,
}

/// The most candidates an ambiguous name offers.
pub const MAX_CANDIDATES: usize = 8;

/// Turns names into places and points into the nearest place.
pub trait Geocoder: Send + Sync {
    /// The place with this name, matched without regard to case, accents, punctuation or the
    /// usual short forms (`Den Bosch`). An ambiguous name may be qualified: `Hengelo (Gelderland)`
    /// or `Hengelo, Bronckhorst`; unqualified, the best candidate is taken (for names the platform
    /// stored itself; what people type goes through [`Geocoder::lookup`]).
    fn find(&self, name: &str) -> Option<Place>;
    /// Like [`Geocoder::find`], but a name several places share is [`Lookup::Ambiguous`].
    fn lookup(&self, name: &str) -> Lookup {
        self.find(name).map_or(Lookup::Unknown, Lookup::Found)
    }
    /// The name that picks exactly this place when sent back: `Bergen (Noord-Holland)`,
    /// `Nes, Ameland`, or the plain name when no other place shares it.
    fn unambiguous_name(&self, place: &Place) -> String {
        place.name.clone()
    }
    /// The place of a Dutch 4-digit postcode (as [`parse_postcode`] reads it), with the
    /// postcode area's own point; `None` where no postcode table is shipped or it lacks the code.
    fn postcode(&self, _pc4: u16) -> Option<Place> {
        None
    }
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
