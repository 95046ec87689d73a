//! The API's own description: an OpenAPI 3.1 document built from the request and response
//! types (their `ToSchema` derives) and the operation table in [`operations`], served at
//! `GET /api/v1/openapi.json`. Every error answer is a [`crate::error::Problem`].

pub mod codes;
mod operations;
mod schemas;

use std::sync::OnceLock;

use actix_web::{HttpResponse, web};
use utoipa::{
    OpenApi,
    openapi::{
        self, Components, Info, OpenApiBuilder, Server,
        security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
    },
};

/// The schemas the operation table names, and everything they contain.
#[derive(OpenApi)]
#[openapi(components(schemas(
    crate::error::Problem,
    crate::http::incidents::TypeSummary,
    crate::http::incidents::StepPlan,
    crate::http::triage::TreeView,
    crate::http::triage::TriageAnswers,
    crate::http::triage::Suggestion,
    crate::geo::Place,
    crate::http::places::PlaceSuggestion,
    crate::error::PlaceChoice,
    crate::intakes::form::IntakeRequest,
    crate::intakes::view::CreatedView,
    crate::cases::view::FullCase,
    crate::cases::view::ExpertRequestView,
    crate::http::cases::AskBody,
    crate::http::cases::StepBody,
    crate::http::cases::CloseBody,
    crate::http::cases::ComplaintBody,
    crate::cases::feedback::FeedbackInput,
    crate::cases::outcomes::ResilienceInput,
    crate::cases::outcomes::AnswersInput,
    crate::http::requests::DeclineBody,
    crate::http::requests::CompleteBody,
    crate::http::expert::input::RegisterRequest,
    crate::http::expert::input::ProfilePatch,
    crate::http::expert::VerifyRequest,
    crate::http::expert::AcceptRequest,
    crate::experts::ExpertView,
    crate::http::moderation::experts::ReasonBody,
    crate::http::moderation::experts::SuspendBody,
    crate::http::moderation::cases::HandleBody,
    crate::http::moderation::cases::SuspendBody,
    crate::http::moderation::audit::PublishRequest,
    crate::http::moderation::audit::EntryView,
    crate::db::models::audit_chain::Verdict,
    crate::http::sessions::LoginRequest,
    crate::http::sessions::LoginResponse,
    schemas::ExpertState,
    schemas::CodeOfConduct,
    schemas::PublishedCode,
    schemas::Sent,
    schemas::SentRequests,
    schemas::StepsDone,
    schemas::FeedbackSaved,
    schemas::ResilienceSaved,
    schemas::BaselineSaved,
    schemas::ComplaintCreated,
    schemas::ListedIntake,
    schemas::Document,
    codes::LangCode,
    codes::IncidentCode,
)))]
struct Schemas;

/// The whole document.
pub fn document_value() -> openapi::OpenApi {
    let mut components = Schemas::openapi().components.unwrap_or_default();
    add_security(&mut components);
    OpenApiBuilder::new()
        .info(
            Info::builder()
                .title("Hackhelpdesk expert platform API")
                .version(env!("CARGO_PKG_VERSION"))
                .description(Some(
                    "First aid and vetted peer help for Dutch small businesses hit by \
                     cybercrime. Errors are application/problem+json (RFC 9457); `?lang=nl|en|tr|pl|ar` \
                     or Accept-Language picks the language of texts.",
                ))
                .build(),
        )
        .servers(Some(vec![Server::new("/")]))
        .paths(operations::paths())
        .components(Some(components))
        .build()
}

fn add_security(components: &mut Components) {
    let bearer = |description: &str| {
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .description(Some(description))
                .build(),
        )
    };
    for (name, description) in [
        (
            operations::SESSION,
            "The token of `POST /api/v1/sessions` (experts and moderators).",
        ),
        (
            operations::CASE_TOKEN,
            "The victim's case token: the `access_token` of `POST /api/v1/intakes`.",
        ),
        (
            operations::LINK_TOKEN,
            "The token of a one-click link in a feedback or resilience email.",
        ),
        (
            operations::METRICS_TOKEN,
            "`METRICS_TOKEN`, when it is configured.",
        ),
    ] {
        components.add_security_scheme(name, bearer(description));
    }
}

/// The document as JSON, built once.
pub fn document_json() -> &'static str {
    static JSON: OnceLock<String> = OnceLock::new();
    JSON.get_or_init(|| {
        document_value()
            .to_json()
            .expect("the OpenAPI document serialises")
    })
}

/// `GET /api/v1/openapi.json`
pub async fn document() -> HttpResponse {
    HttpResponse::Ok()
        .content_type(mime::APPLICATION_JSON)
        .insert_header(("cache-control", "no-cache"))
        .body(web::Bytes::from_static(document_json().as_bytes()))
}
