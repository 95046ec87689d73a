//! The routed pattern of a request (`/api/v1/intakes/{id}`, never the path with its tokens), for
//! the request's log span and its metrics label.
//!
//! actix answers `match_pattern` by walking every route again, with a regex match for each
//! dynamic one; asked twice a request (span and metrics) it was the largest single cost of a
//! cheap answer. So it is found once per request and path and kept in the request's extensions,
//! and a path that is its own pattern (a static route such as `/api/v1/incident-types`) is
//! remembered per worker thread: that set holds route patterns only, so it is bounded by the
//! routes and never holds a token.

use std::{cell::RefCell, collections::HashSet, rc::Rc};

use actix_web::{HttpMessage, dev::ServiceRequest};

/// The pattern found for one path of this request.
struct Routed {
    path: Box<str>,
    pattern: Option<Rc<str>>,
}

thread_local! {
    static STATIC_ROUTES: RefCell<HashSet<Box<str>>> = RefCell::new(HashSet::new());
}

/// The pattern of the route `req`'s current path matches, if any.
pub fn pattern(req: &ServiceRequest) -> Option<Rc<str>> {
    let path = req.path();
    if let Some(routed) = req.extensions().get::<Routed>()
        && *routed.path == *path
    {
        return routed.pattern.clone();
    }
    let pattern: Option<Rc<str>> = if STATIC_ROUTES.with(|s| s.borrow().contains(path)) {
        Some(Rc::from(path))
    } else {
        let found = req.match_pattern();
        if found.as_deref() == Some(path) {
            STATIC_ROUTES.with(|s| s.borrow_mut().insert(path.into()));
        }
        found.map(Rc::from)
    };
    let routed = Routed {
        path: path.into(),
        pattern: pattern.clone(),
    };
    req.extensions_mut().insert(routed);
    pattern
}

#[cfg(test)]
mod tests {
    use actix_web::{
        App, HttpResponse,
        dev::Service,
        http::header::{HeaderName, HeaderValue},
        test, web,
    };

    use super::*;

    #[actix_web::test]
    async fn finds_each_pattern_once_and_remembers_only_static_routes() {
        let app = test::init_service(
            App::new()
                .wrap_fn(|req, srv| {
                    let found = pattern(&req).map(|p| p.to_string());
                    // Asked again (the metrics after the span): the same answer.
                    assert_eq!(pattern(&req).map(|p| p.to_string()), found);
                    let response = srv.call(req);
                    async move {
                        let mut response = response.await?;
                        let value = HeaderValue::from_str(found.as_deref().unwrap_or("none"))?;
                        let name = HeaderName::from_static("x-route");
                        response.headers_mut().insert(name, value);
                        Ok(response)
                    }
                })
                .route("/static", web::get().to(HttpResponse::Ok))
                .route("/case/{token}", web::get().to(HttpResponse::Ok)),
        )
        .await;
        for (path, route) in [
            ("/static", "/static"),
            ("/static", "/static"),
            ("/case/secret", "/case/{token}"),
            ("/case/secret", "/case/{token}"),
            ("/nowhere", "none"),
        ] {
            let request = test::TestRequest::get().uri(path).to_request();
            let response = test::call_service(&app, request).await;
            assert_eq!(response.headers().get("x-route").unwrap(), route, "{path}");
        }
        STATIC_ROUTES.with(|routes| {
            let routes = routes.borrow();
            assert!(routes.contains("/static"));
            assert!(!routes.iter().any(|p| p.contains("secret")), "{routes:?}");
        });
    }
}
