//! The moderators' API (`/api/v1/moderation/…`): the review queue and the vetting decisions,
//! the audit log, complaints and intakes by status, and publishing the code of conduct. Every handler requires a moderator.

mod audit;
mod cases;
mod experts;
pub mod paging;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/moderation/experts", web::get().to(experts::list))
        .route("/moderation/experts/{id}", web::get().to(experts::show))
        .route(
            "/moderation/experts/{id}/approve",
            web::post().to(experts::approve),
        )
        .route(
            "/moderation/experts/{id}/reject",
            web::post().to(experts::reject),
        )
        .route(
            "/moderation/experts/{id}/suspend",
            web::post().to(experts::suspend),
        )
        .route(
            "/moderation/experts/{id}/reinstate",
            web::post().to(experts::reinstate),
        )
        .route("/moderation/complaints", web::get().to(cases::complaints))
        .route(
            "/moderation/complaints/{id}/handle",
            web::post().to(cases::handle_complaint),
        )
        .route(
            "/moderation/complaints/{id}/suspend",
            web::post().to(cases::suspend_for_complaint),
        )
        .route("/moderation/intakes", web::get().to(cases::intakes))
        .route("/moderation/audit", web::get().to(audit::list))
        .route("/moderation/audit/verify", web::get().to(audit::verify))
        .route(
            "/moderation/code-of-conduct",
            web::post().to(audit::publish_code_of_conduct),
        );
}
