//! Outcome measurement: the same four resilience questions asked at intake (`baseline`) and at
//! the 90-day check (`after_90_days`), each answered yes, no or unknown. One row per intake and
//! phase in `resilience_answers`; not personal data, so retention and erasure keep them.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::{intake_feedback, intakes, resilience_answers};
use crate::domain::{ExpertId, IntakeId};
use crate::error::AppError;

/// One answer to a resilience question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    Yes,
    No,
    Unknown,
}

impl Answer {
    pub const ALL: [Answer; 3] = [Answer::Yes, Answer::No, Answer::Unknown];

    /// The stored and wire form: `yes`, `no` or `unknown`.
    pub fn as_str(self) -> &'static str {
        match self {
            Answer::Yes => "yes",
            Answer::No => "no",
            Answer::Unknown => "unknown",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// When the questions were asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Baseline,
    After90Days,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Baseline => "baseline",
            Phase::After90Days => "after_90_days",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Phase::Baseline, Phase::After90Days]
            .into_iter()
            .find(|p| p.as_str() == s)
    }
}

/// The four questions: backups kept offline, MFA on email and banking, an incident plan, and
/// software updates installed automatically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Resilience {
    pub offline_backups: Answer,
    pub mfa: Answer,
    pub incident_plan: Answer,
    pub auto_updates: Answer,
}

impl Resilience {
    /// The question names, in the order they are asked (and the wire field names).
    pub const QUESTIONS: [&'static str; 4] =
        ["offline_backups", "mfa", "incident_plan", "auto_updates"];

    /// The answers in [`Self::QUESTIONS`] order.
    pub fn answers(&self) -> [Answer; 4] {
        [
            self.offline_backups,
            self.mfa,
            self.incident_plan,
            self.auto_updates,
        ]
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = resilience_answers)]
struct AnswersRow {
    intake_id: String,
    phase: String,
    offline_backups: String,
    mfa: String,
    incident_plan: String,
    auto_updates: String,
    created_at: NaiveDateTime,
}

impl AnswersRow {
    fn resilience(&self) -> Resilience {
        let a = |s: &str| Answer::parse(s).unwrap_or(Answer::Unknown);
        Resilience {
            offline_backups: a(&self.offline_backups),
            mfa: a(&self.mfa),
            incident_plan: a(&self.incident_plan),
            auto_updates: a(&self.auto_updates),
        }
    }
}

/// The answers of one phase, with when they were given.
pub fn answers_of(
    conn: &mut DbConn,
    intake_id: &IntakeId,
    phase: Phase,
) -> Result<Option<(Resilience, NaiveDateTime)>, AppError> {
    let row: Option<AnswersRow> = resilience_answers::table
        .find((intake_id, phase.as_str()))
        .select(AnswersRow::as_select())
        .first(conn)
        .optional()?;
    Ok(row.map(|r| (r.resilience(), r.created_at)))
}

/// The answers of both phases of an intake in one statement: `(baseline, after_90_days)`.
pub fn answers_of_both(
    conn: &mut DbConn,
    intake_id: &IntakeId,
) -> Result<(PhaseAnswers, PhaseAnswers), AppError> {
    let rows: Vec<AnswersRow> = resilience_answers::table
        .filter(resilience_answers::intake_id.eq(intake_id))
        .select(AnswersRow::as_select())
        .load(conn)?;
    let of = |phase: Phase| {
        rows.iter()
            .find(|r| r.phase == phase.as_str())
            .map(|r| (r.resilience(), r.created_at))
    };
    Ok((of(Phase::Baseline), of(Phase::After90Days)))
}

/// One phase's answers and when they were given.
pub type PhaseAnswers = Option<(Resilience, NaiveDateTime)>;

/// Stores the answers of one phase, replacing earlier ones of that phase (update, else insert:
/// the caller holds the intake's lock).
pub fn store(
    conn: &mut DbConn,
    intake_id: &IntakeId,
    phase: Phase,
    answers: &Resilience,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let row = AnswersRow {
        intake_id: intake_id.to_string(),
        phase: phase.as_str().to_owned(),
        offline_backups: answers.offline_backups.as_str().to_owned(),
        mfa: answers.mfa.as_str().to_owned(),
        incident_plan: answers.incident_plan.as_str().to_owned(),
        auto_updates: answers.auto_updates.as_str().to_owned(),
        created_at: now,
    };
    let changed = diesel::update(resilience_answers::table.find((intake_id, phase.as_str())))
        .set((
            resilience_answers::offline_backups.eq(&row.offline_backups),
            resilience_answers::mfa.eq(&row.mfa),
            resilience_answers::incident_plan.eq(&row.incident_plan),
            resilience_answers::auto_updates.eq(&row.auto_updates),
            resilience_answers::created_at.eq(now),
        ))
        .execute(conn)?;
    if changed == 0 {
        diesel::insert_into(resilience_answers::table)
            .values(&row)
            .execute(conn)?;
    }
    Ok(())
}

/// Per expert of `expert_ids`: how many victims said in their feedback that the expert they
/// were connected to offered paid services (experts without reports are left out).
pub fn paid_services_reports(
    conn: &mut DbConn,
    expert_ids: &[ExpertId],
) -> Result<HashMap<ExpertId, i64>, AppError> {
    let experts: Vec<Option<ExpertId>> = intake_feedback::table
        .inner_join(intakes::table.on(intakes::id.eq(intake_feedback::intake_id)))
        .filter(intake_feedback::offered_paid_services.eq(true))
        .filter(intakes::connected_expert_id.eq_any(expert_ids))
        .select(intakes::connected_expert_id)
        .load(conn)?;
    let mut counts = HashMap::new();
    for id in experts.into_iter().flatten() {
        *counts.entry(id).or_insert(0) += 1;
    }
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_round_trip_and_reject_others() {
        for a in Answer::ALL {
            assert_eq!(Answer::parse(a.as_str()), Some(a));
        }
        assert_eq!(Answer::parse("Yes"), None);
        assert_eq!(Answer::parse("maybe"), None);
        assert_eq!(Phase::parse("after_90_days"), Some(Phase::After90Days));
        assert_eq!(Phase::parse("later"), None);
    }
}
