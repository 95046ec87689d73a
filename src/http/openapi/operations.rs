//! The operation table: one line per `/api/v1` route (method, path, who may call it, body,
//! answer), turned into the document's paths with the problem answers each can give. The
//! coverage test compares it with the routes the registry mounts.

use utoipa::openapi::{
    Content, HttpMethod, ObjectBuilder, Paths, Ref, RefOr, Required, ResponseBuilder, Responses,
    Type,
    header::HeaderBuilder,
    path::{OperationBuilder, ParameterBuilder, ParameterIn},
    request_body::RequestBodyBuilder,
    security::SecurityRequirement,
};

use crate::error::PROBLEM_JSON;

pub const SESSION: &str = "session";
pub const CASE_TOKEN: &str = "case_token";
pub const LINK_TOKEN: &str = "link_token";
pub const METRICS_TOKEN: &str = "metrics_token";

/// Who may call an operation.
#[derive(Clone, Copy, PartialEq)]
enum Auth {
    Public,
    /// The intake's case token.
    Victim,
    /// The case token or the matching one-click link token.
    Link,
    Expert,
    Moderator,
    /// Any logged-in expert or moderator.
    Session,
    /// Public unless `METRICS_TOKEN` is set.
    Metrics,
}

/// What a successful call answers.
#[derive(Clone, Copy)]
enum Answer {
    Json(&'static str),
    List(&'static str),
    Empty,
    Csv,
    Text,
}

/// A query parameter: name, integer (else string), required.
type Query = (&'static str, bool, bool);

struct Op {
    method: HttpMethod,
    path: &'static str,
    tag: &'static str,
    summary: &'static str,
    auth: Auth,
    query: &'static [Query],
    /// The request body's schema, and whether it may be left out.
    body: Option<(&'static str, bool)>,
    status: u16,
    answer: Answer,
    /// Whether the state of things can refuse it (409).
    conflict: bool,
}

const LIST: &[Query] = &[
    ("q", false, false),
    ("status", false, false),
    ("page", true, false),
    ("per_page", true, false),
    ("limit", true, false),
    ("before", false, false),
];
const INTAKE_LIST: &[Query] = &[
    ("q", false, false),
    ("status", false, false),
    ("incident_type", false, false),
    ("province", false, false),
    ("from", false, false),
    ("to", false, false),
    ("page", true, false),
    ("per_page", true, false),
    ("limit", true, false),
    ("before", false, false),
];
const AUDIT_LIST: &[Query] = &[
    ("q", false, false),
    ("subject_kind", false, false),
    ("subject_id", false, false),
    ("action", false, false),
    ("page", true, false),
    ("per_page", true, false),
    ("limit", true, false),
    ("before", false, false),
];
const STATS: &[Query] = &[
    ("from", false, false),
    ("to", false, false),
    ("incident_type", false, false),
    ("province", false, false),
];
const PLACES: &[Query] = &[("q", false, true), ("limit", true, false)];

macro_rules! op {
    ($method:ident $path:literal, $tag:literal, $summary:literal, $auth:ident,
     query $query:expr, body $body:expr, $status:literal $answer:expr, conflict $conflict:expr) => {
        Op {
            method: HttpMethod::$method,
            path: $path,
            tag: $tag,
            summary: $summary,
            auth: Auth::$auth,
            query: $query,
            body: $body,
            status: $status,
            answer: $answer,
            conflict: $conflict,
        }
    };
}

use Answer::{Csv, Empty, Json, List, Text};

#[rustfmt::skip]
fn table() -> Vec<Op> {
    let none: &[Query] = &[];
    let json = |schema| Some((schema, false));
    vec![
        op!(Get "/api/v1/incident-types", "public", "The incident types", Public, query none, body None, 200 List("TypeSummary"), conflict false),
        op!(Get "/api/v1/incident-types/{code}/steps", "public", "The first-aid plan of an incident type", Public, query none, body None, 200 Json("StepPlan"), conflict false),
        op!(Get "/api/v1/places", "public", "Dutch places whose name starts with or contains q", Public, query PLACES, body None, 200 List("PlaceSuggestion"), conflict false),
        op!(Get "/api/v1/triage", "public", "The triage question tree", Public, query none, body None, 200 Json("TreeView"), conflict false),
        op!(Post "/api/v1/triage", "public", "Follow triage answers to a suggested incident type", Public, query none, body json("TriageAnswers"), 200 Json("Suggestion"), conflict false),
        op!(Get "/api/v1/referral-policy", "public", "The published referral policy", Public, query none, body None, 200 Json("Document"), conflict false),
        op!(Get "/api/v1/code-of-conduct", "public", "The current code of conduct for experts", Public, query none, body None, 200 Json("CodeOfConduct"), conflict false),
        op!(Get "/api/v1/openapi.json", "public", "This document", Public, query none, body None, 200 Json("Document"), conflict false),
        op!(Get "/api/v1/stats/public", "public", "Public counts for the website", Public, query none, body None, 200 Json("Document"), conflict false),
        op!(Post "/api/v1/intakes", "victim", "Report an incident: first aid and up to 3 matched experts", Public, query none, body json("IntakeRequest"), 201 Json("CreatedView"), conflict true),
        op!(Get "/api/v1/intakes/{id}", "victim", "The case", Victim, query none, body None, 200 Json("FullCase"), conflict false),
        op!(Delete "/api/v1/intakes/{id}", "victim", "Erase the case's personal data", Victim, query none, body None, 204 Empty, conflict true),
        op!(Post "/api/v1/intakes/{id}/requests", "victim", "Ask matched experts for help", Victim, query none, body json("AskBody"), 201 Json("SentRequests"), conflict true),
        op!(Post "/api/v1/intakes/{id}/matches/next", "victim", "Do not wait for the pending requests: the next matches now (the pending requests stay open)", Victim, query none, body None, 200 Json("FullCase"), conflict true),
        op!(Post "/api/v1/intakes/{id}/steps/{n}", "victim", "Tick a first-aid step off or on", Victim, query none, body json("StepBody"), 200 Json("StepsDone"), conflict true),
        op!(Post "/api/v1/intakes/{id}/close", "victim", "Close the case with its outcome", Victim, query none, body json("CloseBody"), 200 Json("FullCase"), conflict true),
        op!(Post "/api/v1/intakes/{id}/feedback", "victim", "Give feedback on the help", Link, query none, body json("FeedbackInput"), 201 Json("FeedbackSaved"), conflict true),
        op!(Post "/api/v1/intakes/{id}/resilience", "victim", "Answer the resilience check", Link, query none, body json("ResilienceInput"), 201 Json("ResilienceSaved"), conflict true),
        op!(Post "/api/v1/intakes/{id}/resilience/baseline", "victim", "Give or replace the baseline resilience answers", Victim, query none, body json("AnswersInput"), 201 Json("BaselineSaved"), conflict true),
        op!(Post "/api/v1/intakes/{id}/complaints", "victim", "Complain about an expert", Victim, query none, body json("ComplaintBody"), 201 Json("ComplaintCreated"), conflict true),
        op!(Get "/api/v1/intakes/{id}/export", "victim", "Everything stored about this case", Victim, query none, body None, 200 Json("Document"), conflict false),
        op!(Post "/api/v1/experts", "expert", "Register an expert company", Public, query none, body json("RegisterRequest"), 201 Json("ExpertState"), conflict true),
        op!(Post "/api/v1/experts/verify", "expert", "Verify the email address", Public, query none, body json("VerifyRequest"), 200 Json("ExpertState"), conflict true),
        op!(Get "/api/v1/experts/me", "expert", "The expert's profile", Expert, query none, body None, 200 Json("ExpertView"), conflict false),
        op!(Patch "/api/v1/experts/me", "expert", "Change the profile", Expert, query none, body json("ProfilePatch"), 200 Json("ExpertView"), conflict true),
        op!(Post "/api/v1/experts/me/pause", "expert", "Stop receiving requests", Expert, query none, body None, 200 Json("ExpertView"), conflict true),
        op!(Post "/api/v1/experts/me/resume", "expert", "Receive requests again", Expert, query none, body None, 200 Json("ExpertView"), conflict true),
        op!(Post "/api/v1/experts/me/resubmit", "expert", "Send a rejected profile for review again", Expert, query none, body None, 200 Json("ExpertView"), conflict true),
        op!(Post "/api/v1/experts/me/verification", "expert", "Send the verification email again", Expert, query none, body None, 202 Json("Sent"), conflict true),
        op!(Post "/api/v1/experts/me/code-of-conduct", "expert", "Accept the current code of conduct", Expert, query none, body json("AcceptRequest"), 200 Json("ExpertView"), conflict true),
        op!(Get "/api/v1/experts/me/requests", "expert", "Help requests sent to this expert", Expert, query none, body None, 200 List("ExpertRequestView"), conflict false),
        op!(Get "/api/v1/experts/me/export", "expert", "Everything stored about this expert", Expert, query none, body None, 200 Json("Document"), conflict false),
        op!(Post "/api/v1/requests/{id}/accept", "expert", "Accept a help request; the first acceptance connects", Expert, query none, body None, 200 Json("ExpertRequestView"), conflict true),
        op!(Post "/api/v1/requests/{id}/decline", "expert", "Decline a help request", Expert, query none, body Some(("DeclineBody", true)), 200 Json("ExpertRequestView"), conflict true),
        op!(Post "/api/v1/requests/{id}/complete", "expert", "Mark a connected case as completed", Expert, query none, body Some(("CompleteBody", true)), 200 Json("ExpertRequestView"), conflict true),
        op!(Get "/api/v1/moderation/experts", "moderation", "Experts, filtered", Moderator, query LIST, body None, 200 List("ExpertView"), conflict false),
        op!(Get "/api/v1/moderation/experts/{id}", "moderation", "One expert", Moderator, query none, body None, 200 Json("ExpertView"), conflict false),
        op!(Post "/api/v1/moderation/experts/{id}/approve", "moderation", "Approve an expert", Moderator, query none, body None, 200 Json("ExpertView"), conflict true),
        op!(Post "/api/v1/moderation/experts/{id}/reject", "moderation", "Reject an expert", Moderator, query none, body json("ReasonBody"), 200 Json("ExpertView"), conflict true),
        op!(Post "/api/v1/moderation/experts/{id}/suspend", "moderation", "Suspend an expert", Moderator, query none, body json("SuspendBody"), 200 Json("ExpertView"), conflict true),
        op!(Post "/api/v1/moderation/experts/{id}/reinstate", "moderation", "Reinstate a suspended expert", Moderator, query none, body None, 200 Json("ExpertView"), conflict true),
        op!(Get "/api/v1/moderation/complaints", "moderation", "Complaints, filtered", Moderator, query LIST, body None, 200 List("Document"), conflict false),
        op!(Post "/api/v1/moderation/complaints/{id}/handle", "moderation", "Mark a complaint handled", Moderator, query none, body json("HandleBody"), 200 Json("Document"), conflict true),
        op!(Post "/api/v1/moderation/complaints/{id}/suspend", "moderation", "Suspend the expert a complaint is about", Moderator, query none, body json("ComplaintSuspendBody"), 200 Json("Document"), conflict true),
        op!(Get "/api/v1/moderation/intakes", "moderation", "Intakes, filtered", Moderator, query INTAKE_LIST, body None, 200 List("ListedIntake"), conflict false),
        op!(Get "/api/v1/moderation/audit", "moderation", "The audit log, newest first", Moderator, query AUDIT_LIST, body None, 200 List("EntryView"), conflict false),
        op!(Get "/api/v1/moderation/audit/verify", "moderation", "Whether the audit log's hash chain is intact", Moderator, query none, body None, 200 Json("Verdict"), conflict false),
        op!(Post "/api/v1/moderation/code-of-conduct", "moderation", "Publish a new code of conduct", Moderator, query none, body json("PublishRequest"), 201 Json("PublishedCode"), conflict false),
        op!(Get "/api/v1/stats", "stats", "Figures for a period", Moderator, query STATS, body None, 200 Json("Document"), conflict false),
        op!(Get "/api/v1/stats.csv", "stats", "The same figures as CSV", Moderator, query STATS, body None, 200 Csv, conflict false),
        op!(Get "/api/v1/stats/referrals", "stats", "Referrals per expert and their spread", Moderator, query STATS, body None, 200 Json("Document"), conflict false),
        op!(Post "/api/v1/sessions", "sessions", "Log in (experts and moderators)", Public, query none, body json("LoginRequest"), 201 Json("LoginResponse"), conflict false),
        op!(Delete "/api/v1/sessions", "sessions", "Log out", Session, query none, body None, 204 Empty, conflict false),
        op!(Get "/metrics", "operations", "Prometheus metrics", Metrics, query none, body None, 200 Text, conflict false),
    ]
}

pub fn paths() -> Paths {
    let mut paths = Paths::new();
    for op in table() {
        paths.add_path_operation(op.path, vec![op.method.clone()], operation(&op));
    }
    paths
}

fn schema_ref(name: &str) -> RefOr<utoipa::openapi::schema::Schema> {
    RefOr::Ref(Ref::from_schema_name(name))
}

fn operation(op: &Op) -> utoipa::openapi::path::Operation {
    let mut builder = OperationBuilder::new()
        .tag(op.tag)
        .summary(Some(op.summary))
        .operation_id(Some(operation_id(op)))
        .responses(responses(op));
    for name in path_params(op.path) {
        let integer = name == "n";
        builder = builder.parameter(param(name, ParameterIn::Path, integer, true));
    }
    for (name, integer, required) in op.query {
        builder = builder.parameter(param(name, ParameterIn::Query, *integer, *required));
    }
    if op.path.starts_with("/api/") {
        builder = builder.parameter(param("lang", ParameterIn::Query, false, false));
    }
    if op.path == "/api/v1/intakes" {
        builder = builder.parameter(
            ParameterBuilder::new()
                .name("Idempotency-Key")
                .parameter_in(ParameterIn::Header)
                .required(Required::False)
                .description(Some("The same key and body give the same intake back."))
                .schema(Some(
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .min_length(Some(1))
                        .max_length(Some(255)),
                )),
        );
    }
    if let Some((schema, optional)) = op.body {
        builder = builder.request_body(Some(
            RequestBodyBuilder::new()
                .content("application/json", Content::new(Some(schema_ref(schema))))
                .required(Some(if optional {
                    Required::False
                } else {
                    Required::True
                }))
                .build(),
        ));
    }
    builder.securities(security(op.auth)).build()
}

fn operation_id(op: &Op) -> String {
    let method = match op.method {
        HttpMethod::Get => "get",
        HttpMethod::Post => "post",
        HttpMethod::Patch => "patch",
        HttpMethod::Delete => "delete",
        _ => "other",
    };
    let path = op
        .path
        .trim_start_matches("/api/v1")
        .replace(['/', '.', '-'], "_")
        .replace(['{', '}'], "");
    format!("{method}{path}")
}

fn path_params(path: &str) -> impl Iterator<Item = &str> {
    path.split('/')
        .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
}

fn param(
    name: &str,
    place: ParameterIn,
    integer: bool,
    required: bool,
) -> utoipa::openapi::path::Parameter {
    let kind = if integer { Type::Integer } else { Type::String };
    // The code lists' own schemas where a parameter takes a code.
    let schema: RefOr<utoipa::openapi::schema::Schema> = match name {
        "lang" => schema_ref("LangCode"),
        "code" => schema_ref("IncidentCode"),
        _ => ObjectBuilder::new().schema_type(kind).into(),
    };
    ParameterBuilder::new()
        .name(name)
        .parameter_in(place)
        .required(if required {
            Required::True
        } else {
            Required::False
        })
        .schema(Some(schema))
        .build()
}

fn security(auth: Auth) -> Option<Vec<SecurityRequirement>> {
    let one = |name: &str| SecurityRequirement::new(name, Vec::<String>::new());
    Some(match auth {
        Auth::Public => vec![],
        Auth::Victim => vec![one(CASE_TOKEN)],
        Auth::Link => vec![one(CASE_TOKEN), one(LINK_TOKEN)],
        Auth::Expert | Auth::Moderator | Auth::Session => vec![one(SESSION)],
        Auth::Metrics => vec![SecurityRequirement::default(), one(METRICS_TOKEN)],
    })
}

fn problem(description: &str) -> utoipa::openapi::Response {
    ResponseBuilder::new()
        .description(description)
        .content(PROBLEM_JSON, Content::new(Some(schema_ref("Problem"))))
        .build()
}

fn retry_after(description: &str) -> utoipa::openapi::Response {
    let mut response = problem(description);
    response.headers.insert(
        "Retry-After".into(),
        HeaderBuilder::new()
            .schema(ObjectBuilder::new().schema_type(Type::Integer))
            .description(Some("Seconds to wait before trying again."))
            .build(),
    );
    response
}

fn success(op: &Op) -> utoipa::openapi::Response {
    let builder = ResponseBuilder::new().description(op.summary);
    match op.answer {
        Json(schema) => builder.content("application/json", Content::new(Some(schema_ref(schema)))),
        List(schema) => builder.content(
            "application/json",
            Content::new(Some(
                utoipa::openapi::schema::ArrayBuilder::new().items(schema_ref(schema)),
            )),
        ),
        Empty => builder,
        Csv => builder.content(
            "text/csv",
            Content::new(Some(ObjectBuilder::new().schema_type(Type::String))),
        ),
        Text => builder.content(
            "text/plain",
            Content::new(Some(ObjectBuilder::new().schema_type(Type::String))),
        ),
    }
    .build()
}

fn responses(op: &Op) -> Responses {
    let mut r = Responses::new();
    let mut add = |status: &str, response: utoipa::openapi::Response| {
        r.responses.insert(status.to_owned(), RefOr::T(response));
    };
    add(&op.status.to_string(), success(op));
    if op.path == "/api/v1/intakes" {
        let mut replay = success(op);
        replay.description = "The intake created earlier with this Idempotency-Key".into();
        add("200", replay);
    }
    if op.path == "/api/v1/intakes/{id}/resilience/baseline" {
        let mut replaced = success(op);
        replaced.description = "The baseline answers replaced earlier ones".into();
        add("200", replaced);
    }
    let has_input = op.body.is_some() || !op.query.is_empty() || op.path.contains('{');
    if has_input || op.auth != Auth::Public {
        add("400", problem("The request could not be read"));
    }
    if op.auth != Auth::Public {
        add("401", problem("No or no valid token"));
    }
    if matches!(op.auth, Auth::Expert | Auth::Moderator) {
        add("403", problem("This role may not do this"));
    }
    if op.path.contains('{') || matches!(op.auth, Auth::Victim | Auth::Link) {
        add("404", problem("Unknown, or not yours"));
    }
    if op.conflict {
        add("409", problem("The current state does not allow it"));
        add("410", problem("No longer valid (an expired link)"));
    }
    if op.body.is_some() {
        add("413", problem("The body is too large"));
        add("415", problem("The body is not JSON"));
    }
    if has_input {
        add("422", problem("One or more fields are invalid"));
    }
    add("429", retry_after("Rate limited"));
    add("503", retry_after("The database does not answer right now"));
    add("default", problem("Any other error, as a problem"));
    r
}
