//! What the moderators' list pages share: the filter form's values (a GET form, so a filtered
//! list is a link), the pager ("1–50 van 201" with previous / next links that keep the
//! filters), and bad filter values shown beside the form instead of an error page.

use actix_web::HttpRequest;
use serde_json::{Value, json};

use crate::db::models::search::{Page, Paging};
use crate::error::{AppError, ConflictKind};
use crate::http::moderation::paging::page_link;
use crate::moderation::filters::ListParams;

/// The pager of a page of `total` items.
pub fn pager<T>(req: &HttpRequest, page: &Page<T>) -> Value {
    let n = page.paging.page;
    let (first, last) = page.paging.shown(page.items.len(), page.total);
    json!({
        "first": first,
        "last": last,
        "total": page.total,
        "prev": (n > 1).then(|| page_link(req, n - 1)),
        "next": page.paging.has_next(page.total).then(|| page_link(req, n + 1)),
    })
}

/// The page asked for, or the first when the value is bad (a page never fails on it).
pub fn paging_of(params: &ListParams) -> Paging {
    params.paging().unwrap_or_default()
}

/// The catalogue keys of a list's bad filter values (`workbench.error.<field>`), for the error
/// summary; the list is then shown without those filters.
pub fn filter_errors(err: &AppError) -> Vec<Value> {
    match err {
        AppError::Validation(fields) => fields
            .iter()
            .map(|f| json!({ "message": format!("workbench.error.{}", f.field), "href": format!("#f-{}", f.field) }))
            .collect(),
        _ => Vec::new(),
    }
}

/// `params` without the fields named in `err`, so the rest of the filters still apply.
pub fn without_bad_fields(params: &ListParams, err: &AppError) -> ListParams {
    let mut clean = params.clone();
    if let AppError::Validation(fields) = err {
        for f in fields {
            let slot = match f.field.as_str() {
                "q" => &mut clean.q,
                "status" => &mut clean.status,
                "incident_type" => &mut clean.incident_type,
                "province" => &mut clean.province,
                "from" => &mut clean.from,
                "to" => &mut clean.to,
                _ => continue,
            };
            *slot = None;
        }
    }
    clean
}

/// The text of a filter field as the form shows it back.
pub fn value(raw: &Option<String>) -> &str {
    raw.as_deref().unwrap_or_default()
}

/// The query of a list to return to after a form: the non-empty pairs, in order.
pub fn return_query(pairs: &[(&str, &str)]) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    for (key, value) in pairs.iter().filter(|(_, v)| !v.is_empty()) {
        query.append_pair(key, value);
    }
    query.finish()
}

/// The `done` of a redirect after a moderator's action and, for a 409, the `why`: the
/// conflict's code, so the list says what happened. Other errors are handed back.
pub fn outcome_query<T>(
    outcome: Result<T, AppError>,
    done: &str,
) -> Result<(&str, &'static str), AppError> {
    match outcome {
        Ok(_) => Ok((done, "")),
        Err(AppError::Conflict(kind)) => Ok(("conflict", kind.code())),
        Err(other) => Err(other),
    }
}

/// What the list shows after a redirect: the `done` flag and, for a conflict, the catalogue key
/// of its sentence (`None` for a `why` that is not a conflict code).
pub fn notice(req: &HttpRequest) -> (String, Option<&'static str>) {
    let mut done = String::new();
    let mut why = None;
    for (key, value) in url::form_urlencoded::parse(req.query_string().as_bytes()) {
        match key.as_ref() {
            "done" if done.is_empty() => done = value.into_owned(),
            "why" => why = ConflictKind::key_of_code(&value),
            _ => {}
        }
    }
    (done, why)
}
