//! Who is calling: extractors that turn `Authorization: Bearer <token>` (or, for pages, the
//! `hh_session` cookie) into a live session, and narrow it to a role. Missing or dead token → 401; the wrong role → 403.
//! A state-changing API call carrying only the cookie must also pass the CSRF check
//! ([`super::pages::csrf::check_api_cookie_call`]), else 403.

use std::future::Future;
use std::pin::Pin;

use actix_web::{FromRequest, HttpRequest, dev::Payload, http::header, web};

use super::AppState;
use crate::accounts::sessions;
use crate::domain::{ExpertId, IntakeId};
use crate::domain::{Role, token::hash_token};
use crate::error::AppError;
use crate::telemetry::summary::WrongToken;

/// A caller with a live session.
#[derive(Debug, Clone)]
pub struct Authenticated {
    pub session_id: String,
    pub role: Role,
    /// The expert's or moderator's id.
    pub principal_id: String,
}

/// The bearer token of a request, if any.
pub fn bearer_token(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then(|| token.to_owned())
}

impl FromRequest for Authenticated {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let bearer = bearer_token(req);
        let from_cookie = bearer.is_none();
        let token = bearer.or_else(|| {
            super::cookies::value(req, super::sessions::SESSION_COOKIE).filter(|v| !v.is_empty())
        });
        // Pages check their forms' CSRF token themselves (`PageForm`); the API does it here.
        let forged =
            (from_cookie && token.is_some() && !req.method().is_safe() && super::is_api(req))
                .then(|| super::pages::csrf::check_api_cookie_call(req).err())
                .flatten();
        let state = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            if let Some(refused) = forged {
                return Err(refused);
            }
            let state = state.ok_or_else(|| AppError::internal("AppState is not registered"))?;
            let token = token.ok_or_else(|| {
                AppError::Unauthorized("Log in first: send Authorization: Bearer <token>.".into())
            })?;
            let found = state
                .workflow(move |ctx, conn| sessions::find_live(conn, &token, ctx.now))
                .await?;
            let session = found.ok_or_else(|| {
                AppError::Unauthorized(
                    "This session has ended or is not valid; log in again.".into(),
                )
            })?;
            let role = session
                .role()
                .ok_or_else(|| AppError::internal(format!("unknown role {:?}", session.role)))?;
            Ok(Self {
                session_id: session.id,
                role,
                principal_id: session.principal_id,
            })
        })
    }
}

impl Authenticated {
    /// The principal as an expert (for a session whose role is [`Role::Expert`]).
    pub fn expert_id(&self) -> ExpertId {
        ExpertId::from(self.principal_id.as_str())
    }
}

impl ExpertAuth {
    /// The logged-in expert.
    pub fn id(&self) -> ExpertId {
        self.0.expert_id()
    }
}

/// A logged-in PVO moderator.
#[derive(Debug, Clone)]
pub struct ModeratorAuth(pub Authenticated);

/// A logged-in expert company.
#[derive(Debug, Clone)]
pub struct ExpertAuth(pub Authenticated);

macro_rules! role_extractor {
    ($name:ident, $role:expr) => {
        impl FromRequest for $name {
            type Error = AppError;
            type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

            fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
                let auth = Authenticated::from_request(req, payload);
                Box::pin(async move {
                    let auth = auth.await?;
                    if auth.role == $role {
                        Ok(Self(auth))
                    } else {
                        Err(AppError::Forbidden)
                    }
                })
            }
        }
    };
}

role_extractor!(ModeratorAuth, Role::Moderator);
role_extractor!(ExpertAuth, Role::Expert);

/// A victim holding the case token of one intake (`Authorization: Bearer <access_token>`).
#[derive(Debug, Clone)]
pub struct VictimAuth {
    pub intake_id: IntakeId,
}

impl VictimAuth {
    /// The intake of the path must be the token's own; any other is "not found" (never 403, so
    /// that ids cannot be probed).
    pub fn require(&self, intake_id: &IntakeId) -> Result<(), AppError> {
        if self.intake_id == *intake_id {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }
}

/// The hash of the case token `req` carries; 401 without one.
pub struct CaseTokenHash(String);

impl CaseTokenHash {
    pub fn of(req: &HttpRequest) -> Result<Self, AppError> {
        let token = bearer_token(req).ok_or_else(|| {
            AppError::Unauthorized(
                "Send the case token: Authorization: Bearer <access_token>.".into(),
            )
        })?;
        Ok(Self(hash_token(&token)))
    }

    /// The intake this token opens, looked up on `conn`: for a handler that reads the case on
    /// the same connection and blocking task instead of checking out a second one. `None`:
    /// the token matches no intake, answer [`VictimAuth::unknown`].
    pub fn lookup(&self, conn: &mut crate::db::DbConn) -> Result<Option<VictimAuth>, AppError> {
        Ok(
            crate::db::models::intake::intake_id_for_token(conn, &self.0)?
                .map(|intake_id| VictimAuth { intake_id }),
        )
    }
}

impl VictimAuth {
    /// A token that matched nothing: counted as a guess, answered 404.
    pub fn unknown(state: &AppState) -> AppError {
        state.metrics.unknown(WrongToken::Case)
    }
}

impl FromRequest for VictimAuth {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let token = CaseTokenHash::of(req);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            let state = state.ok_or_else(|| AppError::internal("AppState is not registered"))?;
            let token = token?;
            let found = state.db.run(move |conn| token.lookup(conn)).await?;
            found.ok_or_else(|| Self::unknown(&state))
        })
    }
}
