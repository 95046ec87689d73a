//! The moderators' list parameters, as a query string brings them (all text), parsed into the
//! filters and the page of the list queries. Every bad value is named with its field, so the
//! API answers 422 with all of them and a page shows them beside its form.

use chrono::NaiveDate;
use serde::Deserialize;

use crate::db::models::audit::Filter as AuditFilter;
use crate::db::models::complaint::ComplaintFilter;
use crate::db::models::expert_search::ExpertFilter;
use crate::db::models::intake_search::IntakeFilter;
use crate::db::models::search::{DEFAULT_PER_PAGE, MAX_PER_PAGE, Paging};
use crate::domain::code::UnknownCode;
use crate::domain::{ComplaintStatus, ExpertStatus, IncidentType, IntakeStatus};
use crate::error::{AppError, FieldError};

pub use crate::geo::PROVINCES;

/// Every parameter of every moderators' list; each list reads the ones it knows.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ListParams {
    pub q: Option<String>,
    pub page: Option<String>,
    pub per_page: Option<String>,
    /// The first API version's page size (1..=500, clamped); `per_page` wins.
    pub limit: Option<String>,
    pub before: Option<String>,
    pub status: Option<String>,
    pub incident_type: Option<String>,
    pub province: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub subject_kind: Option<String>,
    pub subject_id: Option<String>,
    pub action: Option<String>,
}

fn given(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// The code in `value` as a `T`; an unknown one is named under `field` with the codes it may be.
fn code<T>(field: &str, value: &Option<String>, errors: &mut Vec<FieldError>) -> Option<T>
where
    T: std::str::FromStr<Err = UnknownCode>,
{
    match given(value)?.parse::<T>() {
        Ok(parsed) => Some(parsed),
        Err(e) => {
            let message = format!("must be one of {}", e.expected.join(", "));
            errors.push(FieldError::new(field, message));
            None
        }
    }
}

fn done<T>(value: T, errors: Vec<FieldError>) -> Result<T, AppError> {
    if errors.is_empty() {
        Ok(value)
    } else {
        Err(AppError::Validation(errors))
    }
}

impl ListParams {
    /// The search text, at most 200 characters.
    fn q(&self, errors: &mut Vec<FieldError>) -> Option<String> {
        let q = given(&self.q)?;
        if q.chars().count() > 200 {
            errors.push(FieldError::new("q", "must be at most 200 characters"));
            return None;
        }
        Some(q)
    }

    fn before(&self) -> Option<String> {
        given(&self.before).filter(|b| b.len() <= 64)
    }

    /// Page 1 and 50 a page unless asked otherwise.
    pub fn paging(&self) -> Result<Paging, AppError> {
        let mut errors = Vec::new();
        let number = |field: &str, raw: &Option<String>, max: i64, errors: &mut Vec<FieldError>| {
            let raw = given(raw)?;
            match raw.parse::<i64>() {
                Ok(n) if (1..=max).contains(&n) => Some(n),
                _ => {
                    let message = format!("must be a whole number from 1 to {max}");
                    errors.push(FieldError::new(field, message));
                    None
                }
            }
        };
        let page = number("page", &self.page, 1_000_000, &mut errors).unwrap_or(1);
        let per_page = number("per_page", &self.per_page, MAX_PER_PAGE, &mut errors);
        let limit = match given(&self.limit).map(|l| l.parse::<i64>()) {
            None => None,
            Some(Ok(n)) => Some(n),
            Some(Err(_)) => {
                errors.push(FieldError::new("limit", "must be a whole number"));
                None
            }
        };
        let size = per_page.or(limit).unwrap_or(DEFAULT_PER_PAGE);
        done(Paging::new(page, size), errors)
    }

    pub fn expert_filter(&self) -> Result<ExpertFilter, AppError> {
        let mut errors = Vec::new();
        let status = code::<ExpertStatus>("status", &self.status, &mut errors);
        let q = self.q(&mut errors);
        let filter = ExpertFilter {
            status,
            q,
            before: self.before(),
        };
        done(filter, errors)
    }

    pub fn intake_filter(&self) -> Result<IntakeFilter, AppError> {
        let mut errors = Vec::new();
        let status = code::<IntakeStatus>("status", &self.status, &mut errors);
        let incident_type = given(&self.incident_type).and_then(|raw| {
            let parsed = IncidentType::parse(&raw);
            if parsed.is_none() {
                errors.push(FieldError::new(
                    "incident_type",
                    "is not a known incident type",
                ));
            }
            parsed
        });
        let province = given(&self.province).and_then(|p| {
            let known = PROVINCES
                .iter()
                .find(|k| k.to_lowercase() == p.to_lowercase());
            if known.is_none() {
                errors.push(FieldError::new("province", "is not a Dutch province"));
            }
            known.map(|k| (*k).to_owned())
        });
        let from = day(&self.from, "from", &mut errors);
        let to = day(&self.to, "to", &mut errors);
        if let (Some(f), Some(t)) = (from, to)
            && f > t
        {
            errors.push(FieldError::new("to", "must not be before from"));
        }
        let filter = IntakeFilter {
            status,
            incident_type,
            province,
            created_from: from.map(start_of_day),
            created_until: to.and_then(|t| t.succ_opt()).map(start_of_day),
            q: self.q(&mut errors),
            before: self.before(),
        };
        done(filter, errors)
    }

    pub fn complaint_filter(&self) -> Result<ComplaintFilter, AppError> {
        let mut errors = Vec::new();
        let status = code::<ComplaintStatus>("status", &self.status, &mut errors);
        let filter = ComplaintFilter {
            status,
            q: self.q(&mut errors),
            before: self.before(),
        };
        done(filter, errors)
    }

    pub fn audit_filter(&self) -> Result<AuditFilter, AppError> {
        let mut errors = Vec::new();
        let filter = AuditFilter {
            subject_kind: given(&self.subject_kind),
            subject_id: given(&self.subject_id),
            action: given(&self.action),
            q: self.q(&mut errors),
            before_id: self.before(),
            limit: 0,
        };
        done(filter, errors)
    }
}

/// A `YYYY-MM-DD` date, or the field's error.
fn day(raw: &Option<String>, field: &str, errors: &mut Vec<FieldError>) -> Option<NaiveDate> {
    let raw = given(raw)?;
    let parsed = NaiveDate::parse_from_str(&raw, "%Y-%m-%d").ok();
    if parsed.is_none() {
        errors.push(FieldError::new(field, "must be a date as YYYY-MM-DD"));
    }
    parsed
}

pub use crate::clock::start_of_day;

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> ListParams {
        let query: String = pairs
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&");
        serde_html_form::from_str(&query).expect("query")
    }

    fn fields(err: AppError) -> Vec<String> {
        match err {
            AppError::Validation(list) => list.into_iter().map(|e| e.field).collect(),
            other => panic!("not a validation error: {other:?}"),
        }
    }

    #[test]
    fn days_are_amsterdam_days() {
        let winter = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        assert_eq!(start_of_day(winter).to_string(), "2026-12-01 23:00:00");
        let summer = NaiveDate::from_ymd_opt(2026, 7, 1).unwrap();
        assert_eq!(start_of_day(summer).to_string(), "2026-06-30 22:00:00");
    }

    #[test]
    fn every_bad_value_is_named() {
        let bad = params(&[
            ("incident_type", "flood"),
            ("province", "Bavaria"),
            ("from", "2026-13-01"),
            ("status", "lost"),
        ]);
        assert_eq!(
            fields(bad.intake_filter().unwrap_err()),
            ["status", "incident_type", "province", "from"]
        );
        let reversed = params(&[("from", "2026-12-02"), ("to", "2026-12-01")]);
        assert_eq!(fields(reversed.intake_filter().unwrap_err()), ["to"]);
        let paging = params(&[("page", "0"), ("per_page", "501")]);
        assert_eq!(fields(paging.paging().unwrap_err()), ["page", "per_page"]);
        assert_eq!(params(&[("limit", "9999")]).paging().unwrap().per_page, 500);
        assert_eq!(
            params(&[("province", "noord-brabant")])
                .intake_filter()
                .unwrap()
                .province
                .as_deref(),
            Some("Noord-Brabant")
        );
    }
}
