//! The route registry of the JSON API: every module adds its `/api/v1` routes here (method, path,
//! handler) instead of mounting them on actix itself. The registry then mounts one resource per
//! path, so a known path asked with another method is a 405 problem with `Allow` (not a 404),
//! and the very list that is mounted is what the OpenAPI coverage test compares with the
//! document ([`ApiRoutes::list`]).

use actix_web::{
    FromRequest, Handler, HttpResponse, Responder,
    http::{Method, header},
    web,
};

use crate::error::AppError;

/// The API's routes in the order they were added (actix tries resources in that order).
#[derive(Default)]
pub struct ApiRoutes {
    entries: Vec<(Method, &'static str, actix_web::Route)>,
}

impl ApiRoutes {
    /// Adds `method path` answered by `handler`.
    pub fn add<F, Args>(&mut self, method: Method, path: &'static str, handler: F) -> &mut Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        let route = web::route().method(method.clone()).to(handler);
        self.entries.push((method, path, route));
        self
    }

    pub fn get<F, Args>(&mut self, path: &'static str, handler: F) -> &mut Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.add(Method::GET, path, handler)
    }

    pub fn post<F, Args>(&mut self, path: &'static str, handler: F) -> &mut Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.add(Method::POST, path, handler)
    }

    pub fn patch<F, Args>(&mut self, path: &'static str, handler: F) -> &mut Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.add(Method::PATCH, path, handler)
    }

    pub fn delete<F, Args>(&mut self, path: &'static str, handler: F) -> &mut Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.add(Method::DELETE, path, handler)
    }

    /// Every mounted route as (method, path below `/api/v1`), in order.
    pub fn list(&self) -> Vec<(Method, &'static str)> {
        self.entries
            .iter()
            .map(|(method, path, _)| (method.clone(), *path))
            .collect()
    }

    /// Mounts one resource per path with all its methods; any other method on that path is a
    /// 405 problem naming the allowed ones in `Allow`.
    pub fn mount(self, cfg: &mut web::ServiceConfig) {
        let mut paths: Vec<&'static str> = Vec::new();
        for (_, path, _) in &self.entries {
            if !paths.contains(path) {
                paths.push(path);
            }
        }
        let mut entries: Vec<_> = self.entries.into_iter().map(Some).collect();
        for path in paths {
            let mut resource = web::resource(path);
            let mut allowed = Vec::new();
            for slot in entries.iter_mut() {
                if slot.as_ref().is_some_and(|(_, p, _)| *p == path) {
                    let (method, _, route) = slot.take().expect("checked");
                    allowed.push(method.to_string());
                    resource = resource.route(route);
                }
            }
            let allow = allowed.join(", ");
            cfg.service(resource.default_service(web::to(move || {
                let allow = allow.clone();
                async move { method_not_allowed(&allow) }
            })));
        }
    }
}

fn method_not_allowed(allow: &str) -> HttpResponse {
    use actix_web::ResponseError;
    let mut response = AppError::MethodNotAllowed.error_response();
    if let Ok(value) = header::HeaderValue::from_str(allow) {
        response.headers_mut().insert(header::ALLOW, value);
    }
    response
}

/// Every `/api/v1` route of the service, from each module's `routes`.
pub fn api() -> ApiRoutes {
    let mut r = ApiRoutes::default();
    super::register_api(&mut r);
    r
}
