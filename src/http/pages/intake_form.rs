//! The intake form's fields: what the browser posts, the catalogue keys of each field, the
//! mapping to the API's `IntakeRequest`, and from its field errors back to form fields.

use chrono::{NaiveDate, NaiveTime, TimeZone};
use chrono_tz::Europe::Amsterdam;
use serde::{Deserialize, Serialize};

use super::form::{FieldSpec, FormErrors};
use crate::domain::LocationInput;
use crate::intakes::IntakeRequest;
use crate::intakes::form::{CompanyInput, ContactInput};

pub const FIELDS: [FieldSpec; 8] = [
    FieldSpec::text("place", "intake.place", "intake.error.place").hint("intake.place_hint"),
    FieldSpec::text(
        "contact_name",
        "intake.contact_name",
        "intake.error.contact_name",
    )
    .kind("text", "name"),
    FieldSpec::text(
        "contact_email",
        "intake.contact_email",
        "intake.error.contact_email",
    )
    .kind("email", "email")
    .hint("intake.contact_email_hint"),
    FieldSpec::text(
        "contact_phone",
        "intake.contact_phone",
        "intake.error.contact_phone",
    )
    .kind("tel", "tel")
    .optional(),
    FieldSpec::text(
        "company_name",
        "intake.company_name",
        "intake.error.company_name",
    )
    .kind("text", "organization")
    .optional(),
    FieldSpec::text(
        "company_kvk",
        "intake.company_kvk",
        "intake.error.company_kvk",
    )
    .numeric()
    .optional(),
    FieldSpec::text(
        "company_employees",
        "intake.company_employees",
        "intake.error.company_employees",
    )
    .kind("number", "off")
    .numeric()
    .optional(),
    FieldSpec::text(
        "company_sector",
        "intake.company_sector",
        "intake.error.company_sector",
    )
    .optional(),
];

/// Form order, for the error summary.
pub const ORDER: [&str; 15] = [
    "incident_type",
    "urgency",
    "description",
    "discovered_date",
    "place",
    "language",
    "contact_name",
    "contact_email",
    "contact_phone",
    "company_name",
    "company_kvk",
    "company_employees",
    "company_sector",
    "consent_to_share",
    "disclaimer_accepted",
];

/// What the browser posts; all optional so a half-filled form comes back as it was.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct IntakeForm {
    pub incident_type: String,
    pub urgency: String,
    pub description: String,
    pub place: String,
    /// The pick among the places of an ambiguous name (radio buttons under the place field).
    pub place_choice: String,
    pub lat: String,
    pub lon: String,
    pub needs_on_site: Option<String>,
    pub language: String,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub company_name: String,
    pub company_kvk: String,
    pub company_employees: String,
    pub company_sector: String,
    pub consent_to_share: Option<String>,
    pub disclaimer_accepted: Option<String>,
    /// When the incident was discovered, Amsterdam time: `2026-12-01` (or `01-12-2026`) and
    /// `09:30`; both empty: now.
    pub discovered_date: String,
    pub discovered_time: String,
}

/// The message of a refused discovery time.
const DISCOVERED_ERROR: &str = "intake.discovered.error";

/// A date as a date field posts it (`2026-12-01`) or as people type it (`1-12-2026`).
fn parse_date(text: &str) -> Option<NaiveDate> {
    ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(text, f).ok())
}

/// A time as a time field posts it (`09:30`, `09:30:15`) or as people type it (`9.30`).
fn parse_time(text: &str) -> Option<NaiveTime> {
    ["%H:%M", "%H:%M:%S", "%H.%M"]
        .iter()
        .find_map(|f| NaiveTime::parse_from_str(text, f).ok())
}

/// The moment of a wall-clock date and time in Amsterdam as RFC 3339, for the API's parsing
/// (which refuses a future time). A date without a time is taken as its start: a legal deadline
/// counted from then is never later than the real one.
fn discovered_at(date: &str, time: &str) -> Result<Option<String>, ()> {
    let (date, time) = (date.trim(), time.trim());
    if date.is_empty() && time.is_empty() {
        return Ok(None);
    }
    let date = parse_date(date).ok_or(())?;
    let time = if time.is_empty() {
        NaiveTime::MIN
    } else {
        parse_time(time).ok_or(())?
    };
    let wall = date.and_time(time);
    // In the hour skipped when summer time starts, the wall time after the jump is meant.
    let local = Amsterdam
        .from_local_datetime(&wall)
        .earliest()
        .or_else(|| {
            Amsterdam
                .from_local_datetime(&(wall + chrono::Duration::hours(1)))
                .earliest()
        })
        .ok_or(())?;
    Ok(Some(local.to_rfc3339()))
}

pub fn ticked(v: &Option<String>) -> bool {
    v.as_deref() == Some("yes")
}

fn optional(text: &str) -> Option<String> {
    Some(text.trim().to_owned()).filter(|t| !t.is_empty())
}

impl IntakeForm {
    /// Takes the place picked from the choices, so it is sent and shown in the field.
    pub fn apply_place_choice(&mut self) {
        if let Some(place) = super::form::picked_place(&self.place, &self.place_choice) {
            self.place = place;
        }
        self.place_choice.clear();
    }

    fn location(&self) -> LocationInput {
        let coords = self
            .lat
            .trim()
            .parse::<f64>()
            .ok()
            .zip(self.lon.trim().parse::<f64>().ok());
        match coords {
            Some((lat, lon)) if self.place.trim().is_empty() => LocationInput::Point { lat, lon },
            _ => LocationInput::Place {
                place: self.place.clone(),
            },
        }
    }

    /// The API's request; a number that cannot be read is an error on its field.
    pub fn request(&self, errors: &mut FormErrors) -> IntakeRequest {
        let employees = optional(&self.company_employees).and_then(|n| match n.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                errors.field("company_employees", "intake.error.company_employees");
                None
            }
        });
        IntakeRequest {
            incident_type: self.incident_type.clone(),
            urgency: self.urgency.clone(),
            description: self.description.clone(),
            location: self.location(),
            needs_on_site: ticked(&self.needs_on_site),
            language: self.language.clone(),
            contact: ContactInput {
                name: self.contact_name.clone(),
                email: self.contact_email.clone(),
                phone: optional(&self.contact_phone),
            },
            company: Some(CompanyInput {
                name: optional(&self.company_name),
                kvk_number: optional(&self.company_kvk),
                employees,
                sector: optional(&self.company_sector),
            }),
            consent_to_share: ticked(&self.consent_to_share),
            disclaimer_accepted: ticked(&self.disclaimer_accepted),
            resilience: None,
            discovered_at: discovered_at(&self.discovered_date, &self.discovered_time)
                .unwrap_or_else(|()| {
                    errors.field("discovered_date", DISCOVERED_ERROR);
                    None
                }),
        }
    }
}

/// The form field and message of an API field path (`contact.email` → `contact_email`).
pub fn rename(field: &str) -> Option<(&'static str, &'static str)> {
    let name = match field {
        "location" => "place",
        "discovered_at" => return Some(("discovered_date", DISCOVERED_ERROR)),
        other => other,
    };
    let name = name
        .replace('.', "_")
        .replace("company_kvk_number", "company_kvk");
    if let Some(spec) = FIELDS.iter().find(|s| s.name == name) {
        return Some((spec.name, spec.error));
    }
    ORDER
        .iter()
        .find(|o| **o == name)
        .map(|o| (*o, error_key(o)))
}

pub fn error_key(field: &str) -> &'static str {
    match field {
        "discovered_date" => DISCOVERED_ERROR,
        "incident_type" => "intake.error.incident_type",
        "urgency" => "intake.error.urgency",
        "description" => "intake.error.description",
        "language" => "intake.error.language",
        "consent_to_share" => "intake.error.consent_to_share",
        _ => "intake.error.disclaimer_accepted",
    }
}

#[cfg(test)]
mod tests {
    use super::discovered_at;

    #[test]
    fn a_wall_clock_time_in_amsterdam_becomes_its_moment() {
        assert_eq!(
            discovered_at("2026-12-01", "09:30"),
            Ok(Some("2026-12-01T09:30:00+01:00".into()))
        );
        assert_eq!(
            discovered_at("01-07-2026", "9.30"),
            Ok(Some("2026-07-01T09:30:00+02:00".into()))
        );
        assert_eq!(
            discovered_at("2026-12-01", ""),
            Ok(Some("2026-12-01T00:00:00+01:00".into()))
        );
        // 02:30 does not exist on the night summer time starts.
        assert_eq!(
            discovered_at("2026-03-29", "02:30"),
            Ok(Some("2026-03-29T03:30:00+02:00".into()))
        );
        assert_eq!(discovered_at(" ", ""), Ok(None));
        assert_eq!(discovered_at("", "09:30"), Err(()));
        assert_eq!(discovered_at("gisteren", ""), Err(()));
        assert_eq!(discovered_at("2026-12-01", "25:00"), Err(()));
    }
}
