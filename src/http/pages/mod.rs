//! HTML pages for people: victims, expert companies and moderators. Templates live in
//! `templates/pages/` (one per page) and `templates/partials/` (layout, form field), rendered by a
//! handlebars registry in strict mode with HTML escaping; every string comes from the message
//! catalogues through the `{{t "key"}}` helper. Handlers stay thin and call the same workflows as
//! the API (`crate::experts`, `crate::incidents`).

mod assets;
mod case;
mod case_deadlines;
mod case_forms;
mod case_summary;
mod case_view;
pub mod csrf;
mod error_page;
mod expert;
mod expert_form;
mod exports;
mod form;
mod intake;
mod intake_form;
mod links;
mod login;
mod moderator;
mod moderator_audit;
mod moderator_cases;
mod moderator_complaints;
mod moderator_lists;
mod moderator_stats;
mod outcomes;
mod public;
mod render;
mod requests;
pub mod spam;
mod tel;
mod verify;

use std::sync::Arc;

use actix_web::{HttpResponse, web};
use handlebars::{
    Context, Handlebars, Helper, HelperDef, RenderContext, RenderError, RenderErrorReason,
    ScopedJson,
};
use serde_json::Value;

pub use error_page::error_page;
pub use render::PageCtx;

use crate::error::AppError;
use crate::i18n::Catalogues;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/static/{file}", web::get().to(assets::serve))
        .route("/", web::get().to(public::home))
        .route("/triage", web::get().to(public::triage))
        .route("/first-aid/{code}", web::get().to(public::first_aid))
        .route("/referral-policy", web::get().to(public::referral_policy))
        .route("/code-of-conduct", web::get().to(public::code_of_conduct))
        .route("/disclaimer", web::get().to(public::disclaimer))
        .service(
            web::resource("/intake")
                .route(web::get().to(intake::show))
                .route(web::post().to(intake::submit)),
        )
        .service(
            web::resource("/experts/verify")
                .route(web::get().to(verify::show))
                .route(web::post().to(verify::confirm)),
        )
        .service(
            web::resource("/login")
                .route(web::get().to(login::show))
                .route(web::post().to(login::submit)),
        )
        .route("/logout", web::post().to(login::logout))
        .configure(exports::configure)
        .configure(case::configure)
        .configure(case_summary::configure)
        .configure(outcomes::configure)
        .configure(links::configure)
        .configure(requests::configure)
        .configure(expert::configure)
        .configure(moderator_cases::configure)
        .configure(moderator_complaints::configure)
        .configure(moderator_stats::configure)
        .configure(moderator::configure)
        .configure(moderator_audit::configure);
}

/// The compiled page templates and the catalogues their `t` helper reads.
pub struct Pages {
    registry: Handlebars<'static>,
    pub catalogues: Arc<Catalogues>,
}

impl Pages {
    /// Compiles every page and partial; a broken one, or a bad catalogue, stops the start.
    pub fn load() -> anyhow::Result<Self> {
        let catalogues = Catalogues::shared()?;
        let mut registry = Handlebars::new();
        registry.set_strict_mode(true);
        crate::templates::register_helpers(&mut registry);
        registry.register_helper(
            "t",
            Box::new(Translate {
                catalogues: catalogues.clone(),
            }),
        );
        registry.register_helper("tel", Box::new(tel::TelLinks));
        for (name, source) in crate::templates::under("partials/") {
            registry
                .register_partial(&name, source)
                .map_err(|e| anyhow::anyhow!("partial {name} does not compile: {e}"))?;
        }
        for (name, source) in crate::templates::under("pages/") {
            registry
                .register_template_string(&name, source)
                .map_err(|e| anyhow::anyhow!("page template {name} does not compile: {e}"))?;
        }
        Ok(Self {
            registry,
            catalogues,
        })
    }

    /// Renders template `name` to HTML.
    pub fn render_html(&self, name: &str, data: &Value) -> Result<String, AppError> {
        self.registry
            .render(name, data)
            .map_err(|e| AppError::internal(format!("rendering page {name}: {e}")))
    }
}

/// `{{t "key"}}` or `{{t "key" name=value}}`: the message in the page's language (`page.lang` of
/// the data), with `{name}` placeholders filled in. The result is HTML-escaped like any value.
struct Translate {
    catalogues: Arc<Catalogues>,
}

impl HelperDef for Translate {
    fn call_inner<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
    ) -> Result<ScopedJson<'rc>, RenderError> {
        let key = h
            .param(0)
            .and_then(|p| p.value().as_str())
            .ok_or(RenderErrorReason::ParamNotFoundForIndex("t", 0))?;
        let lang = ctx
            .data()
            .pointer("/page/lang")
            .and_then(Value::as_str)
            .and_then(|code| self.catalogues.get(code))
            .unwrap_or_else(|| self.catalogues.default_language());
        let text = lang
            .get(key)
            .ok_or_else(|| RenderErrorReason::Other(format!("no message for key {key:?}")))?;
        let mut text = text.to_owned();
        for (name, value) in h.hash() {
            let value = match value.value() {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            text = text.replace(&format!("{{{name}}}"), &crate::i18n::isolate(&value));
        }
        Ok(ScopedJson::Derived(Value::String(text)))
    }
}

/// A `303 See Other` to `location` (after a form post, or to the login page).
pub fn redirect(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header(("Location", location))
        .insert_header(("Cache-Control", "no-store"))
        .finish()
}

#[cfg(test)]
mod tests;
