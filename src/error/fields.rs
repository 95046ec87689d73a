//! Field-level validation failures (422): one [`FieldError`] per refused value, collected by
//! [`FieldErrors`] or taken from a `validator` derive, so one answer names every bad field.

use serde::Serialize;

use super::AppError;

/// One invalid field: a dotted path into the request (`contact.email`) and the reason; some
/// problems add a machine-readable `code` and, for a place name several places share, the
/// `candidates` to choose from.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct FieldError {
    pub field: String,
    pub message: String,
    /// `place_missing`, `place_unknown`, `place_ambiguous` or `postcode_unknown`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// For `place_ambiguous`: the places of that name; send one's `value` as the place.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub candidates: Option<Vec<PlaceChoice>>,
}

/// One place a name may mean.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct PlaceChoice {
    /// What to send as `place` to pick this one: `Bergen (Noord-Holland)`.
    pub value: String,
    pub name: String,
    pub municipality: String,
    pub province: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
            code: None,
            candidates: None,
        }
    }

    pub fn with_code(mut self, code: &str) -> Self {
        self.code = Some(code.to_owned());
        self
    }

    pub fn with_candidates(mut self, candidates: Vec<PlaceChoice>) -> Self {
        self.candidates = Some(candidates);
        self
    }
}

impl From<validator::ValidationErrors> for AppError {
    fn from(errors: validator::ValidationErrors) -> Self {
        let mut fields = Vec::new();
        collect_validation_errors("", &errors, &mut fields);
        fields.sort_by(|a, b| a.field.cmp(&b.field));
        Self::Validation(fields)
    }
}

fn collect_validation_errors(
    prefix: &str,
    errors: &validator::ValidationErrors,
    out: &mut Vec<FieldError>,
) {
    use validator::ValidationErrorsKind;
    for (field, kind) in errors.errors() {
        let path = if prefix.is_empty() {
            field.to_string()
        } else {
            format!("{prefix}.{field}")
        };
        match kind {
            ValidationErrorsKind::Field(list) => {
                for e in list {
                    let message = e
                        .message
                        .as_ref()
                        .map(|m| m.to_string())
                        .unwrap_or_else(|| format!("is not valid ({})", e.code));
                    out.push(FieldError::new(path.clone(), message));
                }
            }
            ValidationErrorsKind::Struct(inner) => collect_validation_errors(&path, inner, out),
            ValidationErrorsKind::List(items) => {
                for (index, inner) in items {
                    collect_validation_errors(&format!("{path}[{index}]"), inner, out);
                }
            }
        }
    }
}

/// Collects the errors of several checks, so that one 422 names every bad field at once.
#[derive(Debug, Default)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    /// Keeps the value of a successful check; records the message of a failed one.
    pub fn check<T, E: std::fmt::Display>(
        &mut self,
        field: &str,
        result: Result<T, E>,
    ) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(message) => {
                self.add(field, message.to_string());
                None
            }
        }
    }

    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError::new(field, message));
    }

    pub fn push(&mut self, error: FieldError) {
        self.0.push(error);
    }

    /// Keeps a resolved location; records why one was refused, with its code and candidates.
    pub fn location(
        &mut self,
        field: &str,
        result: Result<crate::domain::Location, crate::domain::LocationError>,
    ) -> Option<crate::domain::Location> {
        result
            .map_err(|e| self.push(e.into_field_error(field)))
            .ok()
    }

    /// Adds the failures of a `validator` derive.
    pub fn validator(&mut self, result: Result<(), validator::ValidationErrors>) {
        if let Err(errors) = result {
            collect_validation_errors("", &errors, &mut self.0);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok` when every check passed, else one 422 with the fields in order.
    pub fn finish(mut self) -> Result<(), AppError> {
        if self.0.is_empty() {
            return Ok(());
        }
        self.0.sort_by(|a, b| a.field.cmp(&b.field));
        self.0.dedup();
        Err(AppError::Validation(self.0))
    }
}
