//! `/metrics` during a database outage: the scrape still answers 200 in the text format with the
//! request counts and rate-limit refusals the process kept, `hackhelpdesk_database_up 0` and
//! without the gauges read from the database; once the database answers again they are back.
//!
//! The outage: on PostgreSQL another connection holds an `ACCESS EXCLUSIVE` lock on the outbox
//! (as in `db_failure`), so the gauge read runs into `lock_timeout`. On SQLite no lock can stop a
//! reader (WAL: readers never wait for a writer, and another connection's `BEGIN EXCLUSIVE` only
//! stops writes), so another connection takes the outbox table away (renames it) and puts it back.

use diesel::{Connection, PgConnection, SqliteConnection, connection::SimpleConnection};
use serde_json::json;

use crate::helpers::{TestApp, spawn_app_with};
use crate::metrics::{requests, scrape, value};

const UP: &str = "hackhelpdesk_database_up";
const UNSENT: &str = "hackhelpdesk_outbox_unsent";
const REFUSALS: &str = "hackhelpdesk_rate_limit_refusals_total";

/// Another connection that keeps the scrape from reading the outbox, until `release`.
enum Outage {
    Sqlite(SqliteConnection),
    Pg(PgConnection),
}

impl Outage {
    fn start(app: &TestApp) -> Self {
        match app.db.url.strip_prefix("sqlite://") {
            Some(path) => {
                let mut conn = SqliteConnection::establish(path).expect("open the test database");
                conn.batch_execute(
                    "PRAGMA busy_timeout = 5000; ALTER TABLE outbox RENAME TO outbox_away",
                )
                .expect("take the outbox away");
                Self::Sqlite(conn)
            }
            None => {
                let mut conn = PgConnection::establish(&app.db.url).expect("connect");
                conn.batch_execute("BEGIN; LOCK TABLE outbox IN ACCESS EXCLUSIVE MODE")
                    .expect("lock the outbox");
                Self::Pg(conn)
            }
        }
    }

    fn end(self) {
        match self {
            Self::Sqlite(mut conn) => {
                conn.batch_execute("ALTER TABLE outbox_away RENAME TO outbox")
            }
            Self::Pg(mut conn) => conn.batch_execute("ROLLBACK"),
        }
        .expect("end the outage");
    }
}

#[tokio::test]
async fn a_failed_database_read_still_serves_the_process_figures_with_database_up_0() {
    let app = spawn_app_with(&[("DB_BUSY_TIMEOUT_MS", "300")]).await;
    assert_eq!(app.get("/api/v1/incident-types").await.status(), 200);
    let before = scrape(&app, None).await;
    assert_eq!(value(&before, UP, &[]), 1.0);
    assert!(before.families.contains_key(UNSENT));

    let outage = Outage::start(&app);
    // During the outage: an unknown path, and a registration flood that the rate limit stops
    // before any database work (a budget of 5: 5 answered 422, the sixth refused).
    assert_eq!(app.get("/wp-login.php").await.status(), 404);
    for _ in 0..6 {
        app.post_json("/api/v1/experts", &json!({})).await;
    }
    let down = scrape(&app, None).await;
    assert_eq!(value(&down, UP, &[]), 0.0);
    assert_eq!(requests(&down, "GET", "/api/v1/incident-types", "200"), 1.0);
    assert_eq!(requests(&down, "GET", "unmatched", "404"), 1.0);
    assert_eq!(requests(&down, "POST", "/api/v1/experts", "422"), 5.0);
    assert_eq!(requests(&down, "POST", "/api/v1/experts", "429"), 1.0);
    assert_eq!(value(&down, REFUSALS, &[("class", "registration")]), 1.0);
    for gone in [
        UNSENT,
        "hackhelpdesk_outbox_oldest_unsent_age_seconds",
        "hackhelpdesk_help_requests_pending",
    ] {
        assert!(!down.families.contains_key(gone), "{gone} is left out");
    }
    assert_eq!(
        value(&down, "hackhelpdesk_db_pool_max_connections", &[]),
        4.0
    );

    outage.end();
    let after = scrape(&app, None).await;
    assert_eq!(value(&after, UP, &[]), 1.0);
    assert_eq!(value(&after, UNSENT, &[]), 0.0);
    assert!(after.families.contains_key(UNSENT));
    assert_eq!(requests(&after, "POST", "/api/v1/experts", "429"), 1.0);
}
