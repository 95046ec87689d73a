//! The case page's forms: a refused form with its errors and what the user chose (shown again
//! on the case page), and the feedback form shared with the one-click feedback page.

use actix_web::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

use super::form::FormErrors;
use crate::cases::feedback;
use crate::error::AppError;

/// A form of the case page that was refused, with its errors and what was typed.
pub struct Failed {
    pub form: &'static str,
    pub status: StatusCode,
    pub errors: FormErrors,
    pub kept: Value,
}

impl Failed {
    pub fn none() -> Self {
        Self {
            form: "",
            status: StatusCode::OK,
            errors: FormErrors::default(),
            kept: json!({}),
        }
    }

    /// Takes the workflow's error: field errors and what a 409 says happened are shown on the
    /// page, anything else is handed back.
    pub fn of(
        form: &'static str,
        error: AppError,
        kept: Value,
        rename: impl Fn(&str) -> Option<(&'static str, &'static str)>,
    ) -> Result<Self, AppError> {
        let mut errors = FormErrors::default();
        let status = match error {
            AppError::Conflict(kind) => {
                errors.general(kind.key());
                StatusCode::CONFLICT
            }
            other => {
                errors.absorb(other, rename)?;
                StatusCode::UNPROCESSABLE_ENTITY
            }
        };
        Ok(Self {
            form,
            status,
            errors,
            kept,
        })
    }
}

#[derive(Deserialize, Default)]
pub struct FeedbackForm {
    #[serde(default)]
    pub helped: String,
    #[serde(default)]
    pub resolved: Option<String>,
    #[serde(default)]
    pub more_resilient: Option<String>,
    #[serde(default)]
    pub comment: String,
    /// `yes` or `no`; not answering is allowed.
    #[serde(default)]
    pub offered_paid_services: Option<String>,
}

impl FeedbackForm {
    fn offered_paid_services(&self) -> Option<bool> {
        match self.offered_paid_services.as_deref() {
            Some("yes") => Some(true),
            Some("no") => Some(false),
            _ => None,
        }
    }

    /// The workflow's input; an unreadable score is sent as 0 so the workflow refuses it.
    pub fn input(&self) -> feedback::FeedbackInput {
        feedback::FeedbackInput {
            helped: self.helped.trim().parse().unwrap_or(0),
            resolved: self.resolved.as_deref() == Some("yes"),
            more_resilient: self.more_resilient.as_deref() == Some("yes"),
            comment: Some(self.comment.clone()),
            offered_paid_services: self.offered_paid_services(),
        }
    }

    pub fn kept(&self) -> Value {
        json!({
            "helped": self.helped.trim(),
            "resolved": self.resolved.as_deref() == Some("yes"),
            "more_resilient": self.more_resilient.as_deref() == Some("yes"),
            "comment": self.comment,
            "paid": {
                "yes": self.offered_paid_services() == Some(true),
                "no": self.offered_paid_services() == Some(false),
            },
        })
    }
}

pub fn feedback_field(field: &str) -> Option<(&'static str, &'static str)> {
    match field {
        "comment" => Some(("comment", "case.error.comment")),
        _ => Some(("helped", "case.error.helped")),
    }
}

/// Marks what the user chose in a refused form as chosen again, and keeps typed text.
pub fn keep(view: &mut Value, kept: &Value) {
    let chosen = |list: &mut Value, key: &str, picked: &dyn Fn(&str) -> bool| {
        if let Some(items) = list.as_array_mut() {
            for item in items {
                let value = item[key]
                    .as_str()
                    .map(str::to_owned)
                    .unwrap_or_else(|| item[key].to_string());
                item["checked"] = json!(picked(&value));
            }
        }
    };
    let ids: Vec<String> = serde_json::from_value(kept["expert_ids"].clone()).unwrap_or_default();
    chosen(&mut view["matches"], "expert_id", &|v| {
        ids.iter().any(|i| i == v)
    });
    let outcome = kept["outcome"].as_str().unwrap_or_default().to_owned();
    chosen(&mut view["outcomes"], "value", &|v| v == outcome);
    let helped = kept["helped"].as_str().unwrap_or_default().to_owned();
    let scores: Vec<Value> = (1..=5).map(|n| json!({ "value": n.to_string() })).collect();
    view["scores"] = Value::Array(scores);
    chosen(&mut view["scores"], "value", &|v| v == helped);
    let mut kept = kept.clone();
    for text in ["comment", "reason"] {
        if kept.get(text).is_none() {
            kept[text] = json!("");
        }
    }
    view["kept"] = kept;
}
