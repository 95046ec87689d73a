//! `seed-demo`: approved demo experts spread over the Netherlands, for trying the platform out and
//! for benchmarks. Fast enough for 100,000: one demo password hashed once, rows built in memory,
//! inserted in batches inside one transaction. Running it again adds more (numbering continues).

use crate::db::models::audit::actions;
use chrono::NaiveDateTime;
use serde_json::json;

use crate::db::models::expert::{self, ExpertRow};
use crate::db::models::{audit, code_of_conduct};
use crate::db::{Database, write_tx};
use crate::domain::{ExpertId, ExpertStatus, IncidentType, Password};
use crate::error::AppError;
use crate::geo::{Geocoder, in_netherlands};

/// Every demo expert logs in with its own address (`demo-000001@demo.invalid`) and this password.
pub const DEMO_PASSWORD: &str = "demo password for the hackhelpdesk";
const EMAIL_PREFIX: &str = "demo-";

/// A small deterministic generator (SplitMix64): demo data is the same on every run; the
/// matching tests and benchmark draw their synthetic pools from it too.
pub struct Rng(pub u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
}

/// Creates `count` approved demo experts; returns how many exist with the demo prefix afterwards.
pub fn seed(
    db: &Database,
    geocoder: &dyn Geocoder,
    count: usize,
    now: NaiveDateTime,
) -> Result<i64, AppError> {
    let hash = Password::parse(DEMO_PASSWORD)
        .map_err(AppError::internal)?
        .hash();
    db.run_blocking(|conn| {
        write_tx(conn, |conn| {
            let start = expert::count_with_email_prefix(conn, EMAIL_PREFIX)?;
            let coc = code_of_conduct::current_version(conn)?;
            let mut rng = Rng(0x4841_434B ^ start as u64);
            let mut rows = Vec::with_capacity(count);
            let mut expertise = Vec::with_capacity(count * 3);
            for i in 0..count {
                let number = start + i as i64 + 1;
                let row = demo_expert(&mut rng, geocoder, number, hash.as_str(), coc, now)?;
                for t in demo_expertise(&mut rng) {
                    expertise.push((row.id.clone(), t));
                }
                rows.push(row);
            }
            expert::insert_batch(conn, &rows, &expertise)?;
            audit::record(
                conn,
                now,
                audit::NewEntry {
                    actor: audit::Actor::System,
                    action: actions::DEMO_SEEDED,
                    subject_kind: "expert",
                    subject_id: "demo",
                    reason: None,
                    details: json!({ "created": count }),
                },
            )?;
            expert::count_with_email_prefix(conn, EMAIL_PREFIX)
        })
    })
}

/// A random point on land: a gazetteer place near a random point, moved up to ~2 km.
fn demo_place(rng: &mut Rng, geocoder: &dyn Geocoder) -> Result<crate::geo::Place, AppError> {
    for _ in 0..100 {
        let lat = 50.75 + rng.unit() * 2.8;
        let lon = 3.36 + rng.unit() * 3.87;
        if !in_netherlands(lat, lon) {
            continue;
        }
        if let Some(mut place) = geocoder.nearest(lat, lon) {
            place.lat += (rng.unit() - 0.5) * 0.03;
            place.lon += (rng.unit() - 0.5) * 0.04;
            return Ok(place);
        }
    }
    Err(AppError::internal(
        "the gazetteer found no place in the Netherlands",
    ))
}

fn demo_expert(
    rng: &mut Rng,
    geocoder: &dyn Geocoder,
    number: i64,
    password_hash: &str,
    coc: i32,
    now: NaiveDateTime,
) -> Result<ExpertRow, AppError> {
    let place = demo_place(rng, geocoder)?;
    let mut languages = vec!["nl"];
    for (code, p) in [
        ("en", 0.6),
        ("de", 0.15),
        ("fr", 0.05),
        ("tr", 0.04),
        ("ar", 0.03),
        ("pl", 0.03),
    ] {
        if rng.chance(p) {
            languages.push(code);
        }
    }
    Ok(ExpertRow {
        id: ExpertId::generate(),
        status: ExpertStatus::Approved,
        paused: false,
        company_name: format!("Demo Cyberhulp {} {number}", place.name),
        kvk_number: format!("{:08}", 90_000_000 + number),
        email: format!("{EMAIL_PREFIX}{number:06}@demo.invalid"),
        password_hash: password_hash.to_owned(),
        contact_name: format!("Demo Contact {number}"),
        phone: format!("+31 6 {:08}", rng.below(100_000_000)),
        website: None,
        base_lat: place.lat,
        base_lon: place.lon,
        base_place: place.name,
        base_municipality: place.municipality,
        base_province: place.province,
        radius_km: 10 + rng.below(71) as i32,
        remote: rng.chance(0.7),
        languages: json!(languages).to_string(),
        capacity: 1 + rng.below(10) as i32,
        open_cases: 0,
        available_24_7: rng.chance(0.2),
        code_of_conduct_version: coc,
        code_of_conduct_accepted_at: now,
        status_reason: None,
        verified_at: Some(now),
        approved_at: Some(now),
        last_referral_at: None,
        created_at: now,
        updated_at: now,
    })
}

/// One to four incident types; `other` only alongside another.
fn demo_expertise(rng: &mut Rng) -> Vec<IncidentType> {
    let mut types: Vec<IncidentType> = (0..1 + rng.below(4))
        .map(|_| IncidentType::ALL[rng.below(12) as usize])
        .collect();
    types.sort();
    types.dedup();
    types
}
