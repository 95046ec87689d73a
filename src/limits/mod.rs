//! Per-client rate limits: one [`governor`] keyed limiter (GCRA, a token bucket without a timer) per
//! [`Budget`], keyed by the client address ([`client_ip`], which applies `TRUSTED_PROXIES`). The
//! middleware [`guard`] classifies each request by method and path ([`classify`]); a client over
//! the budget gets `429` problem+json with `Retry-After` (a browser gets the friendly page, which
//! keeps the header), before any handler or database work runs.
//!
//! The budgets are sized so that a real person never meets them, even several people behind one
//! office or carrier NAT, while a script meets them within its first second or so. IPv6 clients
//! are keyed by their /64, because one host usually holds a whole /64. `RATE_LIMITS=off` turns
//! the checks off (benchmarks); the client address is still resolved and stored.
//!
//! Memory stays bounded: every [`RETAIN_EVERY`] checks of a budget, the clients whose bucket has
//! filled up again (indistinguishable from a new client) are dropped.

mod classify;
mod client;

use std::{
    future::Future,
    net::{IpAddr, Ipv6Addr},
    num::NonZeroU32,
    sync::atomic::{AtomicU64, Ordering},
    time::Duration,
};

use actix_web::{
    HttpMessage, ResponseError,
    body::EitherBody,
    dev::{Service, ServiceRequest, ServiceResponse},
    web,
};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter, clock::Clock};

pub use classify::classify;
pub use client::{ClientIp, client_ip, resolve};

use crate::{error::AppError, http::AppState};

/// How many checks of one budget between two sweeps of clients that are back to a full bucket.
pub const RETAIN_EVERY: u64 = 4096;

/// What a request spends. See README "Rate limits" for the numbers and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Budget {
    /// Creating an intake (API and page form). A victim reports one incident.
    Intake,
    /// A victim acting on their case: ask an expert, tick steps, close, feedback, complaint, erase.
    VictimAction,
    /// Anything that presents a case or link token without changing anything (viewing the case).
    TokenLookup,
    /// Logging in (API and page). The per-account lockout protects each account on top.
    Login,
    /// Registering an expert company.
    Registration,
    /// Confirming a verification link or asking for a new one (the latter sends mail).
    Verification,
    /// Place suggestions while typing.
    Places,
    /// The readiness probe, for load balancers that ask every few seconds.
    Probe,
    /// The Prometheus scrape (`/metrics`), which reads the database: a scraper every second or
    /// two, even a pair of them behind one address, stays far below it.
    Metrics,
}

impl Budget {
    pub const ALL: [Budget; 9] = [
        Budget::Intake,
        Budget::VictimAction,
        Budget::TokenLookup,
        Budget::Login,
        Budget::Registration,
        Budget::Verification,
        Budget::Places,
        Budget::Probe,
        Budget::Metrics,
    ];

    /// The burst a fresh client may spend at once, and how often one more becomes available.
    pub const fn allowance(self) -> (u32, Duration) {
        match self {
            Budget::Intake => (10, Duration::from_secs(120)),
            Budget::VictimAction => (30, Duration::from_secs(2)),
            Budget::TokenLookup => (60, Duration::from_secs(1)),
            Budget::Login => (10, Duration::from_secs(30)),
            Budget::Registration => (5, Duration::from_secs(600)),
            Budget::Verification => (10, Duration::from_secs(60)),
            Budget::Places => (120, Duration::from_millis(250)),
            Budget::Probe => (30, Duration::from_millis(200)),
            Budget::Metrics => (20, Duration::from_millis(250)),
        }
    }

    /// A short name for logs.
    pub const fn name(self) -> &'static str {
        match self {
            Budget::Intake => "intake",
            Budget::VictimAction => "victim_action",
            Budget::TokenLookup => "token_lookup",
            Budget::Login => "login",
            Budget::Registration => "registration",
            Budget::Verification => "verification",
            Budget::Places => "places",
            Budget::Probe => "probe",
            Budget::Metrics => "metrics",
        }
    }

    fn quota(self) -> Quota {
        let (burst, period) = self.allowance();
        let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
        Quota::with_period(period)
            .unwrap_or_else(|| Quota::per_second(burst))
            .allow_burst(burst)
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// One limiter per budget, shared by all workers.
pub struct Limits {
    enabled: bool,
    limiters: Vec<DefaultKeyedRateLimiter<IpAddr>>,
    checks: Vec<AtomicU64>,
}

impl Limits {
    /// Limits as configured: `enabled` is `RATE_LIMITS`.
    pub fn new(enabled: bool) -> Self {
        Self {
            enabled,
            limiters: Budget::ALL
                .iter()
                .map(|b| RateLimiter::keyed(b.quota()))
                .collect(),
            checks: Budget::ALL.iter().map(|_| AtomicU64::new(0)).collect(),
        }
    }

    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// Spends one unit of `budget` for `client`; `Err(seconds)` until it may try again (≥ 1).
    pub fn check(&self, budget: Budget, client: IpAddr) -> Result<(), u64> {
        if !self.enabled {
            return Ok(());
        }
        let limiter = &self.limiters[budget.index()];
        if self.checks[budget.index()].fetch_add(1, Ordering::Relaxed) % RETAIN_EVERY
            == RETAIN_EVERY - 1
        {
            limiter.retain_recent();
        }
        limiter.check_key(&key(client)).map_err(|not_until| {
            let wait = not_until.wait_time_from(limiter.clock().now());
            (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1)
        })
    }

    /// How many clients one budget currently remembers (for tests and diagnostics).
    pub fn clients(&self, budget: Budget) -> usize {
        self.limiters[budget.index()].len()
    }
}

/// The client as counted: IPv4 addresses as they are, IPv6 by their /64 (one host usually holds
/// a whole /64). The login lockout counts clients the same way.
pub fn key(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => IpAddr::V6(Ipv6Addr::from(u128::from(v6) & !(u64::MAX as u128))),
        v4 => v4,
    }
}

/// The middleware (`App::wrap_fn(limits::guard)`): stores the [`ClientIp`] in the request and
/// answers 429 when the request's budget is spent. It must sit inside `ErrorHandlers`, so that a
/// browser gets the friendly page.
pub fn guard<S, B>(
    req: ServiceRequest,
    srv: &S,
) -> impl Future<Output = Result<ServiceResponse<EitherBody<B>>, actix_web::Error>> + use<S, B>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error>,
{
    let client = client_ip(req.request());
    req.extensions_mut().insert(ClientIp(client));
    let refused = req.app_data::<web::Data<AppState>>().and_then(|state| {
        // The path as the router matches it (`%63ase` is `case`), not the raw one.
        let budget = classify(req.method(), req.match_info().as_str())?;
        let retry_after_secs = state.limits.check(budget, client).err()?;
        state.metrics.refused(budget);
        tracing::debug!(budget = budget.name(), %client, retry_after_secs, "rate limit reached");
        Some(retry_after_secs)
    });
    let outcome = match refused {
        None => Ok(srv.call(req)),
        Some(retry_after_secs) => Err((req, retry_after_secs)),
    };
    async move {
        match outcome {
            Ok(response) => response.await.map(ServiceResponse::map_into_left_body),
            Err((req, retry_after_secs)) => {
                let response = AppError::RateLimited { retry_after_secs }.error_response();
                Ok(req.into_response(response).map_into_right_body())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_passes_then_the_client_waits_while_others_do_not() {
        let limits = Limits::new(true);
        let (burst, period) = Budget::Login.allowance();
        let me: IpAddr = "192.0.2.1".parse().unwrap();
        for _ in 0..burst {
            assert_eq!(limits.check(Budget::Login, me), Ok(()));
        }
        let wait = limits.check(Budget::Login, me).unwrap_err();
        assert!(wait >= 1 && wait <= period.as_secs(), "{wait}");
        // Another client, and another budget of the same client, are untouched.
        assert_eq!(
            limits.check(Budget::Login, "192.0.2.2".parse().unwrap()),
            Ok(())
        );
        assert_eq!(limits.check(Budget::Intake, me), Ok(()));
    }

    #[test]
    fn switched_off_nothing_is_refused() {
        let limits = Limits::new(false);
        let me: IpAddr = "192.0.2.1".parse().unwrap();
        for _ in 0..100 {
            assert_eq!(limits.check(Budget::Registration, me), Ok(()));
        }
    }

    #[test]
    fn one_ipv6_host_is_one_client_per_64() {
        let limits = Limits::new(true);
        let (burst, _) = Budget::Registration.allowance();
        for i in 0..burst {
            let ip: IpAddr = format!("2001:db8:1:2::{i:x}").parse().unwrap();
            assert_eq!(limits.check(Budget::Registration, ip), Ok(()));
        }
        let same_64: IpAddr = "2001:db8:1:2:ffff::1".parse().unwrap();
        assert!(limits.check(Budget::Registration, same_64).is_err());
        let next_64: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(limits.check(Budget::Registration, next_64), Ok(()));
        assert_eq!(limits.clients(Budget::Registration), 2);
    }

    #[test]
    fn every_budget_has_a_burst_and_a_period() {
        for (i, budget) in Budget::ALL.into_iter().enumerate() {
            assert_eq!(budget.index(), i);
            let (burst, period) = budget.allowance();
            assert!(burst >= 5 && !period.is_zero(), "{budget:?}");
            assert_eq!(budget.quota().burst_size().get(), burst);
            assert_eq!(budget.quota().replenish_interval(), period);
        }
        // A scraper at one request a second is never refused.
        assert!(Budget::Metrics.allowance().1 < Duration::from_secs(1));
    }
}
