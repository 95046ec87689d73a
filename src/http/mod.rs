//! HTTP: one module per audience (public, victim, expert, moderation) with thin handlers, plus the
//! pieces they share: state, the JSON extractor and the conversion of every error to problem+json.

pub mod auth;
mod cases;
mod code_of_conduct;
pub mod cookies;
mod expert;
pub mod exports;
pub mod extract;
pub mod headers;
mod health;
pub mod incidents;
mod intakes;
pub mod lang;
mod metrics;
mod moderation;
pub mod openapi;
pub mod pages;
mod places;
pub mod problem;
mod requests;
pub mod route;
pub mod routes;
pub mod sessions;
mod stats;
pub mod text_guard;
mod triage;

use std::sync::Arc;

use actix_web::web;

use crate::{
    clock::Clock, config::Settings, db::Database, geo::Geocoder, incidents::Catalogue, mail::Mailer,
};

/// Everything a handler may need, registered once as `web::Data<AppState>`.
pub struct AppState {
    pub db: Database,
    pub settings: Arc<Settings>,
    pub clock: Clock,
    pub mailer: Arc<Mailer>,
    pub geocoder: Arc<dyn Geocoder>,
    pub catalogue: Arc<Catalogue>,
    pub pages: Arc<pages::Pages>,
    /// Per-client rate limits (`RATE_LIMITS`), checked by `crate::limits::guard`.
    pub limits: Arc<crate::limits::Limits>,
    /// This application's Prometheus metrics, served by `GET /metrics`.
    pub metrics: Arc<crate::metrics::Metrics>,
    /// The in-memory candidate index matching ranks from (`crate::intakes::pool`).
    pub candidates: Arc<crate::intakes::CandidatePool>,
}

impl AppState {
    /// The handles a workflow runs with (see [`crate::workflow::Runner`]).
    pub fn runner(&self) -> crate::workflow::Runner {
        crate::workflow::Runner {
            db: self.db.clone(),
            clock: self.clock.clone(),
            mailer: self.mailer.clone(),
            settings: self.settings.clone(),
            catalogue: self.catalogue.clone(),
            candidates: self.candidates.clone(),
        }
    }

    /// Runs one workflow on the pool with the request's context: `state.workflow(|ctx, conn|
    /// …)`, the one way handlers reach the database for a workflow.
    pub async fn workflow<T, F>(&self, work: F) -> Result<T, crate::error::AppError>
    where
        F: FnOnce(
                crate::workflow::Ctx<'_>,
                &mut crate::db::DbConn,
            ) -> Result<T, crate::error::AppError>
            + Send
            + 'static,
        T: Send + 'static,
    {
        self.runner().run(work).await
    }
}

/// Whether the request is for the JSON API, judged by the path as the router matches it
/// (percent-decoded: `/%61pi/v1/…` is the API too), never by the raw path.
pub fn is_api(req: &actix_web::HttpRequest) -> bool {
    req.match_info().as_str().starts_with("/api/")
}

/// All routes of the service.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/healthz").route(web::get().to(health::healthz)))
        .service(web::resource("/readyz").route(web::get().to(health::readyz)))
        .service(web::resource(crate::metrics::METRICS_ROUTE).route(web::get().to(metrics::scrape)))
        // The API first: no page route can match `/api/…`, and actix tries routes in order.
        .service(
            web::scope("/api/v1")
                .configure(|cfg| routes::api().mount(cfg))
                .default_service(web::to(problem::not_found)),
        )
        .configure(pages::configure);
}

/// Adds every `/api/v1` route to the registry ([`routes::api`]), in the order actix tries them.
fn register_api(r: &mut routes::ApiRoutes) {
    // The most frequent static answer first (routes are tried in order; none of the others can
    // match it).
    r.get("/incident-types", incidents::list)
        .get("/places", places::search)
        .post("/intakes", intakes::create)
        .get("/intakes/{id}", intakes::show)
        .delete("/intakes/{id}", cases::erase);
    cases::routes(r);
    exports::routes(r);
    requests::routes(r);
    r.get("/incident-types/{code}/steps", incidents::steps)
        .get("/triage", triage::tree)
        .post("/triage", triage::suggest)
        .get("/referral-policy", incidents::referral_policy)
        .get("/code-of-conduct", code_of_conduct::current)
        .get("/openapi.json", openapi::document);
    expert::routes(r);
    moderation::routes(r);
    stats::routes(r);
    r.post("/sessions", sessions::login)
        .delete("/sessions", sessions::logout);
}
