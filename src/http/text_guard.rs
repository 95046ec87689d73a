//! The one place where every text a client sends is checked against [`crate::domain::text`]
//! before any handler, parser or database sees it:
//! - JSON bodies ([`scan_json`], called by `extract::parse_json` and `extract::from_value`):
//!   every string and key, with the field's path (`contact.name`) in the 422;
//! - page forms ([`scan_form`], called by `PageForm`): every field, by its name;
//! - the URL ([`reject_control_chars`], a middleware): a control character or a direction
//!   override in the path is a 404 (no such resource can exist), in a query parameter a 422 on
//!   that parameter.
//!
//! Multi-line free text is recognised by field name ([`crate::domain::text::lines_of`]);
//! everything else is single-line.

use actix_web::{
    Error, ResponseError,
    body::{EitherBody, MessageBody},
    dev::{ServiceRequest, ServiceResponse},
    middleware::Next,
};
use serde_json::Value;

use crate::domain::text;
use crate::error::{AppError, FieldError};

/// The fields of a JSON value holding refused characters, each named by its path.
pub fn scan_json(value: &Value) -> Vec<FieldError> {
    let mut errors = Vec::new();
    walk(value, String::new(), &mut errors);
    errors
}

/// [`scan_json`] as a result: `Ok` when clean, else one 422 naming every bad field.
pub fn check_json(value: &Value) -> Result<(), AppError> {
    let errors = scan_json(value);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}

fn walk(value: &Value, path: String, errors: &mut Vec<FieldError>) {
    match value {
        Value::String(s) => {
            if let Err(message) = text::check(s, text::lines_of(&path)) {
                let field = if path.is_empty() { "body".into() } else { path };
                errors.push(FieldError::new(field, message));
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(item, format!("{path}[{i}]"), errors);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                let child = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                if let Err(message) = text::single_line(key) {
                    errors.push(FieldError::new(printable(&child), message));
                    continue;
                }
                walk(item, child, errors);
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// A field name that held refused characters, made safe to echo back.
fn printable(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_control() || text::is_direction_override(c) {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}

/// Checks the decoded name/value pairs of a form or query string; the error names the field.
pub fn scan_pairs(pairs: &[u8]) -> Result<(), AppError> {
    let mut errors = Vec::new();
    for (name, value) in url::form_urlencoded::parse(pairs) {
        if let Err(message) = text::single_line(&name) {
            errors.push(FieldError::new(printable(&name), message));
        } else if let Err(message) = text::check(&value, text::lines_of(&name)) {
            errors.push(FieldError::new(name.into_owned(), message));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        errors.dedup();
        Err(AppError::Validation(errors))
    }
}

/// A page form body: the same checks as a query string.
pub fn scan_form(body: &[u8]) -> Result<(), AppError> {
    scan_pairs(body)
}

/// Whether the path, once percent-decoded, holds a control character or a direction override.
fn path_is_clean(path: &str) -> bool {
    let bytes = percent_decode(path.as_bytes());
    let decoded = String::from_utf8_lossy(&bytes);
    text::single_line(&decoded).is_ok()
}

fn percent_decode(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while i < input.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (input[i], input.get(i + 1), input.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                let (h, l) = (hex(h).unwrap_or(0), hex(l).unwrap_or(0));
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

/// Middleware (`middleware::from_fn`): refuses a URL with refused characters before routing.
pub async fn reject_control_chars(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    let refused = if !path_is_clean(req.path()) {
        Some(AppError::NotFound)
    } else {
        scan_pairs(req.query_string().as_bytes()).err()
    };
    if let Some(error) = refused {
        let response = error.error_response();
        return Ok(req.into_response(response).map_into_right_body());
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_left_body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fields(value: Value) -> Vec<String> {
        scan_json(&value).into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn names_every_field_with_a_refused_character_by_its_path() {
        let body = json!({
            "description": "Regel een\r\nregel twee\ttab",
            "contact": {"name": "A\u{0}B", "email": "a@b.nl"},
            "expert_ids": ["ok", "x\u{202e}y"],
            "reason": "bell\u{7}",
            "k\u{0}": 1,
        });
        assert_eq!(
            fields(body),
            ["contact.name", "expert_ids[1]", "k\u{FFFD}", "reason"]
        );
        assert!(fields(json!({"description": "a\nb", "n": 3})).is_empty());
        assert_eq!(fields(json!("x\u{0}")), ["body"]);
    }

    #[test]
    fn query_and_form_pairs_name_the_parameter() {
        let Err(AppError::Validation(errors)) = scan_pairs(b"q=%00&page=1") else {
            panic!("expected a 422");
        };
        assert_eq!(errors[0].field, "q");
        assert!(scan_pairs(b"description=a%0D%0Ab&q=Bergen+op+Zoom").is_ok());
        assert!(scan_pairs(b"name=a%0Ab").is_err());
    }

    #[test]
    fn paths_with_encoded_control_characters_are_not_clean() {
        assert!(path_is_clean("/case/abc%20def"));
        assert!(!path_is_clean("/case/%00"));
        assert!(!path_is_clean("/case/%e2%80%ae"));
        assert!(!path_is_clean("/api/v1/intakes/a%0ab"));
    }
}
