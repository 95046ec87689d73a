//! Starting the application for a test: settings, `spawn_app*`, a restart on the same database
//! and a second instance of the same deployment.
//!
//! Nothing runs behind a test's back that the test means to watch: the lifecycle job is always
//! taken out of the application (`run_lifecycle` drives it), and an app from
//! [`spawn_app_driven`] has no mail worker in the background either (`deliver_due_mail`). The
//! plain `spawn_app*` keep the mail worker running, for the tests about what a user sees.

use std::collections::HashMap;

use actix_web::{dev::ServerHandle, web};
use hackhelpdesk::{
    cases::job::Job, clock::Clock, config::Settings, http::AppState, mail::worker::Worker,
    startup::Application,
};

use super::TestDb;

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub db: TestDb,
    pub state: web::Data<AppState>,
    pub clock: Clock,
    overrides: HashMap<String, String>,
    handle: ServerHandle,
    /// The mail worker when the test drives it (`spawn_app_driven`), else `None`.
    pub(super) mail_worker: Option<Worker>,
    pub(super) lifecycle: Job,
}

/// The settings a test app runs with: the contract's defaults plus a random port, a private
/// database and mail folder, and the test's overrides.
pub fn test_settings(db: &TestDb, overrides: &HashMap<String, String>) -> Settings {
    let mut vars: HashMap<String, String> = HashMap::from([
        ("DATABASE_URL".into(), db.url.clone()),
        ("BIND_ADDR".into(), "127.0.0.1:0".into()),
        (
            "MAIL_DIR".into(),
            db.dir().join("mail").display().to_string(),
        ),
        ("DB_POOL_SIZE".into(), "4".into()),
        ("SHUTDOWN_TIMEOUT_SECS".into(), "5".into()),
        // The lifecycle job is taken out of every test app (`run_lifecycle` drives it); this
        // only matters to a process a test starts itself.
        ("LIFECYCLE_POLL_SECS".into(), "3600".into()),
        // The manual clock stands still, so no form would ever be old enough; tests/api/spam.rs
        // switches the minimum fill time on and moves the clock.
        ("FORM_MIN_FILL_SECS".into(), "0".into()),
    ]);
    vars.extend(overrides.clone());
    Settings::from_lookup(|k| vars.get(k).cloned()).expect("test settings are valid")
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

/// Starts the app on an existing database (e.g. one a CLI command prepared).
pub async fn spawn_app_on(db: TestDb) -> TestApp {
    start(db, HashMap::new(), Clock::manual(chrono::Utc::now()), false).await
}

/// Starts the app with some settings overridden, e.g. `&[("BODY_LIMIT_KB", "1")]`.
pub async fn spawn_app_with(overrides: &[(&str, &str)]) -> TestApp {
    start(
        TestDb::new(),
        owned(overrides),
        Clock::manual(chrono::Utc::now()),
        false,
    )
    .await
}

/// As [`spawn_app_with`], but the mail worker is the test's: no mail leaves until the test calls
/// `deliver_due_mail` or `advance_and_deliver`, which say what was sent, retried and given up.
pub async fn spawn_app_driven(overrides: &[(&str, &str)]) -> TestApp {
    start(
        TestDb::new(),
        owned(overrides),
        Clock::manual(chrono::Utc::now()),
        true,
    )
    .await
}

fn owned(overrides: &[(&str, &str)]) -> HashMap<String, String> {
    overrides
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

async fn start(
    db: TestDb,
    overrides: HashMap<String, String>,
    clock: Clock,
    driven: bool,
) -> TestApp {
    let settings = test_settings(&db, &overrides);
    let mut app = Application::build_with_clock(settings, clock.clone())
        .await
        .expect("application builds");
    let lifecycle = app.take_lifecycle_job().expect("a lifecycle job");
    let mail_worker = driven.then(|| app.take_mail_worker().expect("a mail worker"));
    let port = app.port();
    let state = app.state();
    let handle = app.handle();
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client"),
        db,
        state,
        clock,
        overrides,
        handle,
        mail_worker,
        lifecycle,
    }
}

impl TestApp {
    /// Stops the server gracefully and starts a new one on the same database, as after a deploy.
    pub async fn restart(self) -> TestApp {
        let driven = self.mail_worker.is_some();
        self.handle.stop(true).await;
        drop(self.state);
        start(self.db, self.overrides, self.clock, driven).await
    }
}

/// Another instance of the same deployment: same database, settings and clock, its own pool,
/// HTTP server and mail worker (the test's to drive when the first app's is).
pub struct Instance {
    pub state: web::Data<AppState>,
    pub handle: ServerHandle,
    /// `http://127.0.0.1:<port>` of this instance.
    pub address: String,
    pub mail_worker: Option<Worker>,
}

impl TestApp {
    pub async fn spawn_instance(&self) -> Instance {
        let settings = test_settings(&self.db, &self.overrides);
        let mut app = Application::build_with_clock(settings, self.clock.clone())
            .await
            .expect("second instance builds");
        app.take_lifecycle_job();
        let mail_worker = self
            .mail_worker
            .as_ref()
            .and_then(|_| app.take_mail_worker());
        let (state, handle) = (app.state(), app.handle());
        let address = format!("http://127.0.0.1:{}", app.port());
        tokio::spawn(app.run_until_stopped());
        Instance {
            state,
            handle,
            address,
            mail_worker,
        }
    }
}
