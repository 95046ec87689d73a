//! Unit tests of the matching rules.

use chrono::{Duration, NaiveDate, NaiveDateTime};

use super::*;
use crate::i18n::Lang;

const BERGEN_OP_ZOOM: (f64, f64) = (51.495, 4.29167);
const ROOSENDAAL: (f64, f64) = (51.53083, 4.46528); // ~13 km
const GOES: (f64, f64) = (51.50417, 3.88889); // ~28 km
const GRONINGEN: (f64, f64) = (53.21917, 6.56667); // ~250 km

fn expert(id: &str, at: (f64, f64)) -> Candidate {
    Candidate {
        expert_id: id.into(),
        company_name: format!("Bedrijf {id}"),
        kvk_number: format!("1000000{}", id.len()),
        email_domain: format!("{id}.nl"),
        lat: at.0,
        lon: at.1,
        radius_km: 50.0,
        remote: false,
        expertise: vec![IncidentType::Ransomware, IncidentType::Phishing],
        languages: vec!["nl".into(), "en".into()],
        capacity: 3,
        open_cases: 0,
        available_24_7: false,
        eligible: true,
        last_referred_at: None,
    }
}

fn request() -> MatchRequest {
    MatchRequest {
        incident_type: IncidentType::Ransomware,
        remote_possible: true,
        needs_on_site: true,
        lat: BERGEN_OP_ZOOM.0,
        lon: BERGEN_OP_ZOOM.1,
        place: "Bergen op Zoom".into(),
        language: "nl".into(),
        victim_kvk: Some("12345678".into()),
        victim_email_domain: "bakkerij.nl".into(),
        exclude: vec![],
    }
}

fn ids(matches: &[Match]) -> Vec<&str> {
    matches.iter().map(|m| m.expert_id.as_str()).collect()
}

fn t(minutes: i64) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 1)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap()
        + Duration::minutes(minutes)
}

#[test]
fn the_nearest_qualified_expert_comes_first_and_at_most_three_are_shown() {
    let experts = [
        expert("goes", GOES),
        expert("roosendaal", ROOSENDAAL),
        expert("boz", BERGEN_OP_ZOOM),
        expert("far", (51.2, 4.9)),
    ];
    let matches = match_experts(&request(), &experts);
    assert_eq!(ids(&matches), ["boz", "roosendaal", "goes"]);
    assert_eq!(matches[0].mode, Mode::OnSite);
    assert!(
        (matches[2].distance_km - 27.9).abs() < 1.0,
        "{}",
        matches[2].distance_km
    );
}

#[test]
fn every_excluding_rule_keeps_an_expert_out() {
    let mut cases: Vec<(&str, Candidate)> = Vec::new();
    let base = || expert("x", ROOSENDAAL);
    cases.push((
        "not approved, paused or old code of conduct",
        Candidate {
            eligible: false,
            ..base()
        },
    ));
    cases.push((
        "full",
        Candidate {
            open_cases: 3,
            ..base()
        },
    ));
    cases.push((
        "wrong expertise",
        Candidate {
            expertise: vec![IncidentType::Ddos],
            ..base()
        },
    ));
    cases.push((
        "neither the victim's language nor Dutch or English",
        Candidate {
            languages: vec!["de".into()],
            ..base()
        },
    ));
    cases.push((
        "out of reach",
        Candidate {
            radius_km: 5.0,
            ..base()
        },
    ));
    cases.push((
        "same KvK",
        Candidate {
            kvk_number: "12345678".into(),
            ..base()
        },
    ));
    cases.push((
        "same email domain",
        Candidate {
            email_domain: "bakkerij.nl".into(),
            ..base()
        },
    ));
    for (why, candidate) in cases {
        assert!(
            match_experts(&request(), &[candidate]).is_empty(),
            "{why} was matched"
        );
    }
    let mut excluded = request();
    excluded.exclude = vec!["x".into()];
    assert!(
        match_experts(&excluded, &[base()]).is_empty(),
        "a declined expert was offered again"
    );
    assert_eq!(
        match_experts(&request(), &[base()]).len(),
        1,
        "the base expert itself fits"
    );
}

#[test]
fn a_shared_public_mail_domain_is_no_conflict_of_interest() {
    let mut r = request();
    r.victim_email_domain = "gmail.com".into();
    let c = Candidate {
        email_domain: "gmail.com".into(),
        ..expert("x", ROOSENDAAL)
    };
    assert_eq!(match_experts(&r, &[c]).len(), 1);
}

#[test]
fn remote_help_widens_the_set_only_when_the_victim_and_the_incident_allow_it() {
    let far = Candidate {
        remote: true,
        ..expert("groningen", GRONINGEN)
    };
    let near = expert("roosendaal", ROOSENDAAL);
    let mut r = request();
    assert_eq!(
        ids(&match_experts(&r, &[far.clone(), near.clone()])),
        ["roosendaal"],
        "needs on-site"
    );
    r.needs_on_site = false;
    let matches = match_experts(&r, &[far.clone(), near.clone()]);
    assert_eq!(
        ids(&matches),
        ["roosendaal", "groningen"],
        "on-site reach before remote"
    );
    assert_eq!(matches[1].mode, Mode::Remote);
    r.remote_possible = false;
    assert_eq!(
        ids(&match_experts(&r, &[far.clone(), near])),
        ["roosendaal"],
        "type needs on-site"
    );
    r.remote_possible = true;
    let not_remote = Candidate {
        remote: false,
        ..far
    };
    assert!(match_experts(&r, &[not_remote]).is_empty());
}

#[test]
fn within_one_distance_step_lower_load_then_least_recently_referred_comes_first() {
    let busy = Candidate {
        open_cases: 2,
        ..expert("busy", BERGEN_OP_ZOOM)
    };
    let idle = expert("idle", (51.50, 4.30));
    assert_eq!(
        ids(&match_experts(&request(), &[busy.clone(), idle.clone()])),
        ["idle", "busy"]
    );

    let recent = Candidate {
        last_referred_at: Some(t(10)),
        ..expert("recent", BERGEN_OP_ZOOM)
    };
    let earlier = Candidate {
        last_referred_at: Some(t(5)),
        ..expert("earlier", BERGEN_OP_ZOOM)
    };
    let never = expert("never", BERGEN_OP_ZOOM);
    assert_eq!(
        ids(&match_experts(&request(), &[recent, earlier, never])),
        ["never", "earlier", "recent"]
    );
}

#[test]
fn fair_rotation_spreads_identical_intakes_evenly() {
    let mut experts: Vec<Candidate> = (0..7)
        .map(|i| expert(&format!("e{i}"), BERGEN_OP_ZOOM))
        .collect();
    let mut firsts = std::collections::HashMap::<crate::domain::ExpertId, usize>::new();
    for n in 0..30 {
        let top = match_experts(&request(), &experts)[0].expert_id.clone();
        *firsts.entry(top.clone()).or_default() += 1;
        experts
            .iter_mut()
            .find(|e| e.expert_id == top)
            .unwrap()
            .last_referred_at = Some(t(n));
    }
    for e in &experts {
        let got = firsts.get(&e.expert_id).copied().unwrap_or(0);
        assert!(
            (4..=5).contains(&got),
            "{} placed first {got} times of 30 (30/7 ± 1)",
            e.expert_id
        );
    }
}

#[test]
fn reasons_are_codes_with_the_facts_behind_them() {
    let c = Candidate {
        available_24_7: true,
        ..expert("x", ROOSENDAAL)
    };
    let reasons = &match_experts(&request(), std::slice::from_ref(&c))[0].reasons;
    assert_eq!(
        reasons,
        &[
            Reason::Distance {
                km: 13,
                place: "Bergen op Zoom".into()
            },
            Reason::Expertise {
                incident: IncidentType::Ransomware
            },
            Reason::Speaks {
                language: "nl".into()
            },
            Reason::Available247,
            Reason::HasRoom,
        ]
    );
}

#[test]
fn large_random_pools_never_yield_more_than_three_or_an_unfit_expert() {
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let experts: Vec<Candidate> = (0..2000)
        .map(|i| {
            let r = next();
            let lat = 50.8 + (r % 2600) as f64 / 1000.0;
            let lon = 3.4 + ((r >> 16) % 3700) as f64 / 1000.0;
            Candidate {
                radius_km: 5.0 + ((r >> 32) % 60) as f64,
                remote: r & 1 == 1,
                open_cases: ((r >> 40) % 4) as u32,
                eligible: (r >> 44) % 5 != 0,
                ..expert(&format!("e{i}"), (lat, lon))
            }
        })
        .collect();
    for needs_on_site in [true, false] {
        let r = MatchRequest {
            needs_on_site,
            ..request()
        };
        let matches = match_experts(&r, &experts);
        assert_eq!(matches.len(), MAX_MATCHES);
        for m in &matches {
            let c = experts.iter().find(|c| c.expert_id == m.expert_id).unwrap();
            assert!(c.eligible && c.open_cases < c.capacity);
            assert!(m.mode == Mode::Remote || m.distance_km <= c.radius_km + 0.05);
        }
        let keys: Vec<(bool, f64)> = matches
            .iter()
            .map(|m| {
                (
                    m.mode == Mode::Remote,
                    (m.distance_km / DISTANCE_STEP_KM).floor(),
                )
            })
            .collect();
        assert!(
            keys.windows(2).all(|w| w[0] <= w[1]),
            "on-site first, then by distance step: {keys:?}"
        );
    }
}

#[test]
fn speakers_of_the_victims_language_come_first_then_dutch_or_english_speakers() {
    let turkish = MatchRequest {
        language: "tr".into(),
        ..request()
    };
    let speaks = |id: &str, at: (f64, f64), languages: &[&str]| Candidate {
        languages: languages.iter().map(|l| l.to_string()).collect(),
        ..expert(id, at)
    };
    let near = (51.53083, 4.46528); // Roosendaal, ~13 km
    let far = (51.58656, 4.77596); // Breda, ~35 km
    let pool = [
        speaks("near-dutch", near, &["nl"]),
        speaks("far-turkish", far, &["tr", "nl"]),
        speaks("near-german", near, &["de"]),
        speaks("near-english", near, &["en"]),
    ];
    let found = match_experts(&turkish, &pool);
    // The Turkish speaker first although farther; the German-only speaker never.
    assert_eq!(ids(&found)[0], "far-turkish");
    assert_eq!(found.len(), 3);
    assert!(!ids(&found).contains(&"near-german"));
    let spoken = |m: &Match| {
        m.reasons.iter().find_map(|r| match r {
            Reason::Speaks { language } => Some(language.clone()),
            _ => None,
        })
    };
    assert_eq!(spoken(&found[0]).as_deref(), Some("tr"));
    let others: Vec<Option<String>> = found[1..].iter().map(spoken).collect();
    assert!(others.contains(&Some("nl".into())), "{others:?}");
    assert!(others.contains(&Some("en".into())), "{others:?}");

    // Nobody speaks Arabic: Dutch and English speakers, and every reason says which they speak.
    let arabic = MatchRequest {
        language: "ar".into(),
        ..request()
    };
    let found = match_experts(&arabic, &pool);
    assert_eq!(found.len(), 3);
    assert!(found.iter().all(|m| spoken(m).as_deref() != Some("ar")));
}

#[test]
fn the_published_policy_describes_what_this_code_does() {
    let catalogue = crate::incidents::Catalogue::load().expect("catalogue loads");
    let policy = &catalogue.policy;
    assert_eq!(
        policy.factor_codes(),
        ["language_first", "reach", "distance", "load", "rotation"],
        "order of the factors"
    );
    let step = (DISTANCE_STEP_KM as u32).to_string();
    for lang in Lang::ALL {
        let view = serde_json::to_value(policy.view(lang)).unwrap();
        let distance = view["factors"][2]["explanation"].as_str().unwrap();
        assert!(
            distance.contains(&step),
            "{lang:?} distance factor must state the {step} km step"
        );
        let text = view.to_string();
        let three = match lang {
            Lang::Nl => "hooguit drie",
            Lang::En => "at most three",
            Lang::Tr => "en fazla üç",
            Lang::Pl => "najwyżej trzech",
            Lang::Ar => "ثلاثة على الأكثر",
        };
        assert!(
            text.to_lowercase().contains(three),
            "{lang:?} names the limit of {MAX_MATCHES}"
        );
        assert!(
            text.contains("gmail.com"),
            "{lang:?} explains the public mailbox exception"
        );
    }
    assert_eq!(MAX_MATCHES, 3);
}
