//! Matching against 10,000 and 100,000 synthetic experts spread over the Netherlands, the way
//! the database hands them over after its pre-filter (approved, has the incident type).
//! Run: `cargo bench --bench matching`; figures go in the README.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use hackhelpdesk::domain::IncidentType;
use hackhelpdesk::i18n::Lang;
use hackhelpdesk::matching::{Candidate, MatchRequest, match_experts};

fn synthetic_experts(n: usize) -> Vec<Candidate> {
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    (0..n)
        .map(|i| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            Candidate {
                expert_id: format!("{i:08}"),
                company_name: format!("Expert {i}"),
                kvk_number: format!("{:08}", 10_000_000 + i),
                email_domain: format!("expert{i}.nl"),
                lat: 50.8 + (seed % 2600) as f64 / 1000.0,
                lon: 3.4 + ((seed >> 16) % 3700) as f64 / 1000.0,
                radius_km: 10.0 + ((seed >> 32) % 60) as f64,
                remote: seed & 1 == 1,
                expertise: vec![IncidentType::Ransomware, IncidentType::Phishing],
                languages: vec!["nl".into(), "en".into()],
                capacity: 5,
                open_cases: ((seed >> 40) % 5) as u32,
                available_24_7: seed & 2 == 2,
                eligible: true,
                last_referred_at: None,
            }
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let request = MatchRequest {
        incident_type: IncidentType::Ransomware,
        incident_name: "Ransomware".into(),
        remote_possible: true,
        needs_on_site: false,
        lat: 51.495,
        lon: 4.29167,
        place: "Bergen op Zoom".into(),
        language: "nl".into(),
        victim_kvk: Some("12345678".into()),
        victim_email_domain: "bakkerij.nl".into(),
        exclude: vec![],
        lang: Lang::Nl,
    };
    let mut group = c.benchmark_group("match_experts");
    for n in [10_000, 100_000] {
        let experts = synthetic_experts(n);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &experts, |b, experts| {
            b.iter(|| match_experts(&request, experts))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
