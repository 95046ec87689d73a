//! Matching one intake among 1,000, 10,000 and 100,000 synthetic experts spread over the
//! Netherlands the way the demo seed spreads them (1–4 incident types, Dutch plus other
//! languages, 10–80 km reach, 70 % remote):
//! - `index_rank`: the in-memory candidate index the platform ranks from;
//! - `match_experts`: the same policy over the whole candidate list (the reference the index is
//!   tested against, and what every intake did before the index);
//! - `index_build`: loading the index at start.
//!
//! Run: `cargo bench --bench matching`; figures go in the README's Performance section.

use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use hackhelpdesk::demo::Rng;
use hackhelpdesk::domain::IncidentType;
use hackhelpdesk::matching::index::{CandidateIndex, Indexed};
use hackhelpdesk::matching::{Candidate, MatchRequest, match_experts};

fn synthetic_experts(n: usize) -> Vec<Indexed> {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    (0..n)
        .map(|i| {
            let mut expertise: Vec<IncidentType> = (0..1 + rng.below(4))
                .map(|_| IncidentType::ALL[rng.below(12) as usize])
                .collect();
            expertise.sort();
            expertise.dedup();
            let mut languages = vec!["nl".to_owned()];
            for (code, p) in [("en", 0.6), ("de", 0.15), ("tr", 0.04), ("ar", 0.03)] {
                if rng.chance(p) {
                    languages.push(code.to_owned());
                }
            }
            let capacity = 1 + rng.below(10) as u32;
            Indexed {
                candidate: Candidate {
                    expert_id: format!("{i:08}").into(),
                    company_name: format!("Expert {i}"),
                    kvk_number: format!("{:08}", 10_000_000 + i),
                    email_domain: format!("expert{i}.nl"),
                    lat: 50.8 + rng.below(2600) as f64 / 1000.0,
                    lon: 3.4 + rng.below(3700) as f64 / 1000.0,
                    radius_km: 10.0 + rng.below(71) as f64,
                    remote: rng.chance(0.7),
                    expertise,
                    languages,
                    capacity,
                    open_cases: rng.below(u64::from(capacity)) as u32,
                    available_24_7: rng.chance(0.2),
                    eligible: true,
                    last_referred_at: None,
                },
                pending: 0,
            }
        })
        .collect()
}

fn request(needs_on_site: bool) -> MatchRequest {
    MatchRequest {
        incident_type: IncidentType::Ransomware,
        remote_possible: true,
        needs_on_site,
        lat: 51.495,
        lon: 4.29167,
        place: "Bergen op Zoom".into(),
        language: "nl".into(),
        victim_kvk: Some("12345678".into()),
        victim_email_domain: "bakkerij.nl".into(),
        exclude: vec![],
    }
}

fn bench(c: &mut Criterion) {
    let sizes = [1_000, 10_000, 100_000];
    let pools: Vec<(usize, Vec<Indexed>)> =
        sizes.iter().map(|&n| (n, synthetic_experts(n))).collect();

    let mut group = c.benchmark_group("index_rank");
    for (n, experts) in &pools {
        let index = CandidateIndex::build(experts.clone());
        for needs_on_site in [true, false] {
            let r = request(needs_on_site);
            let label = if needs_on_site {
                "on_site"
            } else {
                "remote_ok"
            };
            group.bench_with_input(BenchmarkId::new(label, n), &r, |b, r| {
                b.iter(|| index.rank(r))
            });
        }
    }
    group.finish();

    let mut group = c.benchmark_group("match_experts");
    group.measurement_time(Duration::from_secs(3));
    for (n, experts) in &pools {
        // What the database's candidate query handed over: the experts with the incident type.
        let candidates: Vec<Candidate> = experts
            .iter()
            .filter(|e| e.candidate.expertise.contains(&IncidentType::Ransomware))
            .map(|e| e.candidate.clone())
            .collect();
        let r = request(false);
        group.bench_with_input(BenchmarkId::from_parameter(n), &candidates, |b, c| {
            b.iter(|| match_experts(&r, c))
        });
    }
    group.finish();

    let mut group = c.benchmark_group("index_build");
    group.sample_size(10);
    for (n, experts) in &pools {
        group.bench_with_input(BenchmarkId::from_parameter(n), experts, |b, e| {
            b.iter(|| CandidateIndex::build(e.clone()))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
