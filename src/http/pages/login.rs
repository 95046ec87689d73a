//! Log in and out for experts and moderators alike. A login calls the same authentication as
//! `POST /api/v1/sessions` (lockout included), sets the `hh_session` cookie and goes to the
//! expert's profile or the moderators' queue. Logging out is a POST with the CSRF token.

use actix_web::cookie::time;
use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use serde::Deserialize;
use serde_json::json;

use super::csrf::PageForm;
use super::form::{FieldSpec, FormErrors, field_views};
use super::{PageCtx, redirect};
use crate::accounts::{login, sessions};
use crate::domain::{Email, Role};
use crate::error::AppError;
use crate::http::AppState;
use crate::http::auth::Authenticated;
use crate::http::sessions::{session_cookie, session_max_age};

const FIELDS: [FieldSpec; 2] = [
    FieldSpec::text("email", "login.email", "login.error.email").kind("email", "username"),
    FieldSpec::text("password", "login.password", "login.error.password")
        .kind("password", "current-password"),
];

#[derive(Deserialize, Default)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    /// Where to go after logging in (a path of this site).
    #[serde(default)]
    next: String,
}

/// `next` when it is a path on this site (never another host), else nothing.
fn safe_next(next: &str) -> Option<&str> {
    // Only visible ASCII: browsers drop tabs and newlines, so "/\t/evil.example" would become
    // the protocol-relative "//evil.example".
    Some(next).filter(|n| {
        n.bytes().all(|b| b.is_ascii_graphic())
            && n.starts_with('/')
            && !n.starts_with("//")
            && !n.contains('\\')
            && !n.contains("://")
    })
}

/// Where a role lands after logging in.
pub fn home_of(role: Role) -> &'static str {
    match role {
        Role::Expert => "/expert",
        Role::Moderator => "/moderator/experts",
    }
}

fn render(
    req: &HttpRequest,
    state: &AppState,
    status: StatusCode,
    email: &str,
    next: &str,
    errors: &FormErrors,
) -> Result<HttpResponse, AppError> {
    let values = json!({ "email": email });
    let next = safe_next(next).unwrap_or_default();
    PageCtx::new(req, state).render(
        "login",
        status,
        json!({
            "fields": field_views(&FIELDS, &values, errors),
            "summary": errors.summary(&["email", "password"]),
            "next": next,
        }),
    )
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// `GET /login` (`?next=/path` to come back after logging in)
pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<NextQuery>,
) -> Result<HttpResponse, AppError> {
    let next = query.next.as_deref().unwrap_or_default();
    render(
        &req,
        &state,
        StatusCode::OK,
        "",
        next,
        &FormErrors::default(),
    )
}

/// `POST /login`
pub async fn submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    PageForm(form): PageForm<LoginForm>,
) -> Result<HttpResponse, AppError> {
    let mut errors = FormErrors::default();
    let email = Email::parse(&form.email).ok();
    if email.is_none() {
        errors.field("email", "login.error.email");
    }
    if form.password.is_empty() {
        errors.field("password", "login.error.password");
    }
    let Some(email) = email.filter(|_| errors.is_empty()) else {
        return render(
            &req,
            &state,
            StatusCode::UNPROCESSABLE_ENTITY,
            &form.email,
            &form.next,
            &errors,
        );
    };
    let attempt = login::Attempt {
        email,
        password: form.password,
        client: crate::limits::client_ip(&req),
    };
    match login::log_in(&state.runner(), attempt).await {
        Ok(session) => {
            let cookie = session_cookie(&state, session.token, session_max_age());
            let target = safe_next(&form.next).unwrap_or(home_of(session.role));
            let mut response = redirect(target);
            response.add_cookie(&cookie).map_err(AppError::internal)?;
            Ok(response)
        }
        Err(AppError::Unauthorized(_)) => {
            errors.general("login.error.wrong");
            render(
                &req,
                &state,
                StatusCode::UNAUTHORIZED,
                &form.email,
                &form.next,
                &errors,
            )
        }
        Err(AppError::RateLimited { .. }) => {
            errors.general("login.error.locked");
            render(
                &req,
                &state,
                StatusCode::TOO_MANY_REQUESTS,
                &form.email,
                &form.next,
                &errors,
            )
        }
        Err(other) => Err(other),
    }
}

#[derive(Deserialize)]
pub struct Empty {}

/// `POST /logout`: ends the session (if any) and forgets the cookie.
pub async fn logout(
    state: web::Data<AppState>,
    auth: Option<Authenticated>,
    _: PageForm<Empty>,
) -> Result<HttpResponse, AppError> {
    if let Some(auth) = auth {
        state
            .workflow(move |ctx, conn| sessions::end(conn, &auth.session_id, ctx.now))
            .await?;
    }
    let mut response = redirect("/");
    response
        .add_cookie(&session_cookie(&state, String::new(), time::Duration::ZERO))
        .map_err(AppError::internal)?;
    Ok(response)
}

/// For page handlers: a missing or ended session goes to the login page, other errors stay.
pub fn login_first(error: AppError) -> Result<HttpResponse, AppError> {
    match error {
        AppError::Unauthorized(_) => Ok(redirect("/login")),
        other => Err(other),
    }
}

/// Like [`login_first`], coming back to `path` after logging in.
pub fn login_then(error: AppError, path: &str) -> Result<HttpResponse, AppError> {
    match error {
        AppError::Unauthorized(_) => {
            let next: String = url::form_urlencoded::byte_serialize(path.as_bytes()).collect();
            Ok(redirect(&format!("/login?next={next}")))
        }
        other => Err(other),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_paths_of_this_site_are_followed_after_login() {
        assert_eq!(
            safe_next("/experts/requests/1"),
            Some("/experts/requests/1")
        );
        for bad in [
            "",
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/ /x",
            "expert",
        ] {
            assert_eq!(safe_next(bad), None, "{bad:?}");
        }
    }
}
