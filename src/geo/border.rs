//! Whether a point lies in the Netherlands: a coarse outline of the land border, a few kilometres
//! out to sea so that beaches and the Wadden islands are in. Precise to a few kilometres along
//! the land border, which is enough to refuse a point in Antwerp, Aachen or the North Sea.

use std::sync::OnceLock;

use geo::{Contains, LineString, Point, Polygon};

/// (latitude, longitude), clockwise from the Belgian coast at Cadzand.
#[rustfmt::skip]
const OUTLINE: &[(f64, f64)] = &[
    (51.37, 3.36), (51.45, 3.25), (51.65, 3.35), (51.85, 3.75), (52.05, 4.00), (52.35, 4.35),
    (52.70, 4.45), (53.00, 4.55), (53.30, 4.85), (53.50, 5.30), (53.55, 6.00), (53.60, 6.60),
    (53.45, 6.95), (53.30, 7.05), (53.17, 7.23), (52.95, 7.22), (52.85, 7.12), (52.70, 7.05),
    (52.65, 6.93), (52.62, 6.75), (52.60, 6.70), (52.45, 6.95), (52.40, 7.07), (52.26, 7.04),
    (52.20, 6.98), (52.13, 6.86), (52.08, 6.80), (51.97, 6.83), (51.90, 6.72), (51.86, 6.48),
    (51.86, 6.25), (51.84, 6.08), (51.75, 5.98), (51.65, 6.05), (51.55, 6.18), (51.47, 6.22),
    (51.40, 6.23), (51.25, 6.17), (51.15, 6.17), (51.08, 6.05), (51.05, 5.98), (51.00, 5.90),
    (50.96, 6.02), (50.87, 6.10), (50.755, 6.02), (50.75, 5.69), (50.80, 5.66), (50.87, 5.67),
    (50.97, 5.73), (51.10, 5.81), (51.15, 5.84), (51.18, 5.75), (51.24, 5.55), (51.27, 5.30),
    (51.38, 5.05), (51.42, 4.90), (51.44, 4.75), (51.47, 4.62), (51.48, 4.55), (51.45, 4.42),
    (51.36, 4.35), (51.34, 4.24), (51.27, 4.12), (51.22, 3.95), (51.22, 3.80), (51.27, 3.60),
    (51.24, 3.45), (51.28, 3.38),
];

fn outline() -> &'static Polygon<f64> {
    static POLYGON: OnceLock<Polygon<f64>> = OnceLock::new();
    POLYGON.get_or_init(|| {
        // geo's coordinates are (x = longitude, y = latitude).
        let ring: Vec<(f64, f64)> = OUTLINE.iter().map(|&(lat, lon)| (lon, lat)).collect();
        Polygon::new(LineString::from(ring), vec![])
    })
}

/// True when (lat, lon) lies in the Netherlands (including its coast and islands).
pub fn in_netherlands(lat: f64, lon: f64) -> bool {
    lat.is_finite() && lon.is_finite() && outline().contains(&Point::new(lon, lat))
}

#[cfg(test)]
mod tests {
    use super::in_netherlands;

    #[test]
    fn dutch_towns_on_every_border_are_inside() {
        for (name, lat, lon) in [
            ("Amsterdam", 52.37, 4.89),
            ("Maastricht", 50.85, 5.69),
            ("Vaals", 50.77, 6.01),
            ("Kerkrade", 50.866, 6.063),
            ("Eijsden", 50.78, 5.71),
            ("Venlo", 51.37, 6.17),
            ("Sittard", 51.00, 5.87),
            ("Enschede", 52.22, 6.89),
            ("Winterswijk", 51.97, 6.72),
            ("Nieuweschans", 53.18, 7.20),
            ("Delfzijl", 53.33, 6.92),
            ("Schiermonnikoog", 53.48, 6.16),
            ("Den Burg, Texel", 53.05, 4.80),
            ("Den Helder", 52.96, 4.76),
            ("Vlissingen", 51.44, 3.57),
            ("Sluis", 51.31, 3.39),
            ("Hulst", 51.28, 4.05),
            ("Baarle-Nassau", 51.44, 4.93),
            ("Zundert", 51.47, 4.66),
            ("Bergen op Zoom", 51.495, 4.2917),
            ("Weert", 51.25, 5.71),
            ("Coevorden", 52.66, 6.74),
            ("'s-Heerenberg", 51.87, 6.25),
        ] {
            assert!(in_netherlands(lat, lon), "{name} should be inside");
        }
    }

    #[test]
    fn neighbouring_cities_and_the_sea_are_outside() {
        for (name, lat, lon) in [
            ("Antwerpen", 51.22, 4.40),
            ("Brussel", 50.85, 4.35),
            ("Knokke", 51.35, 3.29),
            ("Aken", 50.776, 6.084),
            ("Düsseldorf", 51.23, 6.78),
            ("Gronau", 52.21, 7.03),
            ("Emden", 53.367, 7.206),
            ("Nordhorn", 52.43, 7.07),
            ("Kleve", 51.79, 6.14),
            ("Turnhout", 51.32, 4.95),
            ("Noordzee", 52.5, 3.0),
            ("London", 51.5, -0.12),
            ("Null Island", 0.0, 0.0),
        ] {
            assert!(!in_netherlands(lat, lon), "{name} should be outside");
        }
        assert!(!in_netherlands(f64::NAN, 5.0));
    }
}
