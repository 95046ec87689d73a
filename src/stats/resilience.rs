//! Resilience answers by phase: the baseline given with the intake and the same four questions
//! at the 90-day check, counted per answer (`yes`/`no`/`unknown`), overall and per incident type,
//! so the change from before to after shows.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::facts::{PeriodFacts, ResilienceFact};

pub const PHASES: [&str; 2] = ["baseline", "after_90_days"];
pub const QUESTIONS: [&str; 4] = ["offline_backups", "mfa", "incident_plan", "auto_updates"];
pub const ANSWERS: [&str; 3] = ["yes", "no", "unknown"];

/// How often each answer was given to one question.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq)]
pub struct AnswerCounts {
    pub yes: u64,
    pub no: u64,
    pub unknown: u64,
}

impl AnswerCounts {
    fn add(&mut self, answer: &str) {
        match answer {
            "yes" => self.yes += 1,
            "no" => self.no += 1,
            _ => self.unknown += 1,
        }
    }

    pub fn get(&self, answer: &str) -> u64 {
        match answer {
            "yes" => self.yes,
            "no" => self.no,
            _ => self.unknown,
        }
    }
}

/// The answers of one phase.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq)]
pub struct PhaseCounts {
    pub responses: u64,
    pub offline_backups: AnswerCounts,
    pub mfa: AnswerCounts,
    pub incident_plan: AnswerCounts,
    pub auto_updates: AnswerCounts,
}

impl PhaseCounts {
    fn add(&mut self, row: &ResilienceFact) {
        self.responses += 1;
        self.offline_backups.add(&row.offline_backups);
        self.mfa.add(&row.mfa);
        self.incident_plan.add(&row.incident_plan);
        self.auto_updates.add(&row.auto_updates);
    }

    /// The counts of one question by its code.
    pub fn question(&self, code: &str) -> AnswerCounts {
        match code {
            "offline_backups" => self.offline_backups,
            "mfa" => self.mfa,
            "incident_plan" => self.incident_plan,
            _ => self.auto_updates,
        }
    }
}

/// Both phases.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq)]
pub struct PhasePair {
    pub baseline: PhaseCounts,
    pub after_90_days: PhaseCounts,
}

impl PhasePair {
    fn add(&mut self, row: &ResilienceFact) {
        match row.phase.as_str() {
            "baseline" => self.baseline.add(row),
            "after_90_days" => self.after_90_days.add(row),
            _ => {}
        }
    }

    pub fn phase(&self, code: &str) -> &PhaseCounts {
        if code == "baseline" {
            &self.baseline
        } else {
            &self.after_90_days
        }
    }
}

/// Overall, and per incident type (only the types with answers).
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Resilience {
    pub baseline: PhaseCounts,
    pub after_90_days: PhaseCounts,
    pub by_incident_type: BTreeMap<String, PhasePair>,
}

pub fn resilience(facts: &PeriodFacts) -> Resilience {
    let types: HashMap<&str, &str> = facts
        .intakes
        .iter()
        .map(|i| (i.id.as_str(), i.incident_type.as_str()))
        .collect();
    let mut all = PhasePair::default();
    let mut by_type: BTreeMap<String, PhasePair> = BTreeMap::new();
    for row in &facts.resilience {
        let Some(kind) = types.get(row.intake_id.as_str()) else {
            continue;
        };
        all.add(row);
        by_type.entry((*kind).to_owned()).or_default().add(row);
    }
    Resilience {
        baseline: all.baseline,
        after_90_days: all.after_90_days,
        by_incident_type: by_type,
    }
}
