//! The bodies experts send, and their conversion into checked domain values. Every field is
//! checked and every failure reported at once (422 with the field names).

use serde::{Deserialize, Deserializer};
use validator::Validate;

use crate::accounts::registration::Registration;
use crate::domain::{
    Email, IncidentType, KvkNumber, Language, Location, LocationInput, Password, Phone, Website,
};
use crate::error::{AppError, FieldErrors};
use crate::experts::profile::ProfileUpdate;
use crate::geo::Geocoder;

#[derive(Debug, Deserialize, Validate, utoipa::ToSchema)]
pub struct RegisterRequest {
    pub company_name: String,
    pub kvk_number: String,
    pub email: String,
    pub password: String,
    pub contact_name: String,
    pub phone: String,
    #[serde(default)]
    pub website: Option<String>,
    pub base: LocationInput,
    #[validate(range(min = 1, max = 300, message = "must be 1 to 300 km"))]
    pub radius_km: i32,
    pub remote: bool,
    #[validate(length(min = 1, message = "must name at least one incident type"))]
    #[schema(value_type = Vec<crate::http::openapi::codes::IncidentCode>)]
    pub expertise: Vec<IncidentType>,
    #[validate(length(min = 1, max = 20, message = "must name 1 to 20 languages"))]
    pub languages: Vec<String>,
    #[validate(range(min = 1, max = 50, message = "must be 1 to 50 open cases"))]
    pub capacity: i32,
    pub available_24_7: bool,
    pub code_of_conduct_version: i64,
}

pub fn languages(errors: &mut FieldErrors, raw: &[String]) -> Vec<Language> {
    let mut out: Vec<Language> = raw
        .iter()
        .enumerate()
        .filter_map(|(i, code)| errors.check(&format!("languages[{i}]"), Language::parse(code)))
        .collect();
    out.sort();
    out.dedup();
    out
}

pub fn expertise(raw: &[IncidentType]) -> Vec<IncidentType> {
    let mut out = raw.to_vec();
    out.sort();
    out.dedup();
    out
}

pub fn base(
    errors: &mut FieldErrors,
    input: &LocationInput,
    geocoder: &dyn Geocoder,
) -> Option<Location> {
    errors.location("base", Location::resolve(input, geocoder))
}

impl RegisterRequest {
    /// Every field checked, every failure reported at once; the password is hashed later by
    /// the workflow, off the executor.
    pub fn check(&self, geocoder: &dyn Geocoder) -> Result<(Registration, Password), AppError> {
        let mut errors = FieldErrors::default();
        errors.validator(self.validate());
        let company_name = errors.check("company_name", crate::domain::name(&self.company_name));
        let contact_name = errors.check("contact_name", crate::domain::name(&self.contact_name));
        let email = errors.check("email", Email::parse(&self.email));
        let local = self.email.split('@').next().unwrap_or_default();
        let context = [
            local,
            self.company_name.as_str(),
            self.contact_name.as_str(),
        ];
        let password = errors.check("password", Password::parse_new(&self.password, &context));
        let website = match self.website.as_deref().map(str::trim) {
            None | Some("") => Some(None),
            Some(raw) => errors.check("website", Website::parse(raw)).map(Some),
        };
        let checked = (
            company_name,
            errors.check("kvk_number", KvkNumber::parse(&self.kvk_number)),
            email,
            password,
            contact_name,
            errors.check("phone", Phone::parse(&self.phone)),
            website,
            base(&mut errors, &self.base, geocoder),
        );
        let languages = languages(&mut errors, &self.languages);
        errors.finish()?;
        let (
            Some(company_name),
            Some(kvk_number),
            Some(email),
            Some(password),
            Some(contact_name),
            Some(phone),
            Some(website),
            Some(base),
        ) = checked
        else {
            return Err(AppError::internal("a failed check left no field error"));
        };
        let registration = Registration {
            company_name,
            kvk_number,
            email,
            contact_name,
            phone,
            website,
            base,
            radius_km: self.radius_km,
            remote: self.remote,
            expertise: expertise(&self.expertise),
            languages,
            capacity: self.capacity,
            available_24_7: self.available_24_7,
            code_of_conduct_version: i32::try_from(self.code_of_conduct_version).unwrap_or(-1),
        };
        Ok((registration, password))
    }
}

/// `PATCH /api/v1/experts/me`: every field optional; email and password are not edited here.
#[derive(Debug, Default, Deserialize, Validate, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfilePatch {
    pub company_name: Option<String>,
    pub kvk_number: Option<String>,
    pub contact_name: Option<String>,
    pub phone: Option<String>,
    /// `null` removes the website; leaving it out keeps it.
    #[serde(default, deserialize_with = "present")]
    pub website: Option<Option<String>>,
    pub base: Option<LocationInput>,
    #[validate(range(min = 1, max = 300, message = "must be 1 to 300 km"))]
    pub radius_km: Option<i32>,
    pub remote: Option<bool>,
    #[validate(length(min = 1, message = "must name at least one incident type"))]
    #[schema(value_type = Option<Vec<crate::http::openapi::codes::IncidentCode>>)]
    pub expertise: Option<Vec<IncidentType>>,
    #[validate(length(min = 1, max = 20, message = "must name 1 to 20 languages"))]
    pub languages: Option<Vec<String>>,
    #[validate(range(min = 1, max = 50, message = "must be 1 to 50 open cases"))]
    pub capacity: Option<i32>,
    pub available_24_7: Option<bool>,
}

/// A field that is present (even as `null`) becomes `Some(..)`.
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

impl ProfilePatch {
    pub fn check(&self, geocoder: &dyn Geocoder) -> Result<ProfileUpdate, AppError> {
        let mut errors = FieldErrors::default();
        errors.validator(self.validate());
        let update = ProfileUpdate {
            company_name: self
                .company_name
                .as_deref()
                .and_then(|n| errors.check("company_name", crate::domain::name(n))),
            contact_name: self
                .contact_name
                .as_deref()
                .and_then(|n| errors.check("contact_name", crate::domain::name(n))),
            kvk_number: self
                .kvk_number
                .as_deref()
                .and_then(|k| errors.check("kvk_number", KvkNumber::parse(k))),
            phone: self
                .phone
                .as_deref()
                .and_then(|p| errors.check("phone", Phone::parse(p))),
            website: match self.website.as_ref().map(|w| w.as_deref().map(str::trim)) {
                None => None,
                Some(None | Some("")) => Some(None),
                Some(Some(raw)) => errors.check("website", Website::parse(raw)).map(Some),
            },
            base: self
                .base
                .as_ref()
                .and_then(|b| base(&mut errors, b, geocoder)),
            radius_km: self.radius_km,
            remote: self.remote,
            expertise: self.expertise.as_deref().map(expertise),
            languages: self.languages.as_deref().map(|l| languages(&mut errors, l)),
            capacity: self.capacity,
            available_24_7: self.available_24_7,
        };
        errors.finish()?;
        Ok(update)
    }
}
