//! Schemas of the answers that handlers build in place (`json!`), written down once here with
//! the same field names; the response types that exist as structs derive their schemas where
//! they are defined.

#![allow(dead_code)] // The structs exist for their schemas only.

use utoipa::ToSchema;

use super::codes::{ExpertStatusCode, LangCode};

/// `{"id","status"}` of a registered or verified expert.
#[derive(ToSchema)]
pub struct ExpertState {
    id: String,
    #[schema(value_type = ExpertStatusCode)]
    status: String,
}

/// The current code of conduct in the language asked for.
#[derive(ToSchema)]
pub struct CodeOfConduct {
    version: i32,
    #[schema(value_type = LangCode)]
    lang: String,
    text: String,
    /// Date and time in UTC, ISO 8601 without offset.
    published_at: String,
}

/// A newly published code of conduct.
#[derive(ToSchema)]
pub struct PublishedCode {
    version: i32,
    /// Date and time in UTC, ISO 8601 without offset.
    published_at: String,
}

/// A verification email was queued.
#[derive(ToSchema)]
pub struct Sent {
    sent: bool,
}

/// One help request that was sent.
#[derive(ToSchema)]
pub struct SentRequest {
    id: String,
    expert_id: String,
    /// The request's status (`pending` when just sent).
    status: String,
    /// Date and time in UTC, ISO 8601 without offset.
    expires_at: String,
}

/// The help requests that were sent.
#[derive(ToSchema)]
pub struct SentRequests {
    requests: Vec<SentRequest>,
}

/// The first-aid steps ticked off, by number.
#[derive(ToSchema)]
pub struct StepsDone {
    steps_done: Vec<i32>,
}

/// The victim's feedback as stored.
#[derive(ToSchema)]
pub struct FeedbackSaved {
    helped: i32,
    resolved: bool,
    more_resilient: bool,
    comment: Option<String>,
    offered_paid_services: Option<bool>,
}

/// The four resilience answers and when they were given (`null` when not given).
#[derive(ToSchema)]
pub struct ResilienceAnswers {
    /// `yes`, `no` or `unknown`.
    offline_backups: String,
    mfa: String,
    incident_plan: String,
    auto_updates: String,
    /// Date and time in UTC, ISO 8601 without offset.
    answered_at: String,
}

/// The resilience check as stored.
#[derive(ToSchema)]
pub struct ResilienceSaved {
    mfa_enabled: bool,
    offline_backups: bool,
    reported_to_police: bool,
    comment: Option<String>,
    answers: Option<ResilienceAnswers>,
}

/// The baseline resilience answers as stored.
#[derive(ToSchema)]
pub struct BaselineSaved {
    /// Always `baseline`.
    phase: String,
    answers: Option<ResilienceAnswers>,
}

/// A complaint as filed.
#[derive(ToSchema)]
pub struct ComplaintCreated {
    id: String,
    status: String,
    expert_id: String,
    /// Date and time in UTC, ISO 8601 without offset.
    created_at: String,
}

/// Contact details of a victim in the moderators' intake list (null once erased).
#[derive(ToSchema)]
pub struct ListedContact {
    name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
}

/// Company details of a victim in the moderators' intake list.
#[derive(ToSchema)]
pub struct ListedCompany {
    name: Option<String>,
    employees: Option<i32>,
    sector: Option<String>,
}

/// One intake in the moderators' list.
#[derive(ToSchema)]
pub struct ListedIntake {
    id: String,
    status: String,
    incident_type: String,
    urgency: String,
    municipality: String,
    province: String,
    language: String,
    needs_on_site: bool,
    description: Option<String>,
    contact: ListedContact,
    company: ListedCompany,
    connected_expert_id: Option<String>,
    connected_expert_company_name: Option<String>,
    outcome: Option<String>,
    feedback_helped: Option<i32>,
    /// Date and time in UTC, ISO 8601 without offset.
    created_at: String,
    closed_at: Option<String>,
    erased_at: Option<String>,
}

/// A JSON object whose members are described in the README (figures, exports, the published
/// referral policy).
pub struct Document;

impl utoipa::PartialSchema for Document {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::Type::Object)
            .description(Some(
                "A JSON object; its members are described in the README.",
            ))
            .into()
    }
}

impl ToSchema for Document {
    fn name() -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed("Document")
    }
}
