//! The candidate pool: this instance's [`CandidateIndex`], loaded at start and kept exact.
//!
//! Triggers write every change to what matching reads about an expert (approval, suspension,
//! pause, profile, expertise, capacity, open cases, waiting requests, referral, a new code of
//! conduct) into `expert_changes`, in the transaction that makes it. Before ranking, the pool
//! reads the log past the last change it applied and reloads just the experts named there, so a
//! change made by this process or by another instance on the same database is seen by the next
//! intake. A background task does the same twice a second, so an idle instance does not fall
//! behind. The write transaction that records the matches checks the chosen experts once more
//! ([`expert_index::still_matchable`]) and ranks again without the ones that no longer fit.

use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, RwLock};
use std::time::{Duration, Instant};

use crate::db::models::code_of_conduct;
use crate::db::models::expert_index::{self, IndexEntry};
use crate::db::{DbConn, in_transaction};
use crate::domain::ExpertId;
use crate::error::AppError;
use crate::matching::index::{CandidateIndex, Indexed};
use crate::matching::{Candidate, Match, MatchRequest};

/// How long a skipped change number waits for its transaction to commit (PostgreSQL hands out
/// numbers before commit); after that it is taken as rolled back.
const GAP_WAIT: Duration = Duration::from_secs(10);
/// At start, the last changes are read again: on PostgreSQL one may have been committed with a
/// lower number than the newest visible one.
const REREAD_AT_START: i64 = 200;
/// How long the log keeps changes; every instance reads it twice a second.
pub const KEEP_CHANGES_MINUTES: u32 = 10;

/// Matches from the index, with the change it reflected (see [`CandidatePool::catch_up`]).
pub struct Ranked {
    pub matches: Vec<Match>,
    reflects: Option<i64>,
}

pub struct CandidatePool {
    index: RwLock<CandidateIndex>,
    sync: Mutex<SyncState>,
}

struct SyncState {
    /// The highest change number applied.
    max_seen: i64,
    /// Numbers below `max_seen` not seen yet, with when they were first missed.
    gaps: HashMap<i64, Instant>,
    current_code_of_conduct: i32,
}

impl CandidatePool {
    /// Loads every matchable expert.
    pub fn load(conn: &mut DbConn) -> Result<Self, AppError> {
        let max_seen = (expert_index::latest_change(conn)? - REREAD_AT_START).max(0);
        let (index, coc) = snapshot(conn)?;
        Ok(Self {
            index: RwLock::new(index),
            sync: Mutex::new(SyncState {
                max_seen,
                gaps: HashMap::new(),
                current_code_of_conduct: coc,
            }),
        })
    }

    /// How many experts can be matched now.
    pub fn len(&self) -> usize {
        self.read().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, CandidateIndex> {
        self.index.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, CandidateIndex> {
        self.index.write().unwrap_or_else(|e| e.into_inner())
    }

    /// Applies the changes committed since the last call. Inside a transaction it does nothing:
    /// what it would read there might still be rolled back (the write transaction's re-check
    /// covers that moment).
    ///
    /// Returns what the index now reflects: every change up to that number, when no number
    /// below it is still missing (`None` otherwise, or inside a transaction).
    pub fn catch_up(&self, conn: &mut DbConn) -> Result<Option<i64>, AppError> {
        if in_transaction(conn) {
            return Ok(None);
        }
        let mut sync = self.sync.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        sync.gaps
            .retain(|_, missed| now.duration_since(*missed) < GAP_WAIT);
        let mut gaps: Vec<i64> = sync.gaps.keys().copied().collect();
        gaps.sort_unstable();
        let changes = expert_index::changes_since(conn, sync.max_seen, &gaps)?;
        let reflects = |sync: &SyncState| sync.gaps.is_empty().then_some(sync.max_seen);
        if changes.is_empty() {
            return Ok(reflects(&sync));
        }
        let mut everyone = false;
        let mut ids: HashSet<ExpertId> = HashSet::new();
        for (seq, expert_id) in changes {
            if seq > sync.max_seen {
                // Numbers skipped on the way are transactions still running (or rolled back).
                for missed in (sync.max_seen + 1..seq).take(1000) {
                    sync.gaps.insert(missed, now);
                }
                sync.max_seen = seq;
            } else {
                sync.gaps.remove(&seq);
            }
            match expert_id {
                Some(id) => {
                    ids.insert(id);
                }
                None => everyone = true,
            }
        }
        if everyone {
            let (fresh, coc) = snapshot(conn)?;
            sync.current_code_of_conduct = coc;
            *self.write() = fresh;
            return Ok(reflects(&sync));
        }
        let ids: Vec<ExpertId> = ids.into_iter().collect();
        let reloaded = expert_index::load_some(conn, &ids)?;
        let coc = sync.current_code_of_conduct;
        let mut index = self.write();
        let mut found = HashSet::with_capacity(reloaded.len());
        for entry in reloaded {
            found.insert(entry.row.id.clone());
            index.upsert(indexed(entry, coc));
        }
        for id in ids.iter().filter(|id| !found.contains(*id)) {
            index.remove(id);
        }
        Ok(reflects(&sync))
    }

    /// Reloads everything when this instance has fallen behind the pruned log (it was stopped,
    /// or its database connection failed for minutes). Called by the background task.
    pub fn resync_if_behind(&self, conn: &mut DbConn) -> Result<bool, AppError> {
        let behind = {
            let sync = self.sync.lock().unwrap_or_else(|e| e.into_inner());
            expert_index::oldest_change(conn)?.is_some_and(|oldest| oldest > sync.max_seen + 1)
        };
        if behind {
            let latest = expert_index::latest_change(conn)?;
            let (fresh, coc) = snapshot(conn)?;
            let mut sync = self.sync.lock().unwrap_or_else(|e| e.into_inner());
            sync.max_seen = (latest - REREAD_AT_START).max(0);
            sync.gaps.clear();
            sync.current_code_of_conduct = coc;
            *self.write() = fresh;
        }
        Ok(behind)
    }

    /// The matches for `request` from the index, after catching up with the log.
    pub fn rank(&self, conn: &mut DbConn, request: &MatchRequest) -> Result<Ranked, AppError> {
        let reflects = self.catch_up(conn)?;
        Ok(Ranked {
            matches: self.read().rank(request),
            reflects,
        })
    }

    /// Inside the write transaction: keeps `matches` when every chosen expert may still be
    /// asked; otherwise ranks again without the ones that may not (at most a few rounds: each
    /// drops at least one expert).
    pub fn confirm(
        &self,
        conn: &mut DbConn,
        request: &MatchRequest,
        ranked: Ranked,
    ) -> Result<Vec<Match>, AppError> {
        let mut matches = ranked.matches;
        if let Some(seen) = ranked.reflects {
            // The log says what changed since the index was read: when none of the chosen
            // experts did (and no change concerns everyone), the ranking still holds as it is.
            let changed = expert_index::changes_since(conn, seen, &[])?;
            let touched = changed.iter().any(|(_, id)| {
                id.as_ref()
                    .is_none_or(|id| matches.iter().any(|m| &m.expert_id == id))
            });
            if !touched {
                return Ok(matches);
            }
        }
        let mut request = request.clone();
        for _ in 0..8 {
            let ids: Vec<ExpertId> = matches.iter().map(|m| m.expert_id.clone()).collect();
            let available = expert_index::still_matchable(
                conn,
                &ids,
                request.incident_type,
                &request.language,
            )?;
            if available.len() == ids.len() {
                return Ok(matches);
            }
            request
                .exclude
                .extend(ids.into_iter().filter(|id| !available.contains(id)));
            matches = self.read().rank(&request);
        }
        // Still churning: offer only the ones confirmed, never one that may not be asked.
        let ids: Vec<ExpertId> = matches.iter().map(|m| m.expert_id.clone()).collect();
        let available =
            expert_index::still_matchable(conn, &ids, request.incident_type, &request.language)?;
        matches.retain(|m| available.contains(&m.expert_id));
        Ok(matches)
    }
}

/// Every matchable expert as an index, with the code of conduct it was built for.
fn snapshot(conn: &mut DbConn) -> Result<(CandidateIndex, i32), AppError> {
    let coc = code_of_conduct::current_version(conn)?;
    let entries = expert_index::load_all(conn, coc)?;
    let index = CandidateIndex::build(entries.into_iter().map(|e| indexed(e, coc)).collect());
    Ok((index, coc))
}

/// An expert as matching sees it.
fn indexed(entry: IndexEntry, current_code_of_conduct: i32) -> Indexed {
    let eligible = entry.matchable(current_code_of_conduct);
    let row = entry.row;
    Indexed {
        candidate: Candidate {
            email_domain: row
                .email
                .rsplit_once('@')
                .map(|(_, d)| d.to_owned())
                .unwrap_or_default(),
            expert_id: row.id,
            company_name: row.company_name,
            kvk_number: row.kvk_number,
            lat: row.base_lat,
            lon: row.base_lon,
            radius_km: f64::from(row.radius_km),
            remote: row.remote,
            expertise: entry.expertise,
            languages: serde_json::from_str(&row.languages).unwrap_or_default(),
            capacity: u32::try_from(row.capacity).unwrap_or(0),
            open_cases: u32::try_from(row.open_cases).unwrap_or(u32::MAX),
            available_24_7: row.available_24_7,
            eligible,
            last_referred_at: row.last_referral_at,
        },
        pending: u32::try_from(entry.pending).unwrap_or(u32::MAX),
    }
}

/// Keeps `pool` current while idle: catches up twice a second, and reloads everything when the
/// log has been pruned past what it applied. Ends when `stop` turns true.
pub async fn follow(
    db: crate::db::Database,
    pool: std::sync::Arc<CandidatePool>,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    let mut tick = tokio::time::interval(Duration::from_millis(500));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut rounds: u32 = 0;
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = stop.changed() => break,
        }
        if *stop.borrow() {
            break;
        }
        rounds = rounds.wrapping_add(1);
        let check_behind = rounds % 120 == 1;
        let pool = pool.clone();
        let result = db
            .run(move |conn| {
                if check_behind && pool.resync_if_behind(conn)? {
                    tracing::warn!(
                        "the candidate index had fallen behind the change log: reloaded"
                    );
                }
                pool.catch_up(conn)
            })
            .await;
        if let Err(e) = result {
            tracing::warn!(error = %e, "could not bring the candidate index up to date");
        }
    }
}

/// The matches for `request` the slow way: every candidate read from the database, ranked by
/// [`crate::matching::match_experts`]. What the index must always agree with (its tests compare
/// the two after changes made through the API, on this instance and on another).
pub fn reference_ranking(
    conn: &mut DbConn,
    request: &MatchRequest,
) -> Result<Vec<Match>, AppError> {
    let coc = code_of_conduct::current_version(conn)?;
    let candidates: Vec<Candidate> =
        crate::db::models::expert::candidates(conn, request.incident_type, coc)?
            .into_iter()
            .filter(|row| !request.exclude.contains(&row.id))
            .map(|row| {
                let entry = IndexEntry {
                    row,
                    expertise: vec![request.incident_type],
                    pending: 0,
                };
                indexed(entry, coc).candidate
            })
            .collect();
    Ok(crate::matching::match_experts(request, &candidates))
}
