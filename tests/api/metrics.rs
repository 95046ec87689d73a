//! `GET /metrics` as Prometheus sees it: the text parses with a Prometheus text-format parser, and
//! after a small flow (an expert, an intake and its help request, guessed tokens, a flood of
//! registrations, mail that cannot go out) every figure moved by exactly what happened, with no
//! token or personal data in any label. With `METRICS_TOKEN` only its bearer may scrape.

use openmetrics_parser::{
    HistogramValue, MetricsExposition, PrometheusType, PrometheusValue,
    prometheus::parse_prometheus,
};
use serde_json::json;

use crate::helpers::{TestApp, assert_problem, case_of, expert_body, intake_body, spawn_app_with};
use crate::smtp_sink::free_port;

type Scrape = MetricsExposition<PrometheusType, PrometheusValue>;

const TOKEN: &str = "7d3f9a1c5e8b2d4f6a0c9e7b5d3f1a8c6e4b2d0f9a7c5e3b1d8f6a4c2e0b9d7f";

/// One scrape, parsed; panics unless the answer is a 200 in the text format.
pub(crate) async fn scrape(app: &TestApp, token: Option<&str>) -> Scrape {
    let mut request = app.client.get(app.url("/metrics"));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("scrape sent");
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/plain; version=0.0.4"
    );
    let text = response.text().await.expect("body");
    parse_prometheus(&text).unwrap_or_else(|e| panic!("not the text format ({e:?}):\n{text}"))
}

/// Every sample of `family` whose labels include `labels`, with all its labels.
fn samples<'a>(
    scrape: &'a Scrape,
    family: &str,
    labels: &[(&str, &str)],
) -> Vec<(Vec<(String, String)>, &'a PrometheusValue)> {
    let Some(family) = scrape.families.get(family) else {
        return Vec::new();
    };
    family
        .iter_samples()
        .map(|sample| {
            let set = sample.get_labelset().expect("label set");
            let pairs = set.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
            (pairs, &sample.value)
        })
        .filter(|(pairs, _): &(Vec<(String, String)>, _)| {
            labels
                .iter()
                .all(|(k, v)| pairs.iter().any(|(pk, pv)| pk == k && pv == v))
        })
        .collect()
}

/// The value of the one sample of `family` whose labels include `labels` (0 when none has);
/// for a histogram its count.
pub(crate) fn value(scrape: &Scrape, family: &str, labels: &[(&str, &str)]) -> f64 {
    let found = samples(scrape, family, labels);
    assert!(found.len() <= 1, "{family} {labels:?} is ambiguous");
    found.first().map_or(0.0, |(_, value)| match value {
        PrometheusValue::Counter(c) => c.value.as_f64(),
        PrometheusValue::Gauge(n) | PrometheusValue::Unknown(n) => n.as_f64(),
        PrometheusValue::Histogram(h) => h.count.expect("a count") as f64,
        PrometheusValue::Summary(_) => panic!("no summaries are exported"),
    })
}

fn histogram(scrape: &Scrape, family: &str, labels: &[(&str, &str)]) -> HistogramValue {
    match samples(scrape, family, labels).as_slice() {
        [(_, PrometheusValue::Histogram(h))] => h.clone(),
        other => panic!("{family} {labels:?}: {other:?}"),
    }
}

pub(crate) fn requests(scrape: &Scrape, method: &str, route: &str, status: &str) -> f64 {
    let labels = [("method", method), ("route", route), ("status", status)];
    value(scrape, "hackhelpdesk_http_requests_total", &labels)
}

fn delta(before: &Scrape, after: &Scrape, metric: &str, labels: &[(&str, &str)]) -> f64 {
    value(after, metric, labels) - value(before, metric, labels)
}

/// The templates of the emails not sent, in alphabetical order.
async fn unsent_templates(app: &TestApp) -> Vec<String> {
    use diesel::prelude::*;
    use hackhelpdesk::db::schema::outbox;
    app.state
        .db
        .run(|conn| {
            Ok(outbox::table
                .filter(outbox::sent_at.is_null())
                .order(outbox::template.asc())
                .select(outbox::template)
                .load(conn)?)
        })
        .await
        .expect("outbox readable")
}

/// An app whose mail cannot go out: every queued email stays unsent.
async fn app_without_mail() -> TestApp {
    let down = format!("smtp://127.0.0.1:{}", free_port());
    spawn_app_with(&[("SMTP_URL", &down)]).await
}

const GUESS: &str = "Zm9yZ2VkLXRva2VuLXRoYXQtbWF0Y2hlcy1ub3RoaW5n";
const OLDEST_AGE: &str = "hackhelpdesk_outbox_oldest_unsent_age_seconds";
const PENDING: &str = "hackhelpdesk_help_requests_pending";

#[tokio::test]
async fn a_small_flow_moves_every_figure_by_exactly_what_happened() {
    let app = app_without_mail().await;
    let before = scrape(&app, None).await;
    assert_eq!(value(&before, "hackhelpdesk_outbox_unsent", &[]), 0.0);
    assert_eq!(value(&before, OLDEST_AGE, &[]), 0.0);
    assert_eq!(value(&before, PENDING, &[("urgency", "acute")]), 0.0);

    // An approved expert near Bergen op Zoom (one registration, one verification), an intake
    // it matches, and a help request to it.
    let moderator = app.moderator_token().await;
    let expert_id = app.approved_expert(&moderator, &expert_body(1)).await;
    let created = app.intake(&intake_body()).await;
    let request_ids = app.ask_ok(&created, &[&expert_id]).await;
    let (intake_id, case_token) = case_of(&created);
    guess_and_flood(&app, intake_id).await;
    app.clock.advance(chrono::Duration::seconds(90));

    let after = scrape(&app, None).await;
    assert_counters(&before, &after);
    assert_requests(&after);
    assert_gauges(&app, &after).await;
    let secrets = [
        GUESS,
        case_token,
        intake_id,
        &expert_id,
        &request_ids[0],
        "jan@bakkerij-devries.nl",
        "Jan de Vries",
        "info1@veilig-it.nl",
        "wp-login",
    ];
    assert_no_label_holds(&after, &secrets);

    // The expert accepts: nothing is pending any more.
    let expert = app.expert_token(1).await;
    let accepted = app
        .respond(&request_ids[0], "accept", &expert, &json!({}))
        .await;
    assert_eq!(accepted.status(), 200);
    let later = scrape(&app, None).await;
    assert_eq!(value(&later, PENDING, &[("urgency", "acute")]), 0.0);
}

/// Guessed tokens (two case tokens, one one-click link, one verification link), a registration
/// flood (the budget of 5 had 1 spent, so 4 more pass and 2 are refused), unknown paths and a
/// trailing slash.
async fn guess_and_flood(app: &TestApp, intake_id: &str) {
    let intake_path = format!("/api/v1/intakes/{intake_id}");
    assert_eq!(app.get_auth(&intake_path, GUESS).await.status(), 404);
    assert_eq!(app.get(&format!("/case/{GUESS}")).await.status(), 404);
    assert_eq!(app.get(&format!("/feedback/{GUESS}")).await.status(), 404);
    assert_eq!(app.verify_expert(GUESS).await.status(), 422);
    for _ in 0..6 {
        app.post_json("/api/v1/experts", &json!({})).await;
    }
    assert_eq!(app.get("/wp-login.php").await.status(), 404);
    assert_eq!(app.get("/api/v1/wp-login.php").await.status(), 404);
    assert_eq!(app.get("/api/v1/incident-types/").await.status(), 200);
}

fn assert_counters(before: &Scrape, after: &Scrape) {
    let d = |metric: &str, labels: &[(&str, &str)]| delta(before, after, metric, labels);
    let refusals = "hackhelpdesk_rate_limit_refusals_total";
    assert_eq!(d(refusals, &[("class", "registration")]), 2.0);
    for class in ["intake", "login", "token_lookup", "verification", "metrics"] {
        assert_eq!(d(refusals, &[("class", class)]), 0.0, "{class}");
    }
    let wrong = "hackhelpdesk_wrong_tokens_total";
    assert_eq!(d(wrong, &[("kind", "case")]), 2.0);
    assert_eq!(d(wrong, &[("kind", "link")]), 1.0);
    assert_eq!(d(wrong, &[("kind", "verification")]), 1.0);
}

fn assert_requests(after: &Scrape) {
    for (method, route, status, count) in [
        ("POST", "/api/v1/experts", "201", 1.0),
        ("POST", "/api/v1/experts", "422", 4.0),
        ("POST", "/api/v1/experts", "429", 2.0),
        ("POST", "/api/v1/intakes", "201", 1.0),
        ("POST", "/api/v1/intakes/{id}/requests", "201", 1.0),
        ("GET", "/api/v1/intakes/{id}", "404", 1.0),
        ("GET", "/case/{token}", "404", 1.0),
        ("GET", "/feedback/{token}", "404", 1.0),
        ("POST", "/api/v1/experts/verify", "422", 1.0),
        ("GET", "unmatched", "404", 2.0),
        ("GET", "/api/v1/incident-types", "200", 1.0),
    ] {
        let seen = requests(after, method, route, status);
        assert_eq!(seen, count, "{method} {route} {status}");
    }
    let latency = "hackhelpdesk_http_request_duration_seconds";
    let intakes = [("method", "POST"), ("route", "/api/v1/intakes")];
    let timed = histogram(after, latency, &intakes);
    assert_eq!(timed.count, Some(1));
    assert!(timed.sum.expect("a sum").as_f64() > 0.0);
    let inf = timed.buckets.iter().find(|b| b.upper_bound.is_infinite());
    assert_eq!(inf.expect("+Inf bucket").count.as_f64(), 1.0);
    for family in ["hackhelpdesk_http_requests_total", latency] {
        let scrapes = samples(after, family, &[("route", "/metrics")]);
        assert!(scrapes.is_empty(), "scrapes are not counted as requests");
    }
}

async fn assert_gauges(app: &TestApp, after: &Scrape) {
    // Queued and unsent: verification and approval (expert), intake received (victim), help
    // request (expert); all queued at the same moment, 90 seconds ago.
    let expected = [
        "expert_approved",
        "expert_verification",
        "help_request",
        "intake_received",
    ];
    assert_eq!(unsent_templates(app).await, expected);
    assert_eq!(value(after, "hackhelpdesk_outbox_unsent", &[]), 4.0);
    assert_eq!(value(after, OLDEST_AGE, &[]), 90.0);
    assert_eq!(value(after, PENDING, &[("urgency", "acute")]), 1.0);
    assert_eq!(value(after, PENDING, &[("urgency", "recent")]), 0.0);
    assert_eq!(value(after, PENDING, &[("urgency", "past")]), 0.0);
    let pool = "hackhelpdesk_db_pool_connections";
    let in_use = value(after, pool, &[("state", "in_use")]);
    let idle = value(after, pool, &[("state", "idle")]);
    // The mail worker may hold one at this moment; the pool has at least one and at most 4.
    assert!((1.0..=4.0).contains(&(in_use + idle)), "{in_use} {idle}");
    let max = value(after, "hackhelpdesk_db_pool_max_connections", &[]);
    assert_eq!(max, 4.0);
}

/// No label value of any sample contains any of `secrets`.
fn assert_no_label_holds(scrape: &Scrape, secrets: &[&str]) {
    for family in scrape.families.keys() {
        for (labels, _) in samples(scrape, family, &[]) {
            for (name, label) in labels {
                for secret in secrets {
                    assert!(!label.contains(secret), "{family}{{{name}={label:?}}}");
                }
            }
        }
    }
}

#[tokio::test]
async fn with_a_metrics_token_only_its_bearer_may_scrape() {
    let app = spawn_app_with(&[("METRICS_TOKEN", TOKEN)]).await;
    let without = app.get("/metrics").await;
    assert_eq!(without.headers()["www-authenticate"], "Bearer");
    assert_problem(without, 401).await;
    let wrong = app.get_auth("/metrics", &TOKEN[1..]).await;
    assert_problem(wrong, 401).await;
    let almost = format!("{}0", &TOKEN[..TOKEN.len() - 1]);
    assert_problem(app.get_auth("/metrics", &almost).await, 401).await;

    let scraped = scrape(&app, Some(TOKEN)).await;
    let wrong = "hackhelpdesk_wrong_tokens_total";
    for kind in ["case", "link", "verification"] {
        assert_eq!(value(&scraped, wrong, &[("kind", kind)]), 0.0, "{kind}");
    }
    let counted = samples(
        &scraped,
        "hackhelpdesk_http_requests_total",
        &[("route", "/metrics")],
    );
    assert!(counted.is_empty(), "refused scrapes are not counted either");
}
