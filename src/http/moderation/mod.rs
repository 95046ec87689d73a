//! The moderators' API (`/api/v1/moderation/…`): the review queue and the vetting decisions,
//! the audit log, complaints and intakes by status, and publishing the code of conduct. Every handler requires a moderator.

pub(crate) mod audit;
pub(crate) mod cases;
pub(crate) mod experts;
pub mod paging;

pub fn routes(r: &mut crate::http::routes::ApiRoutes) {
    r.get("/moderation/experts", experts::list);
    r.get("/moderation/experts/{id}", experts::show);
    r.post("/moderation/experts/{id}/approve", experts::approve);
    r.post("/moderation/experts/{id}/reject", experts::reject);
    r.post("/moderation/experts/{id}/suspend", experts::suspend);
    r.post("/moderation/experts/{id}/reinstate", experts::reinstate);
    r.get("/moderation/complaints", cases::complaints);
    r.post(
        "/moderation/complaints/{id}/handle",
        cases::handle_complaint,
    );
    r.post(
        "/moderation/complaints/{id}/suspend",
        cases::suspend_for_complaint,
    );
    r.get("/moderation/intakes", cases::intakes);
    r.get("/moderation/audit", audit::list);
    r.get("/moderation/audit/verify", audit::verify);
    r.post(
        "/moderation/code-of-conduct",
        audit::publish_code_of_conduct,
    );
}
