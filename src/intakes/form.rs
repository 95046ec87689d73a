//! The intake request as a client sends it, and its parsing into a [`NewIntake`] that cannot
//! hold bad data. Every problem is reported at once, each under its field's path.

use chrono::{DateTime, NaiveDateTime, SubsecRound};
use serde::Deserialize;

use crate::cases::outcomes::AnswersInput;
use crate::db::models::outcomes::Resilience;
use crate::domain::{
    Email, IncidentType, KvkNumber, Language, Location, LocationInput, Phone, Urgency,
};
use crate::error::{AppError, FieldErrors};
use crate::geo::Geocoder;

pub const MAX_DESCRIPTION_CHARS: usize = 5000;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct IntakeRequest {
    pub incident_type: String,
    pub urgency: String,
    pub description: String,
    pub location: LocationInput,
    pub needs_on_site: bool,
    pub language: String,
    pub contact: ContactInput,
    #[serde(default)]
    pub company: Option<CompanyInput>,
    pub consent_to_share: bool,
    pub disclaimer_accepted: bool,
    /// The optional resilience baseline (the four outcome questions).
    #[serde(default)]
    pub resilience: Option<AnswersInput>,
    /// When the incident was discovered, RFC 3339 (`2026-12-01T09:30:00+01:00`); default now.
    /// Starts the clocks of the case, such as the 72-hour notification of a data breach.
    #[serde(default)]
    pub discovered_at: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ContactInput {
    pub name: String,
    pub email: String,
    #[serde(default)]
    pub phone: Option<String>,
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct CompanyInput {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub kvk_number: Option<String>,
    #[serde(default)]
    pub employees: Option<i64>,
    #[serde(default)]
    pub sector: Option<String>,
}

/// An intake whose every field has been checked.
#[derive(Debug, Clone)]
pub struct NewIntake {
    pub incident_type: IncidentType,
    pub urgency: Urgency,
    pub description: String,
    pub location: Location,
    pub needs_on_site: bool,
    pub language: Language,
    pub contact_name: String,
    pub contact_email: Email,
    pub contact_phone: Option<Phone>,
    pub company_name: Option<String>,
    pub company_kvk: Option<KvkNumber>,
    pub company_employees: Option<i32>,
    pub company_sector: Option<String>,
    pub resilience: Option<Resilience>,
    /// When the incident was discovered (UTC); `None`: when it was reported.
    pub discovered_at: Option<NaiveDateTime>,
}

/// How far ahead of the server's clock a discovery time may lie (a client's clock running a
/// little fast); it is then taken as now.
pub const DISCOVERED_SKEW_MINUTES: i64 = 5;

/// The earliest discovery time taken: anything before is a typo, not an incident to act on.
const DISCOVERED_EARLIEST: &str = "2000-01-01T00:00:00Z";

/// Parses a discovery time (RFC 3339): not in the future (beyond a small clock skew, which is
/// taken as `now`), not before 2000.
pub fn discovered_at(raw: &str, now: NaiveDateTime) -> Result<NaiveDateTime, String> {
    let at = DateTime::parse_from_rfc3339(raw.trim())
        .map_err(|_| {
            "must be a date and time in RFC 3339 form, e.g. 2026-12-01T09:30:00+01:00".to_owned()
        })?
        .naive_utc()
        .trunc_subsecs(6);
    let earliest = DateTime::parse_from_rfc3339(DISCOVERED_EARLIEST)
        .map(|t| t.naive_utc())
        .unwrap_or_default();
    if at > now + chrono::Duration::minutes(DISCOVERED_SKEW_MINUTES) {
        Err("lies in the future; give the moment the incident was discovered".into())
    } else if at < earliest {
        Err("lies before the year 2000".into())
    } else {
        Ok(at.min(now))
    }
}

/// Trims, and turns an empty text into `None`.
fn optional(text: &Option<String>) -> Option<&str> {
    text.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

fn bounded(text: &str, max: usize) -> Result<String, String> {
    let text = text.trim();
    if text.is_empty() {
        Err("is required".into())
    } else if text.chars().count() > max {
        Err(format!("is longer than {max} characters"))
    } else {
        Ok(text.to_owned())
    }
}

impl IntakeRequest {
    /// Checks every field; `now` is the platform clock's (a discovery time may not lie after it).
    pub fn parse(self, geocoder: &dyn Geocoder, now: NaiveDateTime) -> Result<NewIntake, AppError> {
        let mut errors = FieldErrors::default();
        let incident_type = errors.check(
            "incident_type",
            IncidentType::parse(self.incident_type.trim())
                .ok_or("is not a known incident type; see GET /api/v1/incident-types"),
        );
        let urgency = errors.check(
            "urgency",
            Urgency::parse(self.urgency.trim()).ok_or("must be acute, recent or past"),
        );
        let description = errors.check(
            "description",
            bounded(&self.description, MAX_DESCRIPTION_CHARS),
        );
        let location = errors.location("location", Location::resolve(&self.location, geocoder));
        let language = errors.check("language", Language::parse(&self.language));
        let contact_name = errors.check("contact.name", crate::domain::name(&self.contact.name));
        let contact_email = errors.check("contact.email", Email::parse(&self.contact.email));
        let contact_phone = optional(&self.contact.phone)
            .and_then(|p| errors.check("contact.phone", Phone::parse(p)));
        let company = self.company.unwrap_or_default();
        let company_name = optional(&company.name)
            .and_then(|n| errors.check("company.name", crate::domain::name(n)));
        let company_kvk = optional(&company.kvk_number)
            .and_then(|k| errors.check("company.kvk_number", KvkNumber::parse(k)));
        let company_employees = company.employees.and_then(|n| {
            errors.check(
                "company.employees",
                i32::try_from(n)
                    .ok()
                    .filter(|n| (0..=1_000_000).contains(n))
                    .ok_or("must be a number from 0 to 1,000,000"),
            )
        });
        let company_sector =
            optional(&company.sector).and_then(|s| errors.check("company.sector", bounded(s, 100)));
        if !self.consent_to_share {
            errors.add(
                "consent_to_share",
                "must be true: we can only pass your request on to experts with your consent",
            );
        }
        if !self.disclaimer_accepted {
            errors.add(
                "disclaimer_accepted",
                "must be true: please read and accept the disclaimer",
            );
        }
        let resilience = self
            .resilience
            .as_ref()
            .and_then(|r| r.check("resilience.", &mut errors));
        let discovered_at = optional(&self.discovered_at)
            .and_then(|raw| errors.check("discovered_at", discovered_at(raw, now)));
        errors.finish()?;
        let missing = || AppError::internal("a checked field is missing");
        Ok(NewIntake {
            incident_type: incident_type.ok_or_else(missing)?,
            urgency: urgency.ok_or_else(missing)?,
            description: description.ok_or_else(missing)?,
            location: location.ok_or_else(missing)?,
            needs_on_site: self.needs_on_site,
            language: language.ok_or_else(missing)?,
            contact_name: contact_name.ok_or_else(missing)?,
            contact_email: contact_email.ok_or_else(missing)?,
            contact_phone,
            company_name,
            company_kvk,
            company_employees,
            company_sector,
            resilience,
            discovered_at,
        })
    }
}
