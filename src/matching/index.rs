//! The candidate index: every matchable expert held in memory, so that matching an intake reads
//! only the experts near it instead of the whole pool.
//!
//! Per incident type and language two R-trees over the experts' bases as points on the sphere
//! (3-D, so that straight-line distance orders exactly as great-circle distance does), both
//! searched nearest first:
//! - `bases`: every expert, for on-site help: searched no farther than the widest radius, and
//!   once three fit, only to the end of their distance step (nearer steps rank first);
//! - `remote`: the experts who help remotely, searched the same way when on-site help leaves
//!   places open.
//!
//! [`CandidateIndex::rank`] gives exactly what [`super::match_experts`] gives over the same
//! candidates (the same rules, order and reasons: the property test below holds them together);
//! what it reads grows with the experts within reach, not with the pool. Pure data: loading and
//! following the database is `crate::intakes::pool`'s work.

use std::collections::HashMap;

use rstar::RTree;
use rstar::primitives::GeomWithData;

use super::{
    Candidate, FALLBACK_LANGUAGES, MAX_MATCHES, Match, MatchRequest, Mode, Ranked, assess, finish,
};
use crate::domain::{ExpertId, IncidentType};

/// The radius of the sphere geo's Haversine measures on (its mean earth radius), in km.
const EARTH_RADIUS_KM: f64 = 6371.0088;
/// Subtracted from every distance bound, far above the rounding of the f32 coordinates (~0.5 m
/// at the earth's radius), so that no expert on an edge is missed.
const MARGIN_KM: f64 = 0.05;

type Point = [f32; 3];
type Base = GeomWithData<Point, u32>;

/// An expert in the index: what ranking needs, plus the requests waiting for its answer, which
/// count against its capacity until answered.
#[derive(Debug, Clone)]
pub struct Indexed {
    pub candidate: Candidate,
    pub pending: u32,
}

impl Indexed {
    /// Room for one more request: open cases and waiting requests below capacity.
    fn has_room(&self) -> bool {
        self.candidate.open_cases.saturating_add(self.pending) < self.candidate.capacity
    }
}

#[derive(Default)]
struct Trees {
    bases: RTree<Base>,
    remote: RTree<Base>,
    /// The widest radius among `bases` (kept as a bound: never lowered on removal).
    widest_km: f64,
}

/// See the module documentation.
#[derive(Default)]
pub struct CandidateIndex {
    slots: Vec<Option<Indexed>>,
    free: Vec<u32>,
    by_id: HashMap<ExpertId, u32>,
    trees: HashMap<IncidentType, HashMap<String, Trees>>,
}

impl CandidateIndex {
    /// An index of `experts`, built in bulk (the experts that are not eligible are left out).
    pub fn build(experts: Vec<Indexed>) -> Self {
        let mut index = Self::default();
        let mut bases: HashMap<(IncidentType, String), Vec<Base>> = HashMap::new();
        let mut widest: HashMap<(IncidentType, String), f64> = HashMap::new();
        let mut remote: HashMap<(IncidentType, String), Vec<Base>> = HashMap::new();
        for expert in experts {
            if !expert.candidate.eligible || index.by_id.contains_key(&expert.candidate.expert_id) {
                continue;
            }
            let slot = u32::try_from(index.slots.len()).expect("fewer than 4 billion experts");
            let c = &expert.candidate;
            for key in keys(c) {
                let w = widest.entry(key.clone()).or_default();
                *w = w.max(c.radius_km);
                bases
                    .entry(key.clone())
                    .or_default()
                    .push(Base::new(point(c.lat, c.lon), slot));
                if c.remote {
                    remote
                        .entry(key)
                        .or_default()
                        .push(Base::new(point(c.lat, c.lon), slot));
                }
            }
            index.by_id.insert(c.expert_id.clone(), slot);
            index.slots.push(Some(expert));
        }
        for ((incident, language), points) in bases {
            let trees = index.trees_mut(incident, &language);
            trees.bases = RTree::bulk_load(points);
            trees.widest_km = widest[&(incident, language)];
        }
        for ((incident, language), bases) in remote {
            index.trees_mut(incident, &language).remote = RTree::bulk_load(bases);
        }
        index
    }

    /// How many experts the index holds.
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    pub fn get(&self, expert_id: &ExpertId) -> Option<&Indexed> {
        let slot = *self.by_id.get(expert_id)?;
        self.slots[slot as usize].as_ref()
    }

    /// Puts `expert` in the index as it now is, replacing what the index held for it; an expert
    /// that is no longer eligible leaves the index.
    pub fn upsert(&mut self, expert: Indexed) {
        if !expert.candidate.eligible {
            self.remove(&expert.candidate.expert_id);
            return;
        }
        if let Some(&slot) = self.by_id.get(&expert.candidate.expert_id) {
            let old = self.slots[slot as usize]
                .as_ref()
                .expect("an id maps to a filled slot");
            if same_place_in_trees(&old.candidate, &expert.candidate) {
                // Capacity, load, waiting requests, rotation, names: no tree changes.
                self.slots[slot as usize] = Some(expert);
                return;
            }
            self.remove(&expert.candidate.expert_id);
        }
        let slot = match self.free.pop() {
            Some(slot) => slot,
            None => {
                self.slots.push(None);
                u32::try_from(self.slots.len() - 1).expect("fewer than 4 billion experts")
            }
        };
        let c = &expert.candidate;
        for (incident, language) in keys(c) {
            let trees = self.trees_mut(incident, &language);
            trees.bases.insert(Base::new(point(c.lat, c.lon), slot));
            trees.widest_km = trees.widest_km.max(c.radius_km);
            if c.remote {
                trees.remote.insert(Base::new(point(c.lat, c.lon), slot));
            }
        }
        self.by_id.insert(c.expert_id.clone(), slot);
        self.slots[slot as usize] = Some(expert);
    }

    /// Takes an expert out of the index (suspended, paused, deleted, …); unknown ids are ignored.
    pub fn remove(&mut self, expert_id: &ExpertId) {
        let Some(slot) = self.by_id.remove(expert_id) else {
            return;
        };
        let old = self.slots[slot as usize]
            .take()
            .expect("an id maps to a filled slot");
        let c = &old.candidate;
        for (incident, language) in keys(c) {
            let trees = self.trees_mut(incident, &language);
            trees.bases.remove(&Base::new(point(c.lat, c.lon), slot));
            if c.remote {
                trees.remote.remove(&Base::new(point(c.lat, c.lon), slot));
            }
        }
        self.free.push(slot);
    }

    fn trees_mut(&mut self, incident: IncidentType, language: &str) -> &mut Trees {
        self.trees
            .entry(incident)
            .or_default()
            .entry(language.to_owned())
            .or_default()
    }

    /// Up to [`MAX_MATCHES`] experts for `request`, best first: the same answer as
    /// [`super::match_experts`] over every expert in the index that has room. Speakers of the
    /// victim's language rank first, so the fallback languages' trees are read only when fewer
    /// than [`MAX_MATCHES`] speakers fit.
    pub fn rank(&self, request: &MatchRequest) -> Vec<Match> {
        let mut ranked = self.rank_in(request, &request.language, MAX_MATCHES, |r| r.speaks);
        let wanted = MAX_MATCHES - ranked.len().min(MAX_MATCHES);
        if wanted > 0 {
            let mut others: Vec<Ranked<'_>> = Vec::new();
            for language in FALLBACK_LANGUAGES {
                if language == request.language {
                    continue;
                }
                // Someone who speaks both fallback languages is in both trees: keep them once.
                for r in self.rank_in(request, language, wanted, |r| !r.speaks) {
                    if !others
                        .iter()
                        .any(|o| o.candidate.expert_id == r.candidate.expert_id)
                    {
                        others.push(r);
                    }
                }
            }
            ranked.extend(others);
        }
        finish(request, ranked)
    }

    /// Up to `needed` of the experts listed under `language` that fit and pass `keep`, as far as
    /// they can still compete (see [`nearest_first`]): on site first, then remote.
    fn rank_in<'a>(
        &'a self,
        request: &MatchRequest,
        language: &str,
        needed: usize,
        keep: impl Fn(&Ranked<'a>) -> bool,
    ) -> Vec<Ranked<'a>> {
        let Some(trees) = self
            .trees
            .get(&request.incident_type)
            .and_then(|by_language| by_language.get(language))
        else {
            return Vec::new();
        };
        let victim = point(request.lat, request.lon);
        let fits = |slot: u32| -> Option<Ranked<'a>> {
            let expert = self.slots[slot as usize].as_ref()?;
            if !expert.has_room() {
                return None;
            }
            assess(request, &expert.candidate).filter(&keep)
        };
        // On site: nobody beyond the widest radius can be.
        let mut ranked = nearest_first(
            &trees.bases,
            victim,
            needed,
            Some(trees.widest_km),
            |slot| fits(slot).filter(|r| r.mode == Mode::OnSite),
        );
        let on_site = ranked.len();
        if on_site < needed && request.remote_possible && !request.needs_on_site {
            // The on-site ones are already counted above.
            ranked.extend(nearest_first(
                &trees.remote,
                victim,
                needed - on_site,
                None,
                |slot| fits(slot).filter(|r| r.mode == Mode::Remote),
            ));
        }
        ranked
    }
}

/// The candidates `take` keeps from `tree`, nearest first, as far as they can still compete: once
/// `needed` are found, the rest of the farthest one's distance step (load and rotation order
/// within a step), and never beyond `within_km`.
fn nearest_first<'a>(
    tree: &RTree<Base>,
    victim: Point,
    needed: usize,
    within_km: Option<f64>,
    mut take: impl FnMut(u32) -> Option<Ranked<'a>>,
) -> Vec<Ranked<'a>> {
    let mut found = Vec::new();
    let mut last_step: Option<u32> = None;
    for (hit, chord_squared) in tree.nearest_neighbor_iter_with_distance_2(&victim) {
        let nearest_possible = (chord_to_km(f64::from(chord_squared).sqrt()) - MARGIN_KM).max(0.0);
        if within_km.is_some_and(|w| nearest_possible > w) {
            break;
        }
        if last_step.is_some_and(|s| nearest_possible / super::DISTANCE_STEP_KM >= f64::from(s + 1))
        {
            break;
        }
        let Some(r) = take(hit.data) else { continue };
        let step = r.distance_step;
        found.push(r);
        if found.len() >= needed {
            last_step = Some(last_step.map_or(step, |s| s.max(step)));
        }
    }
    found
}

/// Every (incident type, language) the candidate is listed under.
fn keys(c: &Candidate) -> impl Iterator<Item = (IncidentType, String)> + '_ {
    c.expertise
        .iter()
        .flat_map(|&incident| c.languages.iter().map(move |l| (incident, l.clone())))
}

/// Whether the trees hold `a` exactly where they would hold `b`.
fn same_place_in_trees(a: &Candidate, b: &Candidate) -> bool {
    a.lat == b.lat
        && a.lon == b.lon
        && a.radius_km == b.radius_km
        && a.remote == b.remote
        && a.expertise == b.expertise
        && a.languages == b.languages
}

/// A place on the sphere in 3-D, in km from the earth's centre.
fn point(lat: f64, lon: f64) -> Point {
    let (lat, lon) = (lat.to_radians(), lon.to_radians());
    [
        (EARTH_RADIUS_KM * lat.cos() * lon.cos()) as f32,
        (EARTH_RADIUS_KM * lat.cos() * lon.sin()) as f32,
        (EARTH_RADIUS_KM * lat.sin()) as f32,
    ]
}

/// The great-circle distance of a chord.
fn chord_to_km(chord: f64) -> f64 {
    2.0 * EARTH_RADIUS_KM * (chord / (2.0 * EARTH_RADIUS_KM)).clamp(0.0, 1.0).asin()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::match_experts;

    use crate::demo::Rng;

    fn random_expert(rng: &mut Rng, i: usize) -> Indexed {
        let all = IncidentType::ALL;
        let mut expertise: Vec<IncidentType> = (0..1 + rng.below(3))
            .map(|_| all[rng.below(4) as usize])
            .collect();
        expertise.sort();
        expertise.dedup();
        // Dutch, English, Turkish or German speakers, alone or with others, so that the
        // fallback to Dutch and English is exercised.
        let mut languages: Vec<String> = ["nl", "en", "tr", "de"]
            .into_iter()
            .filter(|_| rng.below(2) == 0)
            .map(str::to_owned)
            .collect();
        if languages.is_empty() {
            languages.push("nl".to_owned());
        }
        let capacity = 1 + rng.below(4) as u32;
        Indexed {
            candidate: Candidate {
                expert_id: format!("e{i:05}").into(),
                company_name: format!("Bedrijf {i}"),
                kvk_number: format!("{:08}", 10_000_000 + i),
                email_domain: format!("e{}.nl", i % 50),
                lat: 50.75 + rng.unit() * 2.8,
                lon: 3.36 + rng.unit() * 3.87,
                radius_km: rng.below(25) as f64,
                remote: rng.below(10) < 6,
                expertise,
                languages,
                capacity,
                open_cases: rng.below(u64::from(capacity) + 1) as u32,
                available_24_7: rng.below(5) == 0,
                eligible: rng.below(8) != 0,
                last_referred_at: (rng.below(3) != 0).then(|| {
                    chrono::DateTime::from_timestamp(1_790_000_000 + rng.below(3) as i64 * 60, 0)
                        .unwrap()
                        .naive_utc()
                }),
            },
            pending: rng.below(2) as u32,
        }
    }

    fn random_request(rng: &mut Rng, experts: &[Indexed]) -> MatchRequest {
        let all = IncidentType::ALL;
        MatchRequest {
            incident_type: all[rng.below(5) as usize],
            remote_possible: rng.below(4) != 0,
            needs_on_site: rng.below(3) == 0,
            lat: 50.75 + rng.unit() * 2.8,
            lon: 3.36 + rng.unit() * 3.87,
            place: "Ergens".into(),
            language: ["nl", "en", "tr", "ar"][rng.below(4) as usize].into(),
            victim_kvk: Some(
                experts[rng.below(experts.len() as u64) as usize]
                    .candidate
                    .kvk_number
                    .clone(),
            ),
            victim_email_domain: format!("e{}.nl", rng.below(60)),
            exclude: (0..rng.below(3))
                .map(|_| format!("e{:05}", rng.below(experts.len() as u64)).into())
                .collect(),
        }
    }

    /// What the database's candidate query hands to `match_experts`: eligible, with room.
    fn reference(request: &MatchRequest, experts: &[Indexed]) -> Vec<Match> {
        let candidates: Vec<Candidate> = experts
            .iter()
            .filter(|e| e.candidate.eligible && e.has_room())
            .map(|e| e.candidate.clone())
            .collect();
        match_experts(request, &candidates)
    }

    fn same(a: &[Match], b: &[Match]) -> bool {
        a.len() == b.len()
            && a.iter().zip(b).all(|(x, y)| {
                x.expert_id == y.expert_id
                    && x.mode == y.mode
                    && x.distance_km == y.distance_km
                    && x.reasons == y.reasons
            })
    }

    #[test]
    fn the_index_ranks_exactly_as_the_policy_over_the_whole_pool() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let experts: Vec<Indexed> = (0..3000).map(|i| random_expert(&mut rng, i)).collect();
        let index = CandidateIndex::build(experts.clone());
        let mut remote_seen = false;
        for _ in 0..2000 {
            let request = random_request(&mut rng, &experts);
            let expected = reference(&request, &experts);
            let got = index.rank(&request);
            remote_seen |= got.iter().any(|m| m.mode == Mode::Remote);
            assert!(
                same(&got, &expected),
                "{request:?}\nindex: {got:?}\npolicy: {expected:?}"
            );
        }
        assert!(
            remote_seen,
            "the requests must exercise the remote search too"
        );
    }

    #[test]
    fn the_index_follows_every_change_exactly() {
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        let mut experts: Vec<Indexed> = (0..800).map(|i| random_expert(&mut rng, i)).collect();
        let mut index = CandidateIndex::build(experts.clone());
        for round in 0..3000 {
            // Change one expert the way the platform does: a move, a new radius, a pause, a
            // referral, capacity, expertise or languages; sometimes a brand-new expert.
            let i = rng.below(experts.len() as u64 + 1) as usize;
            let changed = if i == experts.len() {
                let fresh = random_expert(&mut rng, experts.len());
                experts.push(fresh.clone());
                fresh
            } else {
                let fresh = random_expert(&mut rng, i);
                let e = &mut experts[i];
                match rng.below(6) {
                    0 => e.candidate.eligible = !e.candidate.eligible,
                    1 => {
                        (e.candidate.lat, e.candidate.lon) =
                            (fresh.candidate.lat, fresh.candidate.lon)
                    }
                    2 => e.candidate.radius_km = fresh.candidate.radius_km,
                    3 => e.pending = fresh.pending,
                    4 => e.candidate.expertise = fresh.candidate.expertise,
                    _ => {
                        e.candidate.remote = !e.candidate.remote;
                        e.candidate.languages = fresh.candidate.languages;
                        e.candidate.last_referred_at = fresh.candidate.last_referred_at;
                    }
                }
                e.clone()
            };
            index.upsert(changed);
            if round % 7 == 0 {
                let request = random_request(&mut rng, &experts);
                let expected = reference(&request, &experts);
                let got = index.rank(&request);
                assert!(
                    same(&got, &expected),
                    "round {round}\nindex: {got:?}\npolicy: {expected:?}"
                );
            }
        }
        let held = experts.iter().filter(|e| e.candidate.eligible).count();
        assert_eq!(index.len(), held, "ineligible experts leave the index");
    }

    #[test]
    fn a_removed_expert_is_never_offered_again() {
        let mut rng = Rng(7);
        let experts: Vec<Indexed> = (0..500).map(|i| random_expert(&mut rng, i)).collect();
        let mut index = CandidateIndex::build(experts.clone());
        let request = MatchRequest {
            incident_type: IncidentType::ALL[0],
            language: "nl".into(),
            remote_possible: true,
            needs_on_site: false,
            exclude: vec![],
            ..random_request(&mut rng, &experts)
        };
        let mut offered = Vec::new();
        loop {
            let matches = index.rank(&request);
            let Some(first) = matches.first() else { break };
            assert!(
                !offered.contains(&first.expert_id),
                "{} came back",
                first.expert_id
            );
            offered.push(first.expert_id.clone());
            index.remove(&first.expert_id);
        }
        assert!(
            offered.len() > 10,
            "the pool offered {} experts",
            offered.len()
        );
    }
}
