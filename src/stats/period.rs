//! The period and filters of a statistics question: `from`/`to` as inclusive calendar days in
//! Europe/Amsterdam (default: the last 30 days up to today), an optional incident type and an
//! optional province. Parsing refuses what it cannot answer with the field's name; the rest of
//! `stats` works only with a [`Filter`] that is known to be sound.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};

use crate::domain::IncidentType;
use crate::error::{AppError, FieldError};

pub use crate::geo::PROVINCES;

/// The default period: this many days, ending today.
pub const DEFAULT_DAYS: i64 = 30;
/// The longest period one question may cover (about ten years), so `by_week` stays bounded.
pub const MAX_DAYS: i64 = 3660;

/// The raw query parameters, as a form or query string sends them (empty means absent).
#[derive(Debug, Default, Clone, serde::Deserialize, serde::Serialize)]
pub struct FilterQuery {
    pub from: Option<String>,
    pub to: Option<String>,
    pub incident_type: Option<String>,
    pub province: Option<String>,
}

/// A sound statistics question: the period in days and as UTC bounds, and the filters.
#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub incident_type: Option<IncidentType>,
    pub province: Option<&'static str>,
}

impl Filter {
    /// Parses the parameters; `today` is the Amsterdam date of now. Every bad field is named.
    pub fn parse(query: &FilterQuery, today: NaiveDate) -> Result<Self, AppError> {
        let mut errors = Vec::new();
        let from = date(&query.from, "from", &mut errors);
        let to = date(&query.to, "to", &mut errors);
        let incident_type = present(&query.incident_type).and_then(|raw| {
            let parsed = IncidentType::parse(raw);
            if parsed.is_none() {
                errors.push(FieldError::new(
                    "incident_type",
                    "is not a known incident type",
                ));
            }
            parsed
        });
        let province = present(&query.province).and_then(|raw| {
            let found = PROVINCES.iter().copied().find(|p| *p == raw);
            if found.is_none() {
                errors.push(FieldError::new(
                    "province",
                    "is not a Dutch province (use its Dutch name, e.g. Noord-Brabant)",
                ));
            }
            found
        });
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        let (from, to) = match (from.flatten(), to.flatten()) {
            (Some(f), Some(t)) => (f, t),
            (Some(f), None) => (f, today),
            (None, Some(t)) => (t - Duration::days(DEFAULT_DAYS - 1), t),
            (None, None) => (today - Duration::days(DEFAULT_DAYS - 1), today),
        };
        if from > to {
            return Err(AppError::field("from", "must not be after to"));
        }
        if (to - from).num_days() >= MAX_DAYS {
            return Err(AppError::field(
                "from",
                "the period may span at most 3660 days",
            ));
        }
        Ok(Self {
            from,
            to,
            incident_type,
            province,
        })
    }

    /// The first moment of the period (Amsterdam midnight of `from`) in UTC.
    pub fn start(&self) -> NaiveDateTime {
        midnight_utc(self.from)
    }

    /// The first moment after the period (Amsterdam midnight after `to`) in UTC.
    pub fn end(&self) -> NaiveDateTime {
        midnight_utc(self.to + Duration::days(1))
    }

    /// Every ISO week the period touches, in order (`2026-W49`).
    pub fn weeks(&self) -> Vec<String> {
        let mut weeks: Vec<String> = Vec::new();
        let mut day = self.from;
        while day <= self.to {
            let week = iso_week(day);
            if weeks.last() != Some(&week) {
                weeks.push(week);
            }
            day += Duration::days(7 - i64::from(day.weekday().num_days_from_monday()));
        }
        let last = iso_week(self.to);
        if weeks.last() != Some(&last) {
            weeks.push(last);
        }
        weeks
    }
}

pub use crate::clock::{local_date, start_of_day as midnight_utc};

/// Today in Amsterdam.
pub fn today(now: NaiveDateTime) -> NaiveDate {
    local_date(now)
}

/// The ISO week of a day, as `2026-W49` (the ISO year, which may differ from the calendar year
/// around New Year).
pub fn iso_week(day: NaiveDate) -> String {
    let week = day.iso_week();
    format!("{}-W{:02}", week.year(), week.week())
}

fn present(raw: &Option<String>) -> Option<&str> {
    raw.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// `Some(None)`: absent; `None`: present but bad (the error is recorded).
fn date(
    raw: &Option<String>,
    field: &str,
    errors: &mut Vec<FieldError>,
) -> Option<Option<NaiveDate>> {
    match present(raw) {
        None => Some(None),
        Some(s) => match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            Ok(d) if s.len() == 10 => Some(Some(d)),
            _ => {
                errors.push(FieldError::new(field, "must be a date as YYYY-MM-DD"));
                None
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn q(from: &str, to: &str) -> FilterQuery {
        FilterQuery {
            from: Some(from.into()),
            to: Some(to.into()),
            ..Default::default()
        }
    }

    fn fields(e: AppError) -> Vec<String> {
        match e {
            AppError::Validation(list) => list.into_iter().map(|f| f.field).collect(),
            other => panic!("not a validation error: {other:?}"),
        }
    }

    #[test]
    fn default_is_the_last_thirty_days() {
        let f = Filter::parse(&FilterQuery::default(), d("2026-12-02")).unwrap();
        assert_eq!((f.from, f.to), (d("2026-11-03"), d("2026-12-02")));
    }

    #[test]
    fn bounds_are_amsterdam_midnights_in_winter_and_summer() {
        let f = Filter::parse(&q("2026-12-01", "2026-12-01"), d("2026-12-02")).unwrap();
        assert_eq!(f.start().to_string(), "2026-11-30 23:00:00");
        assert_eq!(f.end().to_string(), "2026-12-01 23:00:00");
        let f = Filter::parse(&q("2026-07-01", "2026-07-31"), d("2026-12-02")).unwrap();
        assert_eq!(f.start().to_string(), "2026-06-30 22:00:00");
    }

    #[test]
    fn bad_input_names_its_field() {
        let today = d("2026-12-02");
        assert_eq!(
            fields(Filter::parse(&q("2026-13-01", "x"), today).unwrap_err()),
            ["from", "to"]
        );
        assert_eq!(
            fields(Filter::parse(&q("2026-12-02", "2026-12-01"), today).unwrap_err()),
            ["from"]
        );
        assert_eq!(
            fields(Filter::parse(&q("2000-01-01", "2026-12-01"), today).unwrap_err()),
            ["from"]
        );
        let bad = FilterQuery {
            incident_type: Some("ceo_fraud".into()),
            province: Some("Brabant".into()),
            ..Default::default()
        };
        assert_eq!(
            fields(Filter::parse(&bad, today).unwrap_err()),
            ["incident_type", "province"]
        );
        let empty = FilterQuery {
            from: Some(String::new()),
            incident_type: Some(String::new()),
            ..Default::default()
        };
        assert!(Filter::parse(&empty, today).is_ok());
    }

    #[test]
    fn weeks_cover_the_period_across_new_year() {
        let f = Filter::parse(&q("2026-12-24", "2027-01-05"), d("2027-01-05")).unwrap();
        assert_eq!(f.weeks(), ["2026-W52", "2026-W53", "2027-W01"]);
        let f = Filter::parse(&q("2026-11-30", "2026-11-30"), d("2026-12-02")).unwrap();
        assert_eq!(f.weeks(), ["2026-W49"]);
        assert_eq!(iso_week(d("2026-12-02")), "2026-W49");
    }
}
