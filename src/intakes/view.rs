//! The intake as its victim sees it: on creation (with the case link and first-aid steps) and
//! behind the case token. Texts are in the intake's language (English for one the platform does
//! not write); the
//! match reasons in the language the request asks for (`?lang=`, `Accept-Language`), else in the
//! intake's, each with its codes beside it (`reason_codes`).

use chrono::NaiveDateTime;
use serde::Serialize;

use crate::db::models::intake::{IntakeRow, MatchRow};
use crate::domain::{ExpertId, IncidentType, IntakeStatus, Reason, Urgency};
use crate::i18n::{Lang, reasons::say_all_in};
use crate::incidents::{Catalogue, Step};

#[derive(Serialize, utoipa::ToSchema)]
pub struct MatchView {
    #[schema(value_type = String)]
    pub expert_id: ExpertId,
    pub company_name: String,
    pub mode: String,
    pub distance_km: f64,
    /// The reasons in words, in the answer's language.
    pub reasons: Vec<String>,
    /// The same reasons as codes with parameters.
    pub reason_codes: Vec<Reason>,
    /// Whether the expert speaks the language the victim asked help in (else Dutch or English,
    /// which its reasons name).
    pub speaks_language: bool,
}

/// The stored matches of an intake in `language` with their reasons in words of `lang`.
pub fn matches(rows: &[(MatchRow, String)], language: &str, lang: Lang) -> Vec<MatchView> {
    rows.iter()
        .map(|(m, company_name)| {
            let reason_codes = m.reasons();
            MatchView {
                speaks_language: speaks(&reason_codes, language),
                expert_id: m.expert_id.clone(),
                company_name: company_name.clone(),
                mode: m.mode.clone(),
                distance_km: m.distance_km,
                reasons: say_all_in(lang, &reason_codes),
                reason_codes,
            }
        })
        .collect()
}

/// Whether `reasons` say the expert speaks `language`.
pub fn speaks(reasons: &[Reason], language: &str) -> bool {
    reasons
        .iter()
        .any(|r| matches!(r, Reason::Speaks { language: spoken } if spoken == language))
}

/// `201` body of `POST /api/v1/intakes`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct CreatedView<'a> {
    pub id: &'a str,
    #[schema(value_type = String)]
    pub status: IntakeStatus,
    pub access_token: &'a str,
    pub case_url: String,
    pub steps: &'a [Step],
    pub matches: Vec<MatchView>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct LocationView<'a> {
    pub place: &'a str,
    pub municipality: &'a str,
    pub province: &'a str,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ContactView<'a> {
    pub name: Option<&'a str>,
    pub email: Option<&'a str>,
    pub phone: Option<&'a str>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CompanyView<'a> {
    pub name: Option<&'a str>,
    pub kvk_number: Option<&'a str>,
    pub employees: Option<i32>,
    pub sector: Option<&'a str>,
}

/// `GET /api/v1/intakes/{id}`: the victim's own case.
#[derive(Serialize, utoipa::ToSchema)]
pub struct CaseView<'a> {
    pub id: &'a str,
    #[schema(value_type = String)]
    pub status: IntakeStatus,
    #[schema(value_type = String)]
    pub incident_type: IncidentType,
    pub incident_name: &'a str,
    #[schema(value_type = String)]
    pub urgency: Urgency,
    pub description: Option<&'a str>,
    pub location: LocationView<'a>,
    pub needs_on_site: bool,
    pub language: &'a str,
    pub contact: ContactView<'a>,
    pub company: CompanyView<'a>,
    pub disclaimer_version: &'a str,
    #[schema(value_type = String)]
    pub created_at: NaiveDateTime,
    /// When the incident was discovered (UTC); for intakes from before it was asked, when it
    /// was reported.
    #[schema(value_type = String)]
    pub discovered_at: NaiveDateTime,
    #[schema(value_type = Option<String>)]
    pub closed_at: Option<NaiveDateTime>,
    pub outcome: Option<&'a str>,
    pub steps: &'a [Step],
    pub matches: Vec<MatchView>,
}

/// The case of `row`, its match reasons in words of `reasons_lang`.
pub fn case<'a>(
    row: &'a IntakeRow,
    discovered_at: NaiveDateTime,
    catalogue: &'a Catalogue,
    matches: &[(MatchRow, String)],
    reasons_lang: Lang,
) -> CaseView<'a> {
    let text = catalogue.get(row.incident_type).text(super::lang_of(row));
    CaseView {
        id: &row.id,
        status: row.status,
        incident_type: row.incident_type,
        incident_name: &text.name,
        urgency: row.urgency,
        description: row.description.as_deref(),
        location: LocationView {
            place: &row.place,
            municipality: &row.municipality,
            province: &row.province,
        },
        needs_on_site: row.needs_on_site,
        language: &row.language,
        contact: ContactView {
            name: row.contact_name.as_deref(),
            email: row.contact_email.as_deref(),
            phone: row.contact_phone.as_deref(),
        },
        company: CompanyView {
            name: row.company_name.as_deref(),
            kvk_number: row.company_kvk.as_deref(),
            employees: row.company_employees,
            sector: row.company_sector.as_deref(),
        },
        disclaimer_version: &row.disclaimer_version,
        created_at: row.created_at,
        discovered_at,
        closed_at: row.closed_at,
        outcome: row.outcome.as_deref(),
        steps: text.steps.as_slice(),
        matches: self::matches(matches, &row.language, reasons_lang),
    }
}
