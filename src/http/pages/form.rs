//! Form plumbing shared by the page forms: field descriptions (label, hint and error message
//! keys), turning a workflow's field errors into per-field messages plus the summary at the top,
//! and keeping what the user typed.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::error::{AppError, PlaceChoice};

/// One text-like input: its name and the catalogue keys of its texts.
pub struct FieldSpec {
    pub name: &'static str,
    pub label: &'static str,
    pub hint: Option<&'static str>,
    /// The message shown when the value was refused.
    pub error: &'static str,
    pub kind: &'static str,
    pub autocomplete: &'static str,
    pub inputmode: Option<&'static str>,
    pub required: bool,
}

impl FieldSpec {
    pub const fn text(name: &'static str, label: &'static str, error: &'static str) -> Self {
        Self {
            name,
            label,
            hint: None,
            error,
            kind: "text",
            autocomplete: "off",
            inputmode: None,
            required: true,
        }
    }

    pub const fn kind(mut self, kind: &'static str, autocomplete: &'static str) -> Self {
        self.kind = kind;
        self.autocomplete = autocomplete;
        self
    }

    pub const fn hint(mut self, hint: &'static str) -> Self {
        self.hint = Some(hint);
        self
    }

    pub const fn numeric(mut self) -> Self {
        self.inputmode = Some("numeric");
        self
    }

    pub const fn optional(mut self) -> Self {
        self.required = false;
        self
    }
}

/// Fields that failed, each with the key of its message, and messages about the whole form.
#[derive(Debug, Default)]
pub struct FormErrors {
    fields: BTreeMap<String, &'static str>,
    general: Vec<&'static str>,
    /// Places to pick from, by field, where the name typed fits several.
    choices: BTreeMap<String, Vec<PlaceChoice>>,
}

/// The message of a field error's code, where it says more than the field's own message.
fn code_message(code: &str) -> Option<&'static str> {
    match code {
        "place_missing" => Some("form.place_missing"),
        "place_ambiguous" => Some("form.place_ambiguous"),
        "postcode_unknown" => Some("form.postcode_unknown"),
        _ => None,
    }
}

impl FormErrors {
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.general.is_empty()
    }

    /// Marks a field as refused (the first message for a field wins).
    pub fn field(&mut self, name: &str, message: &'static str) {
        self.fields.entry(name.to_owned()).or_insert(message);
    }

    pub fn general(&mut self, message: &'static str) {
        self.general.push(message);
    }

    /// Takes over the field errors of a failed workflow; `rename` maps an API field path to the
    /// form field and its message key. Other errors are handed back.
    pub fn absorb(
        &mut self,
        error: AppError,
        rename: impl Fn(&str) -> Option<(&'static str, &'static str)>,
    ) -> Result<(), AppError> {
        let AppError::Validation(list) = error else {
            return Err(error);
        };
        for e in list {
            match rename(&e.field) {
                Some((name, message)) => {
                    let message = e.code.as_deref().and_then(code_message).unwrap_or(message);
                    if let Some(candidates) = e.candidates {
                        self.choices.insert(name.to_owned(), candidates);
                    }
                    self.field(name, message)
                }
                None => self.general("form.error_unknown_field"),
            }
        }
        Ok(())
    }

    /// `{field: true}` for the templates (`errors.<field>`).
    pub fn flags(&self) -> Value {
        let map: Map<String, Value> = self
            .fields
            .keys()
            .map(|k| (k.clone(), Value::Bool(true)))
            .collect();
        Value::Object(map)
    }

    /// The summary at the top: general messages, then one link per field in form order.
    pub fn summary(&self, order: &[&str]) -> Vec<Value> {
        let mut out: Vec<Value> = self
            .general
            .iter()
            .map(|m| json!({ "message": m, "href": null }))
            .collect();
        let mut fields: Vec<(&String, &&str)> = self.fields.iter().collect();
        fields.sort_by_key(|(name, _)| order.iter().position(|o| o == name).unwrap_or(usize::MAX));
        out.extend(
            fields
                .into_iter()
                .map(|(name, m)| json!({ "message": m, "href": format!("#f-{name}") })),
        );
        out
    }
}

/// The view of one field: its texts, the kept value and its error.
pub fn field_view(spec: &FieldSpec, value: &str, errors: &FormErrors) -> Value {
    let error = errors.fields.get(spec.name).copied();
    let choices: Option<Vec<Value>> = errors.choices.get(spec.name).map(|list| {
        list.iter()
            .map(|c| {
                let detail = if c.municipality == c.name {
                    c.province.clone()
                } else {
                    format!("{}, {}", c.municipality, c.province)
                };
                json!({ "value": c.value, "name": c.name, "detail": detail })
            })
            .collect()
    });
    let mut described = Vec::new();
    if spec.hint.is_some() {
        described.push(format!("h-{}", spec.name));
    }
    if error.is_some() {
        described.push(format!("e-{}", spec.name));
    }
    json!({
        "name": spec.name,
        "label": spec.label,
        "hint": spec.hint,
        "error": error,
        "kind": spec.kind,
        "autocomplete": spec.autocomplete,
        "inputmode": spec.inputmode,
        // Addresses and numbers are written left to right on a right-to-left page too.
        "ltr": matches!(spec.kind, "email" | "tel" | "url"),
        "required": spec.required,
        "describedby": if described.is_empty() { Value::Null } else { Value::String(described.join(" ")) },
        "places": spec.name == "place",
        "choices": choices,
        // Passwords are never sent back to the browser.
        "value": if spec.kind == "password" { "" } else { value },
    })
}

/// Views of `specs`, with values looked up in `values` (a JSON object of strings).
pub fn field_views(specs: &[FieldSpec], values: &Value, errors: &FormErrors) -> Value {
    let map: Map<String, Value> = specs
        .iter()
        .map(|spec| {
            let value = values[spec.name].as_str().unwrap_or_default();
            (spec.name.to_owned(), field_view(spec, value, errors))
        })
        .collect();
    Value::Object(map)
}

/// The place picked from the choices offered for an ambiguous name, when it still fits what is
/// typed (`Bergen` → `Bergen (Limburg)`); a name typed anew wins over an old pick.
pub fn picked_place(typed: &str, choice: &str) -> Option<String> {
    let fold = |text: &str| -> String {
        deunicode::deunicode(text)
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    let (typed_key, choice_key) = (fold(typed), fold(choice));
    (!typed_key.is_empty() && choice_key.starts_with(&typed_key)).then(|| choice.trim().to_owned())
}

/// A whole number typed into a field, or an error on it.
pub fn number(raw: &str, name: &str, message: &'static str, errors: &mut FormErrors) -> i32 {
    match raw.trim().parse::<i32>() {
        Ok(n) => n,
        Err(_) => {
            errors.field(name, message);
            0
        }
    }
}
