//! What every page shares: the page language (`?lang=` → `hh_lang` cookie → on a victim's own
//! pages the language chosen in the intake → `Accept-Language` →
//! Dutch), the CSRF token for its forms, the language switch, the asset URLs, and the security
//! headers (a strict Content-Security-Policy without inline scripts or styles).

use actix_web::cookie::time;
use actix_web::{HttpRequest, HttpResponse, http::StatusCode};
use serde_json::{Value, json};

use super::{assets, csrf};
use crate::domain::Role;
use crate::error::AppError;
use crate::http::AppState;
use crate::i18n::{Lang, PageLanguage};

/// The cookie that remembers a language picked with the switch.
pub const LANG_COOKIE: &str = crate::http::cookies::LANG;

pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; \
     form-action 'self'; base-uri 'none'; object-src 'none'";

/// One page being answered.
pub struct PageCtx<'a> {
    state: &'a AppState,
    lang: &'a PageLanguage,
    /// Set when `?lang=` picked the language, so the choice is remembered.
    remember_lang: bool,
    csrf: String,
    new_csrf: bool,
    path: String,
    query: Vec<(String, String)>,
    user: Option<Role>,
}

impl<'a> PageCtx<'a> {
    pub fn new(req: &HttpRequest, state: &'a AppState) -> Self {
        Self::resolve(req, state, None)
    }

    /// For a victim's own pages (the case, its summary, feedback): the language the victim chose
    /// in the intake (`language`, when pages exist in it) unless this browser picked one with
    /// `?lang=` or the switch; before the browser's `Accept-Language`, so a Turkish victim who
    /// opens the case link on a Dutch phone still reads Turkish.
    pub fn for_victim(req: &HttpRequest, state: &'a AppState, language: &str) -> Self {
        Self::resolve(req, state, Some(language))
    }

    /// The cookie that keeps this page's language for the browser's next pages.
    pub fn lang_cookie(&self) -> actix_web::cookie::Cookie<'static> {
        crate::http::cookies::build(&self.state.settings, LANG_COOKIE, self.lang.code.clone())
            .max_age(time::Duration::days(365))
            .finish()
    }

    fn resolve(req: &HttpRequest, state: &'a AppState, chosen: Option<&str>) -> Self {
        let catalogues = &state.pages.catalogues;
        let query: Vec<(String, String)> =
            url::form_urlencoded::parse(req.query_string().as_bytes())
                .into_owned()
                .collect();
        let from_query = query
            .iter()
            .find(|(k, _)| k == "lang")
            .and_then(|(_, v)| catalogues.get(v));
        let lang = from_query
            .or_else(|| {
                crate::http::cookies::value(req, LANG_COOKIE).and_then(|c| catalogues.get(&c))
            })
            .or_else(|| chosen.and_then(|code| catalogues.get(code)))
            .or_else(|| {
                req.headers()
                    .get("accept-language")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|h| catalogues.from_accept_language(h))
            })
            .unwrap_or_else(|| catalogues.default_language());
        let existing = csrf::token_of(req);
        let new_csrf = existing.is_none();
        // A path of our own routes; never protocol-relative, so the switch cannot leave the site.
        let path = Some(req.path())
            .filter(|p| p.starts_with('/') && !p.starts_with("//"))
            .unwrap_or("/")
            .to_owned();
        Self {
            state,
            lang,
            remember_lang: from_query.is_some(),
            csrf: existing.unwrap_or_else(csrf::new_token),
            new_csrf,
            path,
            query: query.into_iter().filter(|(k, _)| k != "lang").collect(),
            user: None,
        }
    }

    /// Never (re)sets the CSRF cookie: for pages without forms that browsers may fetch on their
    /// own without cookies (the error page, e.g. for a favicon), so they cannot replace the token
    /// of a form that is open in another tab.
    pub fn without_new_csrf_cookie(mut self) -> Self {
        self.new_csrf = false;
        self
    }

    /// Shows the logged-in navigation of `role` in the header.
    pub fn with_user(mut self, role: Role) -> Self {
        self.user = Some(role);
        self
    }

    pub fn lang(&self) -> &PageLanguage {
        self.lang
    }

    /// The language of step plans, triage and the code of conduct on this page.
    pub fn content_lang(&self) -> Lang {
        self.lang.content_lang()
    }

    /// A link to this page in another language, keeping the rest of the query.
    fn switch_href(&self, code: &str) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in &self.query {
            query.append_pair(k, v);
        }
        query.append_pair("lang", code);
        format!("{}?{}", self.path, query.finish())
    }

    /// The `page` object every template gets.
    fn page_data(&self, name: &str) -> Value {
        let languages: Vec<Value> = self
            .state
            .pages
            .catalogues
            .all()
            .iter()
            .map(|l| {
                json!({
                    "code": l.code,
                    "name": l.name,
                    "dir": l.dir,
                    "href": self.switch_href(&l.code),
                    "current": l.code == self.lang.code,
                })
            })
            .collect();
        json!({
            "lang": self.lang.code,
            "dir": self.lang.dir,
            "title_key": format!("title.{name}"),
            "css": assets::css_url(),
            "js": assets::js_url(),
            "csrf": self.csrf,
            "form_started": super::spam::stamp(self.state),
            "languages": languages,
            "content_lang": self.content_lang().code(),
            "content_dir": self.content_lang().dir(),
            "content_fallback": self.lang.content_is_fallback(),
            "staff_fallback": self.lang.staff_is_fallback(),
            "staff_lang": self.content_lang().staff().code(),
            "staff_dir": self.content_lang().staff().dir(),
            "user": self.user.map(|role| json!({
                "expert": role == Role::Expert,
                "moderator": role == Role::Moderator,
            })),
        })
    }

    /// Renders template `name` (its `<title>` is the message `title.<name>`) with `data`, which
    /// must be an object; the page object is added as `page`.
    pub fn render(
        &self,
        name: &str,
        status: StatusCode,
        data: Value,
    ) -> Result<HttpResponse, AppError> {
        let mut data = match data {
            Value::Object(map) => map,
            Value::Null => serde_json::Map::new(),
            _ => return Err(AppError::internal("page data must be an object")),
        };
        data.insert("page".into(), self.page_data(name));
        let body = self.state.pages.render_html(name, &Value::Object(data))?;
        let mut response = HttpResponse::build(status);
        secure_headers(&mut response, self.lang);
        if self.new_csrf {
            response.cookie(csrf::cookie(self.state, self.csrf.clone()));
        }
        if self.remember_lang {
            response.cookie(self.lang_cookie());
        }
        Ok(response.body(body))
    }
}

/// The headers of every HTML page.
pub fn secure_headers(response: &mut actix_web::HttpResponseBuilder, lang: &PageLanguage) {
    response
        .content_type("text/html; charset=utf-8")
        .insert_header(("Content-Language", lang.code.as_str()))
        .insert_header(("Content-Security-Policy", CONTENT_SECURITY_POLICY))
        .insert_header(("Cache-Control", "no-store"))
        // Not `no-referrer`: with it browsers send `Origin: null` on form posts, which the CSRF
        // check must refuse. `same-origin` still sends nothing (no case token) to other sites.
        .insert_header(("Referrer-Policy", "same-origin"))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .insert_header(("X-Frame-Options", "DENY"))
        .insert_header(("Vary", "Accept-Language, Cookie"));
}
