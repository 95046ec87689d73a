//! The victim's export: everything held about one intake, as its case token shows it. Other
//! victims never appear (every query is by this intake's id), experts only as far as the victim
//! was shown them (company names of matches and requests; contact details of the connected expert
//! only), and emails only those addressed to the victim, with link tokens removed.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use super::{Header, Subject, redact_tokens};
use crate::cases::view::{CaseData, FullCase};
use crate::db::DbConn;
use crate::db::models::case::{self, FeedbackRow, ResilienceRow};
use crate::db::models::complaint::ComplaintRow;
use crate::db::models::outbox::{OutboxMessage, recipient_hash};
use crate::db::schema::{complaints, outbox};
use crate::domain::{ComplaintStatus, IntakeId};
use crate::error::AppError;
use crate::incidents::Catalogue;

/// Everything the export needs from the database.
pub struct VictimData {
    case: CaseData,
    feedback: Option<FeedbackRow>,
    resilience: Option<ResilienceRow>,
    complaints: Vec<ComplaintRow>,
    emails: Vec<OutboxMessage>,
}

#[derive(Serialize)]
pub struct FeedbackView<'a> {
    pub helped: i32,
    pub resolved: bool,
    pub more_resilient: bool,
    pub comment: Option<&'a str>,
    pub created_at: NaiveDateTime,
    /// Null for feedback given before the question was asked.
    pub offered_paid_services: Option<bool>,
}

#[derive(Serialize)]
pub struct ResilienceView<'a> {
    pub mfa_enabled: bool,
    pub offline_backups: bool,
    pub reported_to_police: bool,
    pub comment: Option<&'a str>,
    pub created_at: NaiveDateTime,
}

#[derive(Serialize)]
pub struct ComplaintView<'a> {
    pub id: &'a str,
    pub expert_id: &'a str,
    /// Left out once the intake is erased (free text, like the description).
    pub reason: Option<&'a str>,
    pub status: ComplaintStatus,
    pub created_at: NaiveDateTime,
}

#[derive(Serialize)]
pub struct EmailView<'a> {
    pub template: &'a str,
    pub lang: &'a str,
    pub recipient: &'a str,
    pub subject: &'a str,
    pub text_body: String,
    pub created_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
}

/// The victim's export document.
#[derive(Serialize)]
pub struct VictimExport<'a> {
    #[serde(flatten)]
    pub header: Header,
    pub erased_at: Option<NaiveDateTime>,
    /// The case as `GET /api/v1/intakes/{id}` shows it: the intake, matches with reasons,
    /// requests, steps ticked, the connected expert's contact and the resilience answers
    /// (`case.resilience.baseline` and `case.resilience.after_90_days`).
    pub case: FullCase<'a>,
    pub feedback: Option<FeedbackView<'a>>,
    pub resilience: Option<ResilienceView<'a>>,
    pub complaints: Vec<ComplaintView<'a>>,
    pub emails: Vec<EmailView<'a>>,
}

impl VictimData {
    pub fn load(conn: &mut DbConn, intake_id: &IntakeId) -> Result<Self, AppError> {
        let case = CaseData::load(conn, intake_id)?;
        let complaints = complaints::table
            .filter(complaints::intake_id.eq(intake_id))
            .order((complaints::created_at.asc(), complaints::id.asc()))
            .select(ComplaintRow::as_select())
            .load(conn)?;
        let tagged: Vec<OutboxMessage> = outbox::table
            .filter(outbox::intake_id.eq(intake_id))
            .order((outbox::created_at.asc(), outbox::id.asc()))
            .select(OutboxMessage::as_select())
            .load(conn)?;
        let email = case.row.contact_email.clone();
        let emails = tagged
            .into_iter()
            .filter(|m| to_victim(m, email.as_deref()))
            .collect();
        Ok(Self {
            feedback: case::feedback_of(conn, intake_id)?,
            resilience: case::resilience_of(conn, intake_id)?,
            complaints,
            emails,
            case,
        })
    }

    pub fn view<'a>(&'a self, catalogue: &'a Catalogue, now: NaiveDateTime) -> VictimExport<'a> {
        let erased = self.case.row.status.is_erased();
        VictimExport {
            header: Header {
                exported_at: now,
                subject: Subject {
                    kind: "intake",
                    id: self.case.row.id.to_string(),
                },
            },
            erased_at: self.case.row.erased_at,
            case: self
                .case
                .view(catalogue, crate::intakes::lang_of(&self.case.row)),
            feedback: self.feedback.as_ref().map(|f| FeedbackView {
                helped: f.helped,
                resolved: f.resolved,
                more_resilient: f.more_resilient,
                comment: f.comment.as_deref(),
                created_at: f.created_at,
                offered_paid_services: f.offered_paid_services,
            }),
            resilience: self.resilience.as_ref().map(|r| ResilienceView {
                mfa_enabled: r.mfa_enabled,
                offline_backups: r.offline_backups,
                reported_to_police: r.reported_to_police,
                comment: r.comment.as_deref(),
                created_at: r.created_at,
            }),
            complaints: self
                .complaints
                .iter()
                .map(|c| ComplaintView {
                    id: &c.id,
                    expert_id: &c.expert_id,
                    reason: (!erased).then_some(c.reason.as_str()),
                    status: c.status,
                    created_at: c.created_at,
                })
                .collect(),
            emails: self
                .emails
                .iter()
                .map(|m| EmailView {
                    template: &m.template,
                    lang: &m.lang,
                    recipient: &m.recipient,
                    subject: &m.subject,
                    text_body: redact_tokens(&m.text_body),
                    created_at: m.created_at,
                    sent_at: m.sent_at,
                })
                .collect(),
        }
    }
}

/// Whether an email tagged with the intake went to its victim (not to an expert or moderator):
/// by the address's hash or the address itself while the intake holds it, by the `erased`
/// marker once it is erased.
fn to_victim(message: &OutboxMessage, victim_email: Option<&str>) -> bool {
    let Some(email) = victim_email else {
        return message.recipient == case::ERASED_RECIPIENT;
    };
    let by_hash = message.recipient_hash.as_deref() == Some(recipient_hash(email).as_str());
    let address = message
        .recipient
        .rsplit_once('<')
        .map(|(_, rest)| rest.trim_end_matches('>'))
        .unwrap_or(&message.recipient);
    by_hash || address.trim().eq_ignore_ascii_case(email.trim())
}
