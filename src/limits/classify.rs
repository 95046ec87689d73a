//! Which budget a request spends, from its method and (normalised) path alone, so the check runs
//! before any handler, extractor or database work. Routes not named here spend nothing.

use actix_web::http::Method;

use super::Budget;

/// The budget of `method path`, or `None` for routes without a per-client limit.
pub fn classify(method: &Method, path: &str) -> Option<Budget> {
    let reads = *method == Method::GET || *method == Method::HEAD;
    let post = *method == Method::POST;
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    match segments.as_slice() {
        // The public counts are cheap and cached for a minute: the same budget as place lookups.
        ["api", "v1", "places"] | ["api", "v1", "stats", "public"] if reads => Some(Budget::Places),
        // The readiness probe takes a pooled connection (SQLite: the write lock, briefly).
        ["readyz"] => Some(Budget::Probe),
        ["metrics"] => Some(Budget::Metrics),
        ["api", "v1", "intakes"] | ["intake"] if post => Some(Budget::Intake),
        // Everything on one intake is the victim's (case token or one-click link token).
        ["api", "v1", "intakes", _, ..] | ["case", _, ..] | ["feedback" | "resilience", _] => {
            Some(if reads {
                Budget::TokenLookup
            } else {
                Budget::VictimAction
            })
        }
        ["api", "v1", "sessions"] | ["login"] if post => Some(Budget::Login),
        ["api", "v1", "experts"] | ["experts", "register"] if post => Some(Budget::Registration),
        ["api", "v1", "experts", "verify"]
        | ["api", "v1", "experts", "me", "verification"]
        | ["experts", "verify"]
        | ["expert", "verification"]
            if post =>
        {
            Some(Budget::Verification)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Budget::*;

    #[test]
    fn every_limited_route_has_its_budget() {
        let (get, post, delete) = (Method::GET, Method::POST, Method::DELETE);
        for (method, path, budget) in [
            (&post, "/api/v1/intakes", Some(Intake)),
            (&post, "/intake", Some(Intake)),
            (&post, "/expert/verification", Some(Verification)),
            (&get, "/readyz", Some(Probe)),
            (&get, "/metrics", Some(Metrics)),
            (&get, "/intake", None),
            (&get, "/api/v1/intakes/abc", Some(TokenLookup)),
            (&delete, "/api/v1/intakes/abc", Some(VictimAction)),
            (&post, "/api/v1/intakes/abc/requests", Some(VictimAction)),
            (&post, "/api/v1/intakes/abc/steps/2", Some(VictimAction)),
            (&post, "/api/v1/intakes/abc/close", Some(VictimAction)),
            (&post, "/api/v1/intakes/abc/feedback", Some(VictimAction)),
            (&post, "/api/v1/intakes/abc/resilience", Some(VictimAction)),
            (&post, "/api/v1/intakes/abc/complaints", Some(VictimAction)),
            (&get, "/case/tok", Some(TokenLookup)),
            (&Method::HEAD, "/case/tok", Some(TokenLookup)),
            (&get, "/case/tok/erase", Some(TokenLookup)),
            (&get, "/case/tok/export", Some(TokenLookup)),
            (&get, "/api/v1/intakes/abc/export", Some(TokenLookup)),
            (&get, "/api/v1/experts/me/export", None),
            (&get, "/expert/export", None),
            (&post, "/case/tok/ask", Some(VictimAction)),
            (&post, "/case/tok/steps/1", Some(VictimAction)),
            (&post, "/case/tok/close", Some(VictimAction)),
            (&post, "/case/tok/feedback", Some(VictimAction)),
            (&post, "/case/tok/complaint", Some(VictimAction)),
            (&post, "/case/tok/erase", Some(VictimAction)),
            (&get, "/feedback/tok", Some(TokenLookup)),
            (&post, "/feedback/tok", Some(VictimAction)),
            (&get, "/resilience/tok", Some(TokenLookup)),
            (&post, "/resilience/tok", Some(VictimAction)),
            (&post, "/api/v1/sessions", Some(Login)),
            (&delete, "/api/v1/sessions", None),
            (&post, "/login", Some(Login)),
            (&get, "/login", None),
            (&post, "/api/v1/experts", Some(Registration)),
            (&post, "/experts/register", Some(Registration)),
            (&get, "/experts/register", None),
            (&post, "/api/v1/experts/verify", Some(Verification)),
            (&post, "/api/v1/experts/me/verification", Some(Verification)),
            (&post, "/experts/verify", Some(Verification)),
            (&get, "/experts/verify", None),
            (&get, "/api/v1/places", Some(Places)),
            (&get, "/api/v1/stats/public", Some(Places)),
            (&get, "/api/v1/stats", None),
            (&get, "/", None),
            (&get, "/healthz", None),
            (&get, "/static/app.css", None),
            (&get, "/api/v1/experts/me", None),
            (&post, "/api/v1/requests/r1/accept", None),
            (&post, "/experts/requests/r1/accept", None),
            (&get, "/moderator/experts", None),
        ] {
            assert_eq!(classify(method, path), budget, "{method} {path}");
        }
    }
}
