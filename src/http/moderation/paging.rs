//! How the moderators' API lists answer a page: the body stays the JSON array of the first
//! version, and headers tell where it stands: `X-Total-Count` (items that fit the filters),
//! `X-Page`, `X-Per-Page`, and `Link` with `rel="next"` / `rel="prev"` (RFC 8288), the same
//! query with another `page`.

use actix_web::{HttpRequest, HttpResponse};
use serde::Serialize;

use crate::db::models::search::Page;

/// The request's own path and query with `page` set to `page` (and without a page's one-time
/// `done=` notice).
pub fn page_link(req: &HttpRequest, page: i64) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    for (key, value) in url::form_urlencoded::parse(req.query_string().as_bytes()) {
        if key != "page" && key != "done" {
            query.append_pair(&key, &value);
        }
    }
    query.append_pair("page", &page.to_string());
    format!("{}?{}", req.path(), query.finish())
}

/// 200 with the page's items as a JSON array and the paging headers.
pub fn answer<T: Serialize>(req: &HttpRequest, page: &Page<T>) -> HttpResponse {
    let n = page.paging.page;
    let mut links = Vec::new();
    if page.paging.has_next(page.total) {
        links.push(format!("<{}>; rel=\"next\"", page_link(req, n + 1)));
    }
    if n > 1 {
        links.push(format!("<{}>; rel=\"prev\"", page_link(req, n - 1)));
    }
    let mut answer = HttpResponse::Ok();
    answer
        .insert_header(("X-Total-Count", page.total.to_string()))
        .insert_header(("X-Page", n.to_string()))
        .insert_header(("X-Per-Page", page.paging.per_page.to_string()));
    if !links.is_empty() {
        answer.insert_header(("Link", links.join(", ")));
    }
    answer.json(&page.items)
}
