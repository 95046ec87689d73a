//! Prometheus metrics, served by `GET /metrics` in the text format (see README "Metrics").
//!
//! Each [`Application`](crate::startup::Application) owns one [`Metrics`] (its own registry, no
//! process-wide recorder), kept in `AppState`. Counters move where things happen: every request
//! in the [`record`] middleware, a rate-limit refusal in `limits::guard`, a wrong capability token
//! where its 404 (or 422) is decided ([`Metrics::wrong_token`]). Gauges about the database are
//! read at scrape time ([`crate::db::models::gauges`]): two small indexed aggregates, correct
//! across instances and restarts, which counters kept up by the jobs would not be. They live in a
//! registry of their own, so that a scrape whose database read failed leaves exactly them out
//! (no stale figure passed off as current) and still serves everything the process knows, with
//! `database_up` 0.
//!
//! No label holds a token or personal data: requests are labelled by the routed pattern
//! (`/case/{token}`, never the path), a normalised method and the status code; the other labels
//! are fixed code lists (budgets, token kinds, urgencies, pool states).

mod record;
mod token;

use std::time::Duration;

use chrono::NaiveDateTime;
use prometheus::{
    Encoder, Gauge, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, IntGaugeVec, Opts,
    Registry, TextEncoder,
};

pub use record::{METRICS_ROUTE, record};
pub use token::MetricsToken;

use crate::db::models::gauges::Snapshot;
use crate::domain::Urgency;
use crate::limits::Budget;
use crate::telemetry::summary::{self, WrongToken};

/// The route label of a request that matched no route (scanners, typos): one series for all.
pub const UNMATCHED: &str = "unmatched";

/// The metrics of one application.
pub struct Metrics {
    registry: Registry,
    /// The gauges read from the database, gathered only when that read succeeded.
    from_database: Registry,
    database_up: IntGauge,
    requests: IntCounterVec,
    latency: HistogramVec,
    refusals: IntCounterVec,
    wrong_tokens: IntCounterVec,
    outbox_unsent: IntGauge,
    outbox_oldest_age: Gauge,
    pending_requests: IntGaugeVec,
    pool: IntGaugeVec,
    pool_max: IntGauge,
}

impl Metrics {
    /// A fresh registry with every metric registered, and every fixed label set at zero, so that
    /// a refusal class or token kind that never occurred still shows as `0`.
    pub fn new(pool_size: u32) -> Self {
        let namespaced = || {
            Registry::new_custom(Some("hackhelpdesk".into()), None)
                .expect("the namespace is a valid metric name")
        };
        let m = Self {
            database_up: IntGauge::new(
                "database_up",
                "1 when this scrape's database read succeeded, 0 when it failed.",
            )
            .expect("valid gauge"),
            requests: counter(
                "http_requests_total",
                "HTTP requests answered, by method, routed pattern and status code.",
                &["method", "route", "status"],
            ),
            latency: HistogramVec::new(
                HistogramOpts::new(
                    "http_request_duration_seconds",
                    "Time from request to response head, by method and routed pattern.",
                ),
                &["method", "route"],
            )
            .expect("valid histogram"),
            refusals: counter(
                "rate_limit_refusals_total",
                "Requests refused with 429 by the per-client rate limits, by budget.",
                &["class"],
            ),
            wrong_tokens: counter(
                "wrong_tokens_total",
                "Case, one-click and verification tokens that matched nothing (guesses).",
                &["kind"],
            ),
            outbox_unsent: IntGauge::new(
                "outbox_unsent",
                "Emails queued and not yet sent (given-up ones excluded).",
            )
            .expect("valid gauge"),
            outbox_oldest_age: Gauge::new(
                "outbox_oldest_unsent_age_seconds",
                "Age of the oldest unsent email; 0 when none waits.",
            )
            .expect("valid gauge"),
            pending_requests: IntGaugeVec::new(
                Opts::new(
                    "help_requests_pending",
                    "Help requests waiting for the expert's answer, by the intake's urgency.",
                ),
                &["urgency"],
            )
            .expect("valid gauge"),
            pool: IntGaugeVec::new(
                Opts::new(
                    "db_pool_connections",
                    "This instance's database connections, in use or idle.",
                ),
                &["state"],
            )
            .expect("valid gauge"),
            pool_max: IntGauge::new("db_pool_max_connections", "DB_POOL_SIZE of this instance.")
                .expect("valid gauge"),
            registry: namespaced(),
            from_database: namespaced(),
        };
        m.register_all();
        m.pool_max.set(i64::from(pool_size));
        for budget in Budget::ALL {
            m.refusals.with_label_values(&[budget.name()]);
        }
        for kind in WrongToken::ALL {
            m.wrong_tokens.with_label_values(&[kind.name()]);
        }
        m
    }

    fn register_all(&self) {
        let in_process: Vec<Box<dyn prometheus::core::Collector>> = vec![
            Box::new(self.requests.clone()),
            Box::new(self.latency.clone()),
            Box::new(self.refusals.clone()),
            Box::new(self.wrong_tokens.clone()),
            Box::new(self.database_up.clone()),
            Box::new(self.pool.clone()),
            Box::new(self.pool_max.clone()),
        ];
        let from_database: Vec<Box<dyn prometheus::core::Collector>> = vec![
            Box::new(self.outbox_unsent.clone()),
            Box::new(self.outbox_oldest_age.clone()),
            Box::new(self.pending_requests.clone()),
        ];
        let registries = [
            (&self.registry, in_process),
            (&self.from_database, from_database),
        ];
        for (registry, collectors) in registries {
            for collector in collectors {
                registry
                    .register(collector)
                    .expect("each metric is registered once");
            }
        }
    }

    /// Counts one answered request.
    pub fn observe_request(&self, method: &str, route: &str, status: u16, took: Duration) {
        self.requests
            .with_label_values(&[method, route, &status.to_string()])
            .inc();
        self.latency
            .with_label_values(&[method, route])
            .observe(took.as_secs_f64());
    }

    /// Counts one request refused by the rate limits.
    pub fn refused(&self, budget: Budget) {
        self.refusals.with_label_values(&[budget.name()]).inc();
    }

    /// Counts one token that matched nothing, here and in the log's minute summary.
    pub fn wrong_token(&self, kind: WrongToken) {
        self.wrong_tokens.with_label_values(&[kind.name()]).inc();
        summary::wrong_token(kind);
    }

    /// [`Metrics::wrong_token`], answered like any unknown id: 404.
    pub fn unknown(&self, kind: WrongToken) -> crate::error::AppError {
        self.wrong_token(kind);
        crate::error::AppError::NotFound
    }

    /// The text exposition, with the gauges set from `snapshot` (read at `now`; `None` when the
    /// read failed, which leaves those gauges out and sets `database_up` to 0) and `pool`
    /// (`(in use, idle)`).
    pub fn render(
        &self,
        snapshot: Option<&Snapshot>,
        now: NaiveDateTime,
        pool: (u32, u32),
    ) -> String {
        self.database_up.set(i64::from(snapshot.is_some()));
        self.pool
            .with_label_values(&["in_use"])
            .set(i64::from(pool.0));
        self.pool
            .with_label_values(&["idle"])
            .set(i64::from(pool.1));
        let mut families = self.registry.gather();
        if let Some(snapshot) = snapshot {
            self.set_database_gauges(snapshot, now);
            families.extend(self.from_database.gather());
        }
        let mut out = Vec::new();
        TextEncoder::new()
            .encode(&families, &mut out)
            .expect("the text encoder writes to memory");
        String::from_utf8(out).expect("the text format is UTF-8")
    }

    fn set_database_gauges(&self, snapshot: &Snapshot, now: NaiveDateTime) {
        self.outbox_unsent.set(snapshot.unsent);
        let age = snapshot
            .oldest_unsent
            .map_or(0.0, |oldest| (now - oldest).as_seconds_f64().max(0.0));
        self.outbox_oldest_age.set(age);
        for urgency in Urgency::ALL {
            let count = snapshot
                .pending_by_urgency
                .iter()
                .find(|(u, _)| *u == urgency)
                .map_or(0, |(_, n)| *n);
            self.pending_requests
                .with_label_values(&[urgency.as_str()])
                .set(count);
        }
    }
}

/// `Content-Type` of [`Metrics::render`]'s output.
pub const CONTENT_TYPE: &str = prometheus::TEXT_FORMAT;

fn counter(name: &str, help: &str, labels: &[&str]) -> IntCounterVec {
    IntCounterVec::new(Opts::new(name, help), labels).expect("valid counter")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fixed_label_shows_at_zero_and_the_gauges_follow_the_snapshot() {
        let metrics = Metrics::new(8);
        let now = chrono::DateTime::from_timestamp(1_800_000_000, 0)
            .unwrap()
            .naive_utc();
        let snapshot = Snapshot {
            unsent: 3,
            oldest_unsent: Some(now - chrono::TimeDelta::seconds(90)),
            pending_by_urgency: vec![(Urgency::Acute, 2)],
        };
        let text = metrics.render(Some(&snapshot), now, (1, 3));
        for line in [
            "hackhelpdesk_database_up 1",
            "hackhelpdesk_rate_limit_refusals_total{class=\"registration\"} 0",
            "hackhelpdesk_wrong_tokens_total{kind=\"verification\"} 0",
            "hackhelpdesk_outbox_unsent 3",
            "hackhelpdesk_outbox_oldest_unsent_age_seconds 90",
            "hackhelpdesk_help_requests_pending{urgency=\"acute\"} 2",
            "hackhelpdesk_help_requests_pending{urgency=\"past\"} 0",
            "hackhelpdesk_db_pool_connections{state=\"in_use\"} 1",
            "hackhelpdesk_db_pool_connections{state=\"idle\"} 3",
            "hackhelpdesk_db_pool_max_connections 8",
        ] {
            assert!(text.lines().any(|l| l == line), "{line} missing in\n{text}");
        }
        let idle = metrics.render(Some(&Snapshot::default()), now, (0, 1));
        assert!(idle.contains("hackhelpdesk_outbox_oldest_unsent_age_seconds 0\n"));
    }

    #[test]
    fn a_failed_read_leaves_out_the_database_gauges_and_keeps_the_rest() {
        let metrics = Metrics::new(8);
        metrics.refused(Budget::ALL[0]);
        let now = chrono::DateTime::from_timestamp(1_800_000_000, 0)
            .unwrap()
            .naive_utc();
        let down = metrics.render(None, now, (0, 2));
        assert!(down.contains("hackhelpdesk_database_up 0\n"), "{down}");
        assert!(down.contains("hackhelpdesk_db_pool_connections{state=\"idle\"} 2\n"));
        let refused = format!(
            "hackhelpdesk_rate_limit_refusals_total{{class=\"{}\"}} 1\n",
            Budget::ALL[0].name()
        );
        assert!(down.contains(&refused), "{down}");
        for gone in ["outbox_unsent", "outbox_oldest", "help_requests_pending"] {
            assert!(!down.contains(gone), "{gone} in\n{down}");
        }
    }
}
