//! One error type for the whole service, mapped once to an HTTP answer:
//! `application/problem+json` (RFC 9457) for the API, a short friendly page for browsers.
//!
//! Every variant has a stable machine `code` (also the last segment of `type`), so clients can
//! branch on it. Database and pool errors are mapped here and nowhere else: not found → 404,
//! unique violation → 409, pool exhausted → 503, anything else logged once → 500. A 409 names
//! what happened with a [`ConflictKind`], whose own code is the problem's `code`.

mod conflict;
mod fields;

pub use conflict::ConflictKind;
pub use fields::{FieldError, FieldErrors, PlaceChoice};

use actix_web::{
    HttpResponse, ResponseError,
    http::{StatusCode, header},
};
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// 422: the body was well-formed but some values are not acceptable.
    #[error("One or more fields are invalid.")]
    Validation(Vec<FieldError>),
    /// 400: the request could not be read (malformed JSON, bad query string).
    #[error("{0}")]
    BadRequest(String),
    /// 401: no or no valid credentials.
    #[error("{0}")]
    Unauthorized(String),
    /// 403: authenticated, but this role may not do this.
    #[error("You are not allowed to do this.")]
    Forbidden,
    /// 404: unknown, or not yours.
    #[error("Not found.")]
    NotFound,
    /// 405
    #[error("This method is not allowed here.")]
    MethodNotAllowed,
    /// 409: the request conflicts with the current state; the kind says how.
    #[error("{0}")]
    Conflict(ConflictKind),
    /// 410: it existed, but is no longer valid (an expired link).
    #[error("{0}")]
    Gone(String),
    /// 413
    #[error("The request body is larger than {limit} bytes.")]
    PayloadTooLarge { limit: usize },
    /// 415
    #[error("Send the body as application/json.")]
    UnsupportedMediaType,
    /// 429, with `Retry-After`.
    #[error("Too many requests; try again in {retry_after_secs} seconds.")]
    RateLimited { retry_after_secs: u64 },
    /// 503: a dependency (the database) does not answer right now.
    #[error("The service is temporarily unavailable; please try again shortly.")]
    Unavailable(String),
    /// 500: our fault. The cause is logged, never shown.
    #[error("Something went wrong on our side.")]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Validation(vec![FieldError::new(field, message)])
    }

    pub fn internal(e: impl std::fmt::Display) -> Self {
        Self::Internal(anyhow::anyhow!("{e}"))
    }

    /// The stable machine code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Validation(_) => "validation_failed",
            Self::BadRequest(_) => "bad_request",
            Self::Unauthorized(_) => "unauthorized",
            Self::Forbidden => "forbidden",
            Self::NotFound => "not_found",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::Conflict(kind) => kind.code(),
            Self::Gone(_) => "gone",
            Self::PayloadTooLarge { .. } => "payload_too_large",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::RateLimited { .. } => "rate_limited",
            Self::Unavailable(_) => "unavailable",
            Self::Internal(_) => "internal",
        }
    }

    fn title(&self) -> &'static str {
        match self {
            Self::Validation(_) => "Invalid field values",
            Self::BadRequest(_) => "Malformed request",
            Self::Unauthorized(_) => "Authentication required",
            Self::Forbidden => "Forbidden",
            Self::NotFound => "Not found",
            Self::MethodNotAllowed => "Method not allowed",
            Self::Conflict(_) => "Conflict",
            Self::Gone(_) => "Gone",
            Self::PayloadTooLarge { .. } => "Request body too large",
            Self::UnsupportedMediaType => "Unsupported media type",
            Self::RateLimited { .. } => "Too many requests",
            Self::Unavailable(_) => "Service unavailable",
            Self::Internal(_) => "Internal error",
        }
    }

    /// The RFC 9457 body.
    pub fn problem(&self) -> Problem {
        Problem {
            kind: format!("/problems/{}", self.code()),
            title: self.title(),
            status: self.status_code().as_u16(),
            detail: self.to_string(),
            code: self.code(),
            errors: match self {
                Self::Validation(errors) => Some(errors.clone()),
                _ => None,
            },
        }
    }
}

/// `application/problem+json` body; `code` and `errors` are extension members.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: &'static str,
    pub status: u16,
    pub detail: String,
    pub code: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<FieldError>>,
}

pub const PROBLEM_JSON: &str = "application/problem+json";

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::Gone(_) => StatusCode::GONE,
            Self::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            Self::Internal(cause) => tracing::error!(error = ?cause, "internal error"),
            Self::Unavailable(cause) => tracing::warn!(%cause, "dependency unavailable"),
            _ => {}
        }
        let mut builder = HttpResponse::build(self.status_code());
        builder.insert_header((header::CONTENT_TYPE, PROBLEM_JSON));
        if let Self::RateLimited { retry_after_secs } = self {
            builder.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
        }
        if let Self::Unavailable(_) = self {
            builder.insert_header((
                header::RETRY_AFTER,
                UNAVAILABLE_RETRY_AFTER_SECS.to_string(),
            ));
        }
        if let Self::Unauthorized(_) = self {
            builder.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
        }
        let mut response = builder.json(self.problem());
        if let Self::Conflict(kind) = self {
            // For the browser's error page, which says what happened in the reader's language.
            response.extensions_mut().insert(kind.clone());
        }
        response
    }
}

/// The `Retry-After` of a 503: about as long as a locked database makes a write wait.
pub const UNAVAILABLE_RETRY_AFTER_SECS: u64 = 5;

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::NotFound => Self::NotFound,
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
                Self::Conflict(ConflictKind::AlreadyExists)
            }
            Error::DatabaseError(
                DatabaseErrorKind::ClosedConnection
                | DatabaseErrorKind::UnableToSendCommand
                | DatabaseErrorKind::ReadOnlyTransaction,
                info,
            ) => Self::Unavailable(info.message().to_owned()),
            Error::DatabaseError(_, ref info) => match crate::db::failure::classify(info.message())
            {
                Some(crate::db::failure::Failure::Unavailable) => {
                    Self::Unavailable(info.message().to_owned())
                }
                Some(crate::db::failure::Failure::BadText) => {
                    Self::field("body", crate::domain::text::CONTROL_MESSAGE)
                }
                None => Self::Internal(anyhow::Error::new(e).context("database query failed")),
            },
            Error::RollbackErrorOnCommit { commit_error, .. } => Self::from(*commit_error),
            other => Self::Internal(anyhow::Error::new(other).context("database query failed")),
        }
    }
}

impl From<diesel::r2d2::PoolError> for AppError {
    fn from(e: diesel::r2d2::PoolError) -> Self {
        Self::Unavailable(format!("no database connection: {e}"))
    }
}

impl From<tokio::task::JoinError> for AppError {
    fn from(e: tokio::task::JoinError) -> Self {
        Self::Internal(anyhow::anyhow!("blocking task failed: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_violation_becomes_conflict_and_not_found_404() {
        let e: AppError = diesel::result::Error::NotFound.into();
        assert_eq!(e.status_code(), StatusCode::NOT_FOUND);
        let unique: AppError = diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            Box::new("UNIQUE constraint failed".to_owned()),
        )
        .into();
        let p = unique.problem();
        assert_eq!((p.status, p.code), (409, "already_exists"));
        assert_eq!(p.kind, "/problems/already_exists");
        let p = AppError::Conflict(ConflictKind::AtCapacity).problem();
        assert_eq!((p.code, p.title), ("at_capacity", "Conflict"));
        assert!(p.detail.contains("capacity"));
        let p = AppError::field("contact.email", "is not an email address").problem();
        assert_eq!(p.status, 422);
        assert_eq!(p.kind, "/problems/validation_failed");
        assert_eq!(p.errors.unwrap()[0].field, "contact.email");
    }

    #[test]
    fn a_busy_full_or_read_only_database_is_503_with_retry_after_and_nul_is_422() {
        use diesel::result::{DatabaseErrorKind, Error};
        let db = |kind, message: &str| -> AppError {
            Error::DatabaseError(kind, Box::new(message.to_owned())).into()
        };
        for e in [
            db(DatabaseErrorKind::Unknown, "database is locked"),
            db(DatabaseErrorKind::Unknown, "database or disk is full"),
            db(
                DatabaseErrorKind::Unknown,
                "canceling statement due to lock timeout",
            ),
            db(
                DatabaseErrorKind::ReadOnlyTransaction,
                "cannot execute INSERT in a read-only transaction",
            ),
        ] {
            assert!(matches!(e, AppError::Unavailable(_)), "{e:?}");
            let response = e.error_response();
            assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
            assert_eq!(response.headers().get(header::RETRY_AFTER).unwrap(), "5");
        }
        let nul = db(
            DatabaseErrorKind::Unknown,
            "invalid byte sequence for encoding \"UTF8\": 0x00",
        );
        assert_eq!(nul.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
        let other = db(DatabaseErrorKind::Unknown, "no such column: x");
        assert_eq!(other.status_code(), StatusCode::INTERNAL_SERVER_ERROR);
    }

    #[test]
    fn internal_errors_never_show_their_cause() {
        let e = AppError::internal("password=hunter2 in connection string");
        assert!(!e.problem().detail.contains("hunter2"));
    }
}
