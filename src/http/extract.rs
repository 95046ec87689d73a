//! `ApiJson<T>`: the JSON body extractor of the API. Unlike actix's `Json`, it names the field a
//! bad value is in (`contact.email`), tells a malformed body (400) from a wrong value (422), and
//! answers 413 and 415 as problems.

use std::future::Future;
use std::pin::Pin;

use actix_web::{FromRequest, HttpRequest, dev::Payload, http::header, web};
use serde::de::DeserializeOwned;

use crate::error::{AppError, FieldError};

pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for ApiJson<T> {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let json_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<mime::Mime>().ok())
            .is_some_and(|m| m.subtype() == mime::JSON || m.suffix() == Some(mime::JSON));
        let limit = req
            .app_data::<BodyLimit>()
            .map_or(DEFAULT_BODY_LIMIT, |l| l.0);
        let body = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            if !json_type {
                return Err(AppError::UnsupportedMediaType);
            }
            let bytes = body.await.map_err(|e| {
                if e.as_response_error().status_code()
                    == actix_web::http::StatusCode::PAYLOAD_TOO_LARGE
                {
                    AppError::PayloadTooLarge { limit }
                } else {
                    AppError::BadRequest(format!("The request body could not be read: {e}"))
                }
            })?;
            parse_json(&bytes).map(ApiJson)
        })
    }
}

/// The configured body limit, registered as app data beside `web::PayloadConfig` so that a 413
/// can state it.
#[derive(Debug, Clone, Copy)]
pub struct BodyLimit(pub usize);

const DEFAULT_BODY_LIMIT: usize = 64 * 1024;

/// Parses a JSON body into `T`, mapping errors to 400 (syntax) or 422 (a field's value).
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(AppError::BadRequest(
            "The request body is empty; send a JSON object.".into(),
        ));
    }
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| classify("", &e))?;
    from_value(value)
}

/// Deserializes an already parsed JSON value into `T`, with the same 422 field paths. Every
/// string in it is checked first for control characters and direction overrides
/// ([`super::text_guard`]).
pub fn from_value<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, AppError> {
    super::text_guard::check_json(&value)?;
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        classify(&path, e.inner())
    })
}

fn classify(path: &str, e: &serde_json::Error) -> AppError {
    use serde_json::error::Category;
    match e.classify() {
        Category::Data => {
            let message = strip_position(&e.to_string());
            let (field, message) = match missing_field(&message) {
                Some(name) => (join(path, name), "is required".to_owned()),
                None => (
                    if path == "." {
                        String::new()
                    } else {
                        path.to_owned()
                    },
                    message,
                ),
            };
            let field = if field.is_empty() {
                "body".to_owned()
            } else {
                field
            };
            AppError::Validation(vec![FieldError::new(field, message)])
        }
        Category::Syntax | Category::Eof | Category::Io => AppError::BadRequest(format!(
            "The request body is not valid JSON (line {}, column {}).",
            e.line(),
            e.column()
        )),
    }
}

fn missing_field(message: &str) -> Option<&str> {
    message.strip_prefix("missing field `")?.split('`').next()
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() || path == "." {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

/// serde_json appends " at line X column Y": useful for syntax errors, noise for a field error.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Contact {
        name: String,
        email: String,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Intake {
        urgency: String,
        needs_on_site: bool,
        contact: Contact,
    }

    fn field_of(e: AppError) -> String {
        match e {
            AppError::Validation(f) => f[0].field.clone(),
            other => panic!("expected 422, got {other:?}"),
        }
    }

    #[test]
    fn names_the_nested_field_that_is_missing_or_wrong() {
        let missing = parse_json::<Intake>(
            br#"{"urgency":"acute","needs_on_site":true,"contact":{"name":"A"}}"#,
        );
        assert_eq!(field_of(missing.unwrap_err()), "contact.email");
        let wrong = parse_json::<Intake>(
            br#"{"urgency":"acute","needs_on_site":"yes","contact":{"name":"A","email":"a@b.nl"}}"#,
        );
        assert_eq!(field_of(wrong.unwrap_err()), "needs_on_site");
    }

    #[test]
    fn malformed_json_is_a_bad_request() {
        for body in [&b"{\"urgency\":"[..], b"not json", b"", b"  "] {
            assert!(
                matches!(parse_json::<Intake>(body), Err(AppError::BadRequest(_))),
                "{body:?}"
            );
        }
        let trailing = parse_json::<serde_json::Value>(b"{} trailing");
        assert!(matches!(trailing, Err(AppError::BadRequest(_))));
    }
}
