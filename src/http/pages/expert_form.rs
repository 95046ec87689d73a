//! The expert company's form, shared by registration and the profile editor: the fields, their
//! catalogue keys, the choices (incident types, languages) and the mapping from the workflows'
//! field errors to form fields.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::form::{FieldSpec, FormErrors, field_views, number};
use crate::domain::{IncidentType, LocationInput};
use crate::i18n::{Lang, language_name};
use crate::incidents::Catalogue;

/// What the browser posts; every field optional so a half-filled form still comes back.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ExpertForm {
    pub company_name: String,
    pub kvk_number: String,
    pub website: String,
    pub contact_name: String,
    pub email: String,
    pub phone: String,
    #[serde(skip_serializing)]
    pub password: String,
    pub place: String,
    /// The pick among the places of an ambiguous name (radio buttons under the place field).
    pub place_choice: String,
    pub lat: String,
    pub lon: String,
    pub radius_km: String,
    pub capacity: String,
    pub remote: Option<String>,
    pub available_24_7: Option<String>,
    pub accept_code_of_conduct: Option<String>,
    pub expertise: Vec<String>,
    pub languages: Vec<String>,
    pub code_of_conduct_version: String,
}

pub const COMPANY_FIELDS: [FieldSpec; 7] = [
    FieldSpec::text(
        "company_name",
        "register.company_name",
        "register.error.company_name",
    )
    .kind("text", "organization"),
    FieldSpec::text(
        "kvk_number",
        "register.kvk_number",
        "register.error.kvk_number",
    )
    .hint("register.kvk_number_hint")
    .numeric(),
    FieldSpec::text("website", "register.website", "register.error.website")
        .kind("url", "url")
        .optional(),
    FieldSpec::text(
        "contact_name",
        "register.contact_name",
        "register.error.contact_name",
    )
    .kind("text", "name"),
    FieldSpec::text("email", "register.email", "register.error.email").kind("email", "email"),
    FieldSpec::text("phone", "register.phone", "register.error.phone").kind("tel", "tel"),
    FieldSpec::text("password", "register.password", "register.error.password")
        .kind("password", "new-password")
        .hint("register.password_hint"),
];

pub const HELP_FIELDS: [FieldSpec; 3] = [
    FieldSpec::text("place", "register.place", "register.error.place").hint("register.place_hint"),
    FieldSpec::text(
        "radius_km",
        "register.radius_km",
        "register.error.radius_km",
    )
    .kind("number", "off")
    .numeric(),
    FieldSpec::text("capacity", "register.capacity", "register.error.capacity")
        .kind("number", "off")
        .hint("register.capacity_hint")
        .numeric(),
];

/// Form order, for the error summary.
pub const ORDER: [&str; 14] = [
    "company_name",
    "kvk_number",
    "website",
    "contact_name",
    "email",
    "phone",
    "password",
    "place",
    "radius_km",
    "expertise",
    "languages",
    "capacity",
    "accept_code_of_conduct",
    "form",
];

/// Languages offered as checkboxes (others an expert already has are shown too).
const LANGUAGE_CHOICES: [&str; 12] = [
    "nl", "en", "de", "fr", "tr", "ar", "pl", "es", "uk", "ro", "bg", "zh",
];

/// The form field and message of an API field path (`base.place` → `place`).
pub fn rename(field: &str) -> Option<(&'static str, &'static str)> {
    let head = field.split(['.', '[']).next().unwrap_or(field);
    let spec = COMPANY_FIELDS
        .iter()
        .chain(HELP_FIELDS.iter())
        .find(|s| s.name == head);
    if let Some(spec) = spec {
        return Some((spec.name, spec.error));
    }
    match head {
        "base" => Some(("place", "register.error.place")),
        "expertise" => Some(("expertise", "register.error.expertise")),
        "languages" => Some(("languages", "register.error.languages")),
        "code_of_conduct_version" | "version" => Some((
            "accept_code_of_conduct",
            "register.error.accept_code_of_conduct",
        )),
        _ => None,
    }
}

impl ExpertForm {
    /// Takes the place picked from the choices, so it is sent and shown in the field.
    pub fn apply_place_choice(&mut self) {
        if let Some(place) = super::form::picked_place(&self.place, &self.place_choice) {
            self.place = place;
        }
        self.place_choice.clear();
    }

    /// The place typed, or the coordinates "use my location" filled in.
    pub fn location(&self) -> LocationInput {
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

    /// Incident types ticked; an unknown code is an error on the field.
    pub fn expertise(&self, errors: &mut FormErrors) -> Vec<IncidentType> {
        let parsed: Vec<Option<IncidentType>> = self
            .expertise
            .iter()
            .map(|c| IncidentType::parse(c))
            .collect();
        if parsed.iter().any(Option::is_none) {
            errors.field("expertise", "register.error.expertise");
        }
        parsed.into_iter().flatten().collect()
    }

    pub fn radius(&self, errors: &mut FormErrors) -> i32 {
        number(
            &self.radius_km,
            "radius_km",
            "register.error.radius_km",
            errors,
        )
    }

    pub fn capacity(&self, errors: &mut FormErrors) -> i32 {
        number(
            &self.capacity,
            "capacity",
            "register.error.capacity",
            errors,
        )
    }

    pub fn ticked(value: &Option<String>) -> bool {
        value.as_deref().is_some_and(|v| !v.is_empty())
    }
}

/// Everything the form templates need: field views, kept values, errors, choices.
pub fn form_data(
    form: &ExpertForm,
    errors: &FormErrors,
    catalogue: &Catalogue,
    lang: Lang,
    with_login: bool,
) -> Value {
    let values = serde_json::to_value(form).unwrap_or(Value::Null);
    let company: Vec<&FieldSpec> = COMPANY_FIELDS
        .iter()
        .filter(|s| with_login || !matches!(s.name, "email" | "password"))
        .collect();
    let mut fields = field_views(&HELP_FIELDS, &values, errors);
    for spec in company {
        let value = values[spec.name].as_str().unwrap_or_default();
        fields[spec.name] = super::form::field_view(spec, value, errors);
    }
    let expertise_options: Vec<Value> = catalogue
        .all()
        .map(|info| {
            let code = info.code.as_str();
            json!({
                "code": code,
                "name": info.text(lang).name,
                "checked": form.expertise.iter().any(|c| c == code),
            })
        })
        .collect();
    let mut codes: Vec<String> = LANGUAGE_CHOICES.iter().map(|c| (*c).to_owned()).collect();
    for extra in &form.languages {
        if !codes.contains(extra) && extra.len() <= 8 {
            codes.push(extra.clone());
        }
    }
    let language_options: Vec<Value> = codes
        .iter()
        .map(|code| {
            json!({
                "code": code,
                "name": language_name(code, lang),
                "checked": form.languages.contains(code),
            })
        })
        .collect();
    json!({
        "form": values,
        "fields": fields,
        "errors": errors.flags(),
        "summary": errors.summary(&ORDER),
        "expertise_options": expertise_options,
        "language_options": language_options,
    })
}
