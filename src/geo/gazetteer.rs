//! The offline gazetteer: GeoNames' Dutch places (`places_nl.tsv`, CC BY 4.0) plus every
//! municipality as a place of its own, indexed by a folded key.

use std::collections::HashMap;

use super::{Geocoder, Lookup, MAX_CANDIDATES, Place, distance_km, postcode};

const DATA: &str = include_str!("places_nl.tsv");

/// Common names that are not the gazetteer's own: (alias, name in the gazetteer).
const ALIASES: &[(&str, &str)] = &[
    ("Den Bosch", "'s-Hertogenbosch"),
    ("Hertogenbosch", "'s-Hertogenbosch"),
    ("'s-Gravenhage", "Den Haag"),
    ("The Hague", "Den Haag"),
    ("Alphen a/d Rijn", "Alphen aan den Rijn"),
    ("Capelle a/d IJssel", "Capelle aan den IJssel"),
    ("Krimpen a/d IJssel", "Krimpen aan den IJssel"),
    ("Ouderkerk a/d Amstel", "Ouderkerk aan de Amstel"),
    ("Súdwest Fryslân", "Súdwest-Fryslân"),
];

pub struct Gazetteer {
    places: Vec<Place>,
    /// Folded name → indexes into `places`, best candidate first.
    by_key: HashMap<String, Vec<usize>>,
    /// (folded name, index) for prefix and substring search, sorted by name.
    keys: Vec<(String, usize)>,
}

/// Lowercase, without accents, keeping only letters and digits: `'s-Hertogenbosch` →
/// `shertogenbosch`, `Súdwest-Fryslân` → `sudwestfryslan`.
pub fn fold(text: &str) -> String {
    deunicode::deunicode(text)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

impl Gazetteer {
    /// The one gazetteer of this process (the data is compiled in and never changes).
    pub fn shared() -> std::sync::Arc<Self> {
        static SHARED: std::sync::OnceLock<std::sync::Arc<Gazetteer>> = std::sync::OnceLock::new();
        SHARED
            .get_or_init(|| std::sync::Arc::new(Self::load()))
            .clone()
    }

    pub fn load() -> Self {
        let mut places: Vec<Place> = DATA
            .lines()
            .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
            .filter_map(parse_line)
            .collect();
        add_municipalities(&mut places);

        let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, place) in places.iter().enumerate() {
            by_key.entry(fold(&place.name)).or_default().push(i);
        }
        // Among places of one name, the one its municipality is named after comes first
        // (Hengelo in Overijssel before the village of Hengelo in Bronckhorst).
        for indexes in by_key.values_mut() {
            indexes.sort_by_key(|&i| fold(&places[i].municipality) != fold(&places[i].name));
        }
        for (alias, name) in ALIASES {
            if let Some(indexes) = by_key.get(&fold(name)).cloned() {
                by_key.entry(fold(alias)).or_insert(indexes);
            }
        }
        let mut keys: Vec<(String, usize)> = by_key
            .iter()
            .flat_map(|(k, v)| v.iter().map(move |&i| (k.clone(), i)))
            .collect();
        keys.sort();
        keys.dedup_by_key(|(_, i)| *i);
        Self {
            places,
            by_key,
            keys,
        }
    }

    pub fn len(&self) -> usize {
        self.places.len()
    }

    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }

    fn qualified(&self, name: &str, qualifier: &str) -> Option<Place> {
        let wanted = fold(qualifier);
        self.by_key
            .get(&fold(name))?
            .iter()
            .map(|&i| &self.places[i])
            .find(|p| fold(&p.municipality) == wanted || fold(&p.province) == wanted)
            .cloned()
    }

    /// Indexes of the places carrying exactly this (folded) name.
    fn named(&self, name: &str) -> &[usize] {
        self.by_key.get(&fold(name)).map_or(&[], Vec::as_slice)
    }

    /// Places whose name starts with `name` followed by a word (`Bergen` → `Bergen op Zoom`).
    fn longer_names(&self, name: &str) -> Vec<usize> {
        let words = |text: &str| -> String {
            deunicode::deunicode(text)
                .to_lowercase()
                .replace(['-', '\''], " ")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        };
        let prefix = format!("{} ", words(name));
        let key = fold(name);
        let start = self
            .keys
            .partition_point(|(k, _)| k.as_str() < key.as_str());
        self.keys[start..]
            .iter()
            .take_while(|(k, _)| k.starts_with(&key))
            .filter(|(_, i)| words(&self.places[*i].name).starts_with(&prefix))
            .map(|(_, i)| *i)
            .collect()
    }
}

impl Geocoder for Gazetteer {
    fn find(&self, name: &str) -> Option<Place> {
        let name = name.trim();
        if let Some((base, rest)) = name.split_once('(') {
            return self.qualified(base, rest.trim_end_matches(')'));
        }
        if let Some((base, qualifier)) = name.split_once(',') {
            return self.qualified(base, qualifier);
        }
        let key = fold(name);
        self.by_key
            .get(&key)
            .and_then(|v| v.first())
            .map(|&i| self.places[i].clone())
    }

    fn lookup(&self, name: &str) -> Lookup {
        let trimmed = name.trim();
        if trimmed.contains(['(', ',']) {
            return self.find(trimmed).map_or(Lookup::Unknown, Lookup::Found);
        }
        match self.named(trimmed) {
            [] => Lookup::Unknown,
            [one] => Lookup::Found(self.places[*one].clone()),
            several => {
                let mut indexes = several.to_vec();
                for i in self.longer_names(trimmed) {
                    if !indexes.contains(&i) {
                        indexes.push(i);
                    }
                }
                indexes.truncate(MAX_CANDIDATES);
                Lookup::Ambiguous(indexes.iter().map(|&i| self.places[i].clone()).collect())
            }
        }
    }

    fn unambiguous_name(&self, place: &Place) -> String {
        let namesakes: Vec<&Place> = self
            .named(&place.name)
            .iter()
            .map(|&i| &self.places[i])
            .filter(|p| *p != place)
            .collect();
        if namesakes.is_empty() {
            place.name.clone()
        } else if namesakes.iter().all(|p| p.province != place.province) {
            format!("{} ({})", place.name, place.province)
        } else {
            format!("{}, {}", place.name, place.municipality)
        }
    }

    fn postcode(&self, pc4: u16) -> Option<Place> {
        let area = postcode::areas().get(&pc4)?;
        let point = (area.lat, area.lon);
        let nearest_of = |candidates: &[usize]| {
            candidates
                .iter()
                .map(|&i| &self.places[i])
                .filter(|p| p.province == area.province)
                .min_by(|a, b| {
                    distance_km(point, (a.lat, a.lon))
                        .total_cmp(&distance_km(point, (b.lat, b.lon)))
                })
                .cloned()
        };
        let name = postcode::plain_name(&area.place);
        // The gazetteer's place of that name (the nearest one in that province, for names several
        // places share); else the area's own name in the municipality of the nearest place.
        let place = match nearest_of(self.named(name)) {
            Some(known) => Place {
                lat: area.lat,
                lon: area.lon,
                ..known
            },
            None => {
                let near = self.nearest(area.lat, area.lon)?;
                Place {
                    name: name.to_owned(),
                    municipality: near.municipality,
                    province: area.province.clone(),
                    lat: area.lat,
                    lon: area.lon,
                }
            }
        };
        Some(place)
    }

    fn suggest(&self, query: &str, limit: usize) -> Vec<Place> {
        let q = fold(query);
        if q.is_empty() || limit == 0 {
            return Vec::new();
        }
        let mut ranked: Vec<(u8, &str, usize)> = self
            .keys
            .iter()
            .filter_map(|(key, i)| {
                let rank = if *key == q {
                    0
                } else if key.starts_with(&q) {
                    1
                } else if key.contains(&q) {
                    2
                } else {
                    return None;
                };
                Some((rank, key.as_str(), *i))
            })
            .collect();
        ranked.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)));
        let mut seen = Vec::new();
        ranked
            .into_iter()
            .filter(|(_, _, i)| {
                let fresh = !seen.contains(i);
                seen.push(*i);
                fresh
            })
            .take(limit)
            .map(|(_, _, i)| self.places[i].clone())
            .collect()
    }

    fn nearest(&self, lat: f64, lon: f64) -> Option<Place> {
        self.places
            .iter()
            .min_by(|a, b| {
                distance_km((lat, lon), (a.lat, a.lon))
                    .total_cmp(&distance_km((lat, lon), (b.lat, b.lon)))
            })
            .cloned()
    }
}

fn parse_line(line: &str) -> Option<Place> {
    let mut fields = line.split('\t');
    let name = fields.next()?.to_owned();
    let municipality = fields.next()?.to_owned();
    let province = fields.next()?.to_owned();
    let lat = fields.next()?.parse().ok()?;
    let lon = fields.next()?.parse().ok()?;
    Some(Place {
        name,
        municipality,
        province,
        lat,
        lon,
    })
}

/// Adds each municipality that has no place of its own name, at the centre of its places.
fn add_municipalities(places: &mut Vec<Place>) {
    let mut groups: HashMap<(String, String), Vec<(f64, f64)>> = HashMap::new();
    for p in places.iter() {
        groups
            .entry((p.municipality.clone(), p.province.clone()))
            .or_default()
            .push((p.lat, p.lon));
    }
    let mut extra: Vec<Place> = groups
        .into_iter()
        .filter(|((municipality, _), _)| {
            !places.iter().any(|p| fold(&p.name) == fold(municipality))
        })
        .map(|((municipality, province), points)| {
            let n = points.len() as f64;
            Place {
                name: municipality.clone(),
                municipality,
                province,
                lat: points.iter().map(|p| p.0).sum::<f64>() / n,
                lon: points.iter().map(|p| p.1).sum::<f64>() / n,
            }
        })
        .collect();
    extra.sort_by(|a, b| a.name.cmp(&b.name));
    places.extend(extra);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g() -> Gazetteer {
        Gazetteer::load()
    }

    #[test]
    fn its_places_lie_in_exactly_the_twelve_provinces_that_filters_and_statistics_list() {
        let g = g();
        let found: std::collections::BTreeSet<&str> =
            g.places.iter().map(|p| p.province.as_str()).collect();
        let listed: std::collections::BTreeSet<&str> = super::super::PROVINCES.into();
        assert_eq!(found, listed);
    }

    #[test]
    fn finds_places_regardless_of_case_accents_and_short_forms() {
        let g = g();
        let boz = g.find("bergen OP zoom").unwrap();
        assert_eq!(
            (boz.municipality.as_str(), boz.province.as_str()),
            ("Bergen op Zoom", "Noord-Brabant")
        );
        assert!((boz.lat - 51.495).abs() < 0.001 && (boz.lon - 4.2917).abs() < 0.001);
        assert_eq!(g.find("Den Bosch").unwrap().name, "'s-Hertogenbosch");
        assert_eq!(g.find("s hertogenbosch").unwrap().name, "'s-Hertogenbosch");
        assert_eq!(g.find("den haag").unwrap().province, "Zuid-Holland");
        assert_eq!(g.find("'s-Gravenhage").unwrap().name, "Den Haag");
        assert_eq!(g.find("Sudwest Fryslan").unwrap().province, "Fryslân");
        assert!(g.find("Atlantis").is_none());
    }

    #[test]
    fn a_name_several_places_share_is_ambiguous_with_its_longer_namesakes() {
        let g = g();
        let Lookup::Ambiguous(candidates) = g.lookup("bergen") else {
            panic!("Bergen is ambiguous")
        };
        let names: Vec<String> = candidates.iter().map(|p| g.unambiguous_name(p)).collect();
        assert!(
            names.contains(&"Bergen (Noord-Holland)".to_owned()),
            "{names:?}"
        );
        assert!(names.contains(&"Bergen (Limburg)".to_owned()), "{names:?}");
        assert!(names.contains(&"Bergen op Zoom".to_owned()), "{names:?}");
        for name in &names {
            let Lookup::Found(place) = g.lookup(name) else {
                panic!("{name} picks one place")
            };
            assert!(candidates.contains(&place), "{name}");
        }
        assert!(matches!(g.lookup("Bergen op Zoom"), Lookup::Found(_)));
        assert!(matches!(g.lookup("Atlantis"), Lookup::Unknown));
        // Two places of one name in one province are told apart by municipality.
        let Lookup::Ambiguous(nes) = g.lookup("Nes") else {
            panic!("Nes is ambiguous")
        };
        assert!(nes.iter().any(|p| g.unambiguous_name(p) == "Nes, Ameland"));
    }

    #[test]
    fn a_postcode_area_resolves_to_its_place_and_point() {
        let g = g();
        let boz = g.postcode(4611).unwrap();
        assert_eq!(
            (boz.name.as_str(), boz.province.as_str()),
            ("Bergen op Zoom", "Noord-Brabant")
        );
        let bergen = g.postcode(1861).unwrap();
        assert_eq!(
            (bergen.name.as_str(), bergen.province.as_str()),
            ("Bergen", "Noord-Holland")
        );
        // The area's own point, not the municipality's centre.
        assert!((bergen.lat - 52.667).abs() < 0.01, "{bergen:?}");
        assert!(g.postcode(1000).is_none());
    }

    #[test]
    fn an_ambiguous_name_prefers_the_town_and_can_be_qualified() {
        let g = g();
        assert_eq!(g.find("Hengelo").unwrap().province, "Overijssel");
        assert_eq!(
            g.find("Hengelo (Gelderland)").unwrap().province,
            "Gelderland"
        );
        assert_eq!(
            g.find("Hengelo, Overijssel").unwrap().province,
            "Overijssel"
        );
    }

    #[test]
    fn suggestions_put_prefix_matches_first_and_respect_the_limit() {
        let g = g();
        let s = g.suggest("berg", 10);
        assert_eq!(s.len(), 10);
        assert!(s[0].name.to_lowercase().starts_with("berg"), "{:?}", s[0]);
        assert!(s.iter().any(|p| p.name == "Bergen op Zoom"));
        assert!(g.suggest("", 10).is_empty());
        assert!(g.suggest("zzzzqq", 10).is_empty());
    }

    #[test]
    fn nearest_place_of_a_point() {
        assert_eq!(g().nearest(51.4951, 4.2920).unwrap().name, "Bergen op Zoom");
    }
}

#[cfg(test)]
mod border_tests {
    use super::Gazetteer;
    use crate::geo::in_netherlands;

    #[test]
    fn every_place_of_the_gazetteer_lies_inside_the_outline() {
        let g = Gazetteer::load();
        let outside: Vec<_> = g
            .places
            .iter()
            .filter(|p| !in_netherlands(p.lat, p.lon))
            .map(|p| &p.name)
            .collect();
        assert!(g.len() > 700, "{} places", g.len());
        assert!(outside.is_empty(), "outside the outline: {outside:?}");
    }
}
