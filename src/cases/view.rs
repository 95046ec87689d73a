//! How a case looks after matching: to the victim (its requests, the connected expert's contact,
//! step progress) and to an expert (the anonymised summary; the victim's identity only on the
//! request whose acceptance connected them).

use chrono::NaiveDateTime;
use diesel::Connection;
use serde::Serialize;

use crate::cases::outcomes::answers_json;
use crate::db::DbConn;
use crate::db::models::expert::ExpertRow;
use crate::db::models::intake::{IntakeRow, MatchRow};
use crate::db::models::outcomes::{self, Resilience};
use crate::db::models::request::{self, RequestRow};
use crate::db::models::{case, expert, intake, intake_clock};
use crate::domain::deadline::{self, Deadline, DeadlineCode};
use crate::domain::{
    ExpertId, IncidentType, IntakeId, IntakeStatus, RequestId, RequestStatus, Urgency,
};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::incidents::Catalogue;
use crate::intakes::view::CaseView;

#[derive(Serialize, utoipa::ToSchema)]
pub struct RequestState {
    #[schema(value_type = String)]
    pub id: RequestId,
    #[schema(value_type = String)]
    pub expert_id: ExpertId,
    pub company_name: String,
    #[schema(value_type = String)]
    pub status: RequestStatus,
    #[schema(value_type = String)]
    pub created_at: NaiveDateTime,
    #[schema(value_type = String)]
    pub expires_at: NaiveDateTime,
    #[schema(value_type = Option<String>)]
    pub responded_at: Option<NaiveDateTime>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ExpertContact {
    #[schema(value_type = String)]
    pub id: ExpertId,
    pub company_name: String,
    pub contact_name: String,
    pub email: String,
    pub phone: String,
    pub website: Option<String>,
}

/// A clock of the case (`ap_notification`, `call_bank`), computed from the incident type and
/// when it was discovered.
#[derive(Serialize, utoipa::ToSchema)]
pub struct DeadlineView {
    #[schema(value_type = String)]
    pub code: DeadlineCode,
    /// In the answer's language.
    pub title: String,
    /// When it is due (UTC, like every time in the API); null: act now, there is no fixed time.
    #[schema(value_type = Option<String>)]
    pub due_at: Option<NaiveDateTime>,
}

/// `GET /api/v1/intakes/{id}`: the intake plus what happened after matching.
#[derive(Serialize, utoipa::ToSchema)]
pub struct FullCase<'a> {
    #[serde(flatten)]
    pub case: CaseView<'a>,
    /// What cannot wait: the 72-hour notification of a data breach (also for ransomware, in
    /// case personal data was affected), the call to the bank after invoice or CEO fraud.
    pub deadlines: Vec<DeadlineView>,
    pub requests: Vec<RequestState>,
    /// The connected expert's contact details, once an expert accepted.
    pub expert: Option<ExpertContact>,
    #[schema(value_type = Option<String>)]
    pub connected_at: Option<NaiveDateTime>,
    /// The first-aid steps ticked done (numbers from 1).
    pub steps_done: Vec<i32>,
    pub feedback_given: bool,
    pub resilience_answered: bool,
    /// The four outcome questions: `baseline` (after the intake) and `after_90_days`, each
    /// `{"offline_backups","mfa","incident_plan","auto_updates","answered_at"}` or null.
    #[schema(value_type = serde_json::Value)]
    pub resilience: serde_json::Value,
    /// When the personal data was removed after the retention period (null: not removed).
    #[schema(value_type = Option<String>)]
    pub pseudonymised_at: Option<NaiveDateTime>,
}

/// Everything the victim's case needs from the database.
pub struct CaseData {
    pub row: IntakeRow,
    /// When the incident was discovered (for older intakes: when it was reported).
    pub discovered_at: NaiveDateTime,
    pub matches: Vec<(MatchRow, String)>,
    pub requests: Vec<(RequestRow, String)>,
    pub expert: Option<ExpertRow>,
    pub steps_done: Vec<i32>,
    pub feedback_given: bool,
    pub resilience_answered: bool,
    pub baseline: Option<(Resilience, NaiveDateTime)>,
    pub after_90_days: Option<(Resilience, NaiveDateTime)>,
    pub pseudonymised_at: Option<NaiveDateTime>,
}

impl CaseData {
    /// Reads the case; on SQLite inside one read transaction, so that its dozen statements see
    /// one snapshot and take the WAL read lock once instead of once each (on PostgreSQL every
    /// statement is a round trip already; BEGIN and COMMIT would only add two).
    pub fn load(conn: &mut DbConn, intake_id: &IntakeId) -> Result<Self, AppError> {
        if conn.is_sqlite() {
            conn.transaction(|conn| Self::read(conn, intake_id))
        } else {
            Self::read(conn, intake_id)
        }
    }

    fn read(conn: &mut DbConn, intake_id: &IntakeId) -> Result<Self, AppError> {
        let row = intake::find(conn, intake_id)?.ok_or(AppError::NotFound)?;
        let (baseline, after_90_days) = outcomes::answers_of_both(conn, intake_id)?;
        let expert = match &row.connected_expert_id {
            Some(id) => expert::find(conn, id)?,
            None => None,
        };
        Ok(Self {
            discovered_at: intake_clock::discovered(conn, intake_id)?.unwrap_or(row.created_at),
            matches: intake::matches_of(conn, intake_id)?,
            requests: request::of_intake(conn, intake_id)?,
            expert,
            steps_done: case::steps_done(conn, intake_id)?,
            feedback_given: case::feedback_of(conn, intake_id)?.is_some(),
            resilience_answered: case::resilience_of(conn, intake_id)?.is_some(),
            baseline,
            after_90_days,
            pseudonymised_at: crate::db::models::retention::pseudonymised_at(conn, intake_id)?,
            row,
        })
    }

    /// The clocks the case runs against.
    pub fn deadlines(&self) -> Vec<Deadline> {
        deadline::deadlines(self.row.incident_type, self.discovered_at, self.row.status)
    }

    /// The case as the API shows it, match reasons in words of `reasons_lang`.
    pub fn view<'a>(&'a self, catalogue: &'a Catalogue, reasons_lang: Lang) -> FullCase<'a> {
        FullCase {
            case: crate::intakes::view::case(
                &self.row,
                self.discovered_at,
                catalogue,
                &self.matches,
                reasons_lang,
            ),
            deadlines: self
                .deadlines()
                .into_iter()
                .map(|d| DeadlineView {
                    code: d.code,
                    title: crate::i18n::deadlines::title_in(reasons_lang, d.code),
                    due_at: d.due_at,
                })
                .collect(),
            requests: self
                .requests
                .iter()
                .map(|(r, company_name)| RequestState {
                    id: r.id.clone(),
                    expert_id: r.expert_id.clone(),
                    company_name: company_name.clone(),
                    status: r.status,
                    created_at: r.created_at,
                    expires_at: r.expires_at,
                    responded_at: r.responded_at,
                })
                .collect(),
            expert: self.expert.as_ref().map(|e| ExpertContact {
                id: e.id.clone(),
                company_name: e.company_name.clone(),
                contact_name: e.contact_name.clone(),
                email: e.email.clone(),
                phone: e.phone.clone(),
                website: e.website.clone(),
            }),
            connected_at: self.row.connected_at,
            steps_done: self.steps_done.clone(),
            feedback_given: self.feedback_given,
            resilience_answered: self.resilience_answered,
            resilience: serde_json::json!({
                "baseline": answers_json(self.baseline.as_ref()),
                "after_90_days": answers_json(self.after_90_days.as_ref()),
            }),
            pseudonymised_at: self.pseudonymised_at,
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CompanySummary {
    pub employees: Option<i32>,
    pub sector: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct VictimContact {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub company_name: Option<String>,
}

/// A request as the expert it was sent to sees it.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ExpertRequestView {
    #[schema(value_type = String)]
    pub id: RequestId,
    #[schema(value_type = String)]
    pub intake_id: IntakeId,
    #[schema(value_type = String)]
    pub status: RequestStatus,
    #[schema(value_type = String)]
    pub created_at: NaiveDateTime,
    #[schema(value_type = String)]
    pub expires_at: NaiveDateTime,
    #[schema(value_type = Option<String>)]
    pub responded_at: Option<NaiveDateTime>,
    pub decline_reason: Option<String>,
    #[schema(value_type = Option<String>)]
    pub completed_at: Option<NaiveDateTime>,
    pub summary: Option<String>,
    #[schema(value_type = String)]
    pub incident_type: IncidentType,
    pub incident_name: String,
    #[schema(value_type = String)]
    pub urgency: Urgency,
    pub municipality: String,
    pub province: String,
    pub company: CompanySummary,
    pub description: Option<String>,
    pub language: String,
    pub needs_on_site: bool,
    #[schema(value_type = String)]
    pub intake_status: IntakeStatus,
    /// Only once this expert's acceptance connected the case.
    pub victim: Option<VictimContact>,
    /// The first-aid steps the victim ticked done; only for the connected expert.
    pub steps_done: Option<Vec<i32>>,
}

pub fn for_expert(
    conn: &mut DbConn,
    catalogue: &Catalogue,
    lang: crate::i18n::Lang,
    req: RequestRow,
    row: IntakeRow,
) -> Result<ExpertRequestView, AppError> {
    let connected = req.connected();
    let steps_done = if connected {
        Some(case::steps_done(conn, &row.id)?)
    } else {
        None
    };
    let incident_name = catalogue.get(row.incident_type).text(lang).name.clone();
    Ok(ExpertRequestView {
        victim: connected.then(|| VictimContact {
            name: row.contact_name.clone(),
            email: row.contact_email.clone(),
            phone: row.contact_phone.clone(),
            company_name: row.company_name.clone(),
        }),
        steps_done,
        incident_name,
        id: req.id,
        intake_id: row.id,
        status: req.status,
        created_at: req.created_at,
        expires_at: req.expires_at,
        responded_at: req.responded_at,
        decline_reason: req.decline_reason,
        completed_at: req.completed_at,
        summary: req.summary,
        incident_type: row.incident_type,
        urgency: row.urgency,
        municipality: row.municipality,
        province: row.province,
        company: CompanySummary {
            employees: row.company_employees,
            sector: row.company_sector,
        },
        description: row.description,
        language: row.language,
        needs_on_site: row.needs_on_site,
        intake_status: row.status,
    })
}
