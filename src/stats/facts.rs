//! The few columns the figures are made of, one struct per source table, as loaded for one
//! period. Nothing here is personal data: ids, codes, regions, times and scores only.

use chrono::NaiveDateTime;

use crate::domain::{IncidentType, IntakeStatus, RequestStatus, Urgency};

/// One intake of the period (erased and pseudonymised ones included: they keep these columns).
#[derive(Debug, Clone, PartialEq)]
pub struct IntakeFact {
    pub id: String,
    pub incident_type: IncidentType,
    pub urgency: Urgency,
    pub province: String,
    pub status: IntakeStatus,
    pub outcome: Option<String>,
    pub created_at: NaiveDateTime,
    pub connected_at: Option<NaiveDateTime>,
    pub connected_expert_id: Option<String>,
}

/// An expert shown as a match for an intake, with its place (1 is first).
#[derive(Debug, Clone, PartialEq)]
pub struct MatchFact {
    pub intake_id: String,
    pub expert_id: String,
    pub rank: i32,
}

/// A help request and its state.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestFact {
    pub intake_id: String,
    pub expert_id: String,
    pub status: RequestStatus,
}

/// The victim's feedback on a case.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedbackFact {
    pub intake_id: String,
    pub helped: i32,
    pub resolved: bool,
    pub more_resilient: bool,
    /// `None` for feedback given before the question was asked.
    pub offered_paid_services: Option<bool>,
}

/// One set of resilience answers (`baseline` at intake, `after_90_days` at the check).
#[derive(Debug, Clone, PartialEq)]
pub struct ResilienceFact {
    pub intake_id: String,
    pub phase: String,
    pub offline_backups: String,
    pub mfa: String,
    pub incident_plan: String,
    pub auto_updates: String,
}

/// Everything one period's figures are computed from.
#[derive(Debug, Clone, Default)]
pub struct PeriodFacts {
    pub intakes: Vec<IntakeFact>,
    pub matches: Vec<MatchFact>,
    pub requests: Vec<RequestFact>,
    pub feedback: Vec<FeedbackFact>,
    pub resilience: Vec<ResilienceFact>,
    pub complaints: u64,
}

/// An expert as the referral figures name it.
#[derive(Debug, Clone, PartialEq)]
pub struct ExpertName {
    pub id: String,
    pub company_name: String,
}
