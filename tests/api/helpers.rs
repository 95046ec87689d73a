//! `spawn_app` and friends: the real application on a random port with a fresh database, and one
//! helper per endpoint so tests read as Arrange / Act / Assert.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::Stdio;

use actix_web::{dev::ServerHandle, web};
use diesel::{Connection, PgConnection, connection::SimpleConnection};
use hackhelpdesk::{
    clock::Clock,
    config::Settings,
    db::models::outbox::{self, OutboxMessage},
    domain::{Email, Password},
    http::AppState,
    i18n::Lang,
    startup::Application,
};
use serde_json::{Value, json};
use tempfile::TempDir;
use tokio::io::AsyncWriteExt;

/// A fresh database for one test: a SQLite file in a temporary folder, or a new PostgreSQL
/// database (dropped again at the end) when `TEST_DATABASE_URL` names a server.
pub struct TestDb {
    pub url: String,
    dir: TempDir,
    postgres: Option<(String, String)>,
}

impl TestDb {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        match std::env::var("TEST_DATABASE_URL")
            .ok()
            .filter(|u| !u.is_empty())
        {
            Some(admin_url) => {
                let name = format!("hh_test_{}", uuid::Uuid::new_v4().simple());
                let mut admin =
                    PgConnection::establish(&admin_url).expect("TEST_DATABASE_URL answers");
                admin
                    .batch_execute(&format!("CREATE DATABASE {name}"))
                    .expect("create test database");
                let mut url = url::Url::parse(&admin_url).expect("TEST_DATABASE_URL is a URL");
                url.set_path(&name);
                Self {
                    url: url.to_string(),
                    dir,
                    postgres: Some((admin_url, name)),
                }
            }
            None => {
                let url = format!("sqlite://{}", dir.path().join("test.db").display());
                Self {
                    url,
                    dir,
                    postgres: None,
                }
            }
        }
    }

    pub fn backend(&self) -> &'static str {
        if self.postgres.is_some() {
            "postgres"
        } else {
            "sqlite"
        }
    }

    /// A scratch folder that lives as long as the database (mail files, working directories).
    pub fn dir(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin_url, name)) = &self.postgres
            && let Ok(mut admin) = PgConnection::establish(admin_url)
        {
            let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }
}

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub db: TestDb,
    pub state: web::Data<AppState>,
    pub clock: Clock,
    overrides: HashMap<String, String>,
    handle: ServerHandle,
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
        // Tests run the lifecycle job themselves (`run_lifecycle`), after moving the clock.
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
    start(db, HashMap::new(), Clock::manual(chrono::Utc::now())).await
}

/// Starts the app with some settings overridden, e.g. `&[("BODY_LIMIT_KB", "1")]`.
pub async fn spawn_app_with(overrides: &[(&str, &str)]) -> TestApp {
    let overrides = overrides
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    start(TestDb::new(), overrides, Clock::manual(chrono::Utc::now())).await
}

async fn start(db: TestDb, overrides: HashMap<String, String>, clock: Clock) -> TestApp {
    let settings = test_settings(&db, &overrides);
    let app = Application::build_with_clock(settings, clock.clone())
        .await
        .expect("application builds");
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
    }
}

impl TestApp {
    /// Stops the server gracefully and starts a new one on the same database, as after a deploy.
    pub async fn restart(self) -> TestApp {
        self.handle.stop(true).await;
        drop(self.state);
        start(self.db, self.overrides, self.clock).await
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request sent")
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .expect("request sent")
    }

    pub async fn post_raw(
        &self,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("request sent")
    }

    /// Creates a moderator directly through the library (the CLI is tested on its own).
    pub async fn create_moderator(&self, email: &str, password: &str) -> String {
        let email = Email::parse(email).expect("valid email");
        let hash = Password::parse(password).expect("valid password").hash();
        self.state
            .db
            .run(move |conn| hackhelpdesk::db::models::moderator::create(conn, &email, &hash))
            .await
            .expect("moderator created")
            .id
    }

    pub async fn login(&self, email: &str, password: &str) -> reqwest::Response {
        self.post_json(
            "/api/v1/sessions",
            &json!({ "email": email, "password": password }),
        )
        .await
    }

    /// Logs in and returns the bearer token; panics when the login fails.
    pub async fn token_for(&self, email: &str, password: &str) -> String {
        let response = self.login(email, password).await;
        assert_eq!(response.status(), 201, "login of {email} failed");
        let body: Value = response.json().await.expect("json");
        body["token"].as_str().expect("token").to_owned()
    }

    pub async fn logout(&self, token: &str) -> reqwest::Response {
        self.client
            .delete(self.url("/api/v1/sessions"))
            .bearer_auth(token)
            .send()
            .await
            .expect("request sent")
    }
}

/// Asserts a problem+json answer with the given status and returns its body.
pub async fn assert_problem(response: reqwest::Response, status: u16) -> Value {
    assert_eq!(response.status().as_u16(), status, "unexpected status");
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        content_type.starts_with("application/problem+json"),
        "content-type {content_type}"
    );
    let body: Value = response.json().await.expect("problem body is JSON");
    assert_eq!(body["status"], status);
    for member in ["type", "title", "detail"] {
        assert!(body[member].is_string(), "problem lacks {member}: {body}");
    }
    body
}

/// The field names of a 422 problem.
pub fn problem_fields(body: &Value) -> Vec<String> {
    body["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .filter_map(|e| e["field"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// What a run of the real binary printed.
pub struct CliOutput {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `hackhelpdesk ARGS` with only the given environment, in `dir`, feeding `stdin`.
pub async fn run_cli(
    args: &[&str],
    env: &[(&str, &str)],
    dir: &std::path::Path,
    stdin: &str,
) -> CliOutput {
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_hackhelpdesk"))
        .args(args)
        .env_clear()
        .envs(env.iter().copied())
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("binary starts");
    let mut input = child.stdin.take().expect("stdin");
    input
        .write_all(stdin.as_bytes())
        .await
        .expect("stdin written");
    drop(input);
    let output = tokio::time::timeout(std::time::Duration::from_secs(60), child.wait_with_output())
        .await
        .expect("the command finishes within a minute")
        .expect("output");
    CliOutput {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

impl TestApp {
    /// GET with one extra request header, e.g. `Accept-Language`.
    pub async fn get_with(&self, path: &str, header: &str, value: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .header(header, value)
            .send()
            .await
            .expect("request sent")
    }

    /// `POST /api/v1/triage{query}` with `{"answers": answers}`.
    pub async fn post_triage(&self, query: &str, answers: &Value) -> reqwest::Response {
        self.post_json(
            &format!("/api/v1/triage{query}"),
            &json!({ "answers": answers }),
        )
        .await
    }
}

/// Another instance of the same deployment: same database, settings and clock, its own pool,
/// HTTP server and mail worker.
pub struct Instance {
    pub state: web::Data<AppState>,
    pub handle: ServerHandle,
    /// `http://127.0.0.1:<port>` of this instance.
    pub address: String,
}

impl TestApp {
    pub async fn spawn_instance(&self) -> Instance {
        let settings = test_settings(&self.db, &self.overrides);
        let app = Application::build_with_clock(settings, self.clock.clone())
            .await
            .expect("second instance builds");
        let (state, handle) = (app.state(), app.handle());
        let address = format!("http://127.0.0.1:{}", app.port());
        tokio::spawn(app.run_until_stopped());
        Instance {
            state,
            handle,
            address,
        }
    }

    /// Queues `count` emails from `template` in one transaction, then wakes the mail worker.
    pub async fn enqueue_emails(
        &self,
        template: &str,
        lang: Lang,
        to: &[&str],
        data: Value,
    ) -> Vec<String> {
        let mailer = self.state.mailer.clone();
        let (template, now) = (template.to_owned(), self.clock.now());
        let to: Vec<_> = to
            .iter()
            .map(|t| hackhelpdesk::mail::parse_recipient(t).expect("one address"))
            .collect();
        let ids = self
            .state
            .db
            .run(move |conn| {
                hackhelpdesk::db::write_tx(conn, |conn| {
                    to.iter()
                        .map(|to| mailer.enqueue(conn, &template, lang, to, &data, now))
                        .collect::<Result<Vec<_>, _>>()
                })
            })
            .await
            .expect("queued");
        self.state.mailer.wake();
        ids
    }

    pub async fn outbox_row(&self, id: &str) -> OutboxMessage {
        let id = id.to_owned();
        self.state
            .db
            .run(move |conn| outbox::find(conn, &id))
            .await
            .expect("query")
            .expect("outbox row exists")
    }

    /// Waits (up to 20 s) until every row in `ids` satisfies `done`; returns the rows.
    pub async fn wait_for_outbox(
        &self,
        ids: &[String],
        done: impl Fn(&OutboxMessage) -> bool,
    ) -> Vec<OutboxMessage> {
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            let mut rows = Vec::new();
            for id in ids {
                rows.push(self.outbox_row(id).await);
            }
            if rows.iter().all(&done) {
                return rows;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "outbox rows did not reach the expected state: {rows:#?}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    /// Moves the clock forward and pokes the mail worker, as if time had passed.
    pub fn advance_and_wake(&self, by: chrono::Duration) {
        assert!(self.clock.advance(by));
        self.state.mailer.wake();
    }
}

// ---- experts and moderation ----

pub const EXPERT_PASSWORD: &str = "zeven blauwe fietsen op de dijk";
pub const MODERATOR_PASSWORD: &str = "correct horse battery staple";

/// A valid registration; `n` makes email and KvK number unique.
pub fn expert_body(n: u32) -> Value {
    json!({
        "company_name": format!("Veilig IT {n} B.V."),
        "kvk_number": format!("{:08}", 12_340_000 + n),
        "email": format!("info{n}@veilig-it.nl"),
        "password": EXPERT_PASSWORD,
        "contact_name": "Fatma Yilmaz",
        "phone": "+31 6 1234 5678",
        "website": "veilig-it.nl",
        "base": { "place": "Bergen op Zoom" },
        "radius_km": 40,
        "remote": true,
        "expertise": ["ransomware", "phishing"],
        "languages": ["nl", "en", "tr"],
        "capacity": 3,
        "available_24_7": false,
        "code_of_conduct_version": 1
    })
}

impl TestApp {
    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        body: Option<&Value>,
    ) -> reqwest::Response {
        let mut request = self
            .client
            .request(method, self.url(path))
            .bearer_auth(token);
        if let Some(body) = body {
            request = request.json(body);
        }
        request.send().await.expect("request sent")
    }

    pub async fn get_auth(&self, path: &str, token: &str) -> reqwest::Response {
        self.send(reqwest::Method::GET, path, token, None).await
    }

    pub async fn post_auth(&self, path: &str, token: &str, body: &Value) -> reqwest::Response {
        self.send(reqwest::Method::POST, path, token, Some(body))
            .await
    }

    pub async fn patch_auth(&self, path: &str, token: &str, body: &Value) -> reqwest::Response {
        self.send(reqwest::Method::PATCH, path, token, Some(body))
            .await
    }

    pub async fn register_expert(&self, body: &Value) -> reqwest::Response {
        self.post_json("/api/v1/experts", body).await
    }

    /// The templates of the emails queued for `address`, oldest first.
    pub async fn emails_to(
        &self,
        address: &str,
    ) -> Vec<hackhelpdesk::db::models::outbox::OutboxMessage> {
        let address = address.to_owned();
        self.state
            .db
            .run(move |conn| hackhelpdesk::db::models::outbox::for_recipient(conn, &address))
            .await
            .expect("outbox readable")
    }

    /// The token from the newest verification email to `address`.
    pub async fn verification_token(&self, address: &str) -> String {
        let emails = self.emails_to(address).await;
        let mail = emails
            .iter()
            .rev()
            .find(|m| m.template == "expert_verification")
            .expect("a verification email was queued");
        let start = mail.text_body.find("token=").expect("link with token") + 6;
        mail.text_body[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect()
    }

    pub async fn verify_expert(&self, token: &str) -> reqwest::Response {
        self.post_json("/api/v1/experts/verify", &json!({ "token": token }))
            .await
    }

    /// Registers expert `n` and confirms its email: it is then pending review. Returns its id.
    pub async fn pending_expert(&self, n: u32) -> String {
        let body = expert_body(n);
        let response = self.register_expert(&body).await;
        assert_eq!(response.status(), 201, "registration of expert {n}");
        let id = response.json::<Value>().await.expect("json")["id"]
            .as_str()
            .expect("id")
            .to_owned();
        let token = self
            .verification_token(body["email"].as_str().expect("email"))
            .await;
        assert_eq!(self.verify_expert(&token).await.status(), 200);
        id
    }

    /// A moderator's bearer token (creates the moderator).
    pub async fn moderator_token(&self) -> String {
        self.create_moderator("moderator@pvo.nl", MODERATOR_PASSWORD)
            .await;
        self.token_for("moderator@pvo.nl", MODERATOR_PASSWORD).await
    }

    pub async fn moderate(
        &self,
        token: &str,
        id: &str,
        decision: &str,
        reason: Option<&str>,
    ) -> reqwest::Response {
        let path = format!("/api/v1/moderation/experts/{id}/{decision}");
        let request = self.client.post(self.url(&path)).bearer_auth(token);
        let request = match reason {
            Some(reason) => request.json(&json!({ "reason": reason })),
            None => request,
        };
        request.send().await.expect("request sent")
    }
}

// ---- intakes ----

/// Expert `n` with its base in `place` and the given overrides.
pub fn expert_at(n: u32, place: &str, changes: Value) -> Value {
    let mut body = expert_body(n);
    body["base"] = json!({ "place": place });
    if let (Value::Object(b), Value::Object(c)) = (&mut body, changes) {
        b.extend(c);
    }
    body
}

/// A valid intake from a bakery in Bergen op Zoom hit by ransomware.
pub fn intake_body() -> Value {
    json!({
        "incident_type": "ransomware",
        "urgency": "acute",
        "description": "Alle bestanden zijn versleuteld en er staat een losgeldbericht op het scherm.",
        "location": { "place": "Bergen op Zoom" },
        "needs_on_site": true,
        "language": "nl",
        "contact": { "name": "Jan de Vries", "email": "jan@bakkerij-devries.nl", "phone": "+31 6 8765 4321" },
        "company": { "name": "Bakkerij De Vries", "kvk_number": "87654321", "employees": 12, "sector": "bakkerij" },
        "consent_to_share": true,
        "disclaimer_accepted": true
    })
}

impl TestApp {
    /// Registers, verifies and approves an expert from `body` (see `expert_body`); returns its id.
    pub async fn approved_expert(&self, moderator: &str, body: &Value) -> String {
        let response = self.register_expert(body).await;
        assert_eq!(
            response.status(),
            201,
            "registration: {:?}",
            response.text().await
        );
        let id = response.json::<Value>().await.expect("json")["id"]
            .as_str()
            .expect("id")
            .to_owned();
        let token = self
            .verification_token(body["email"].as_str().expect("email"))
            .await;
        assert_eq!(self.verify_expert(&token).await.status(), 200);
        assert_eq!(
            self.moderate(moderator, &id, "approve", None)
                .await
                .status(),
            200
        );
        id
    }

    pub async fn submit_intake(&self, body: &Value) -> reqwest::Response {
        self.post_json("/api/v1/intakes", body).await
    }

    /// Submits an intake that must succeed; returns the 201 body.
    pub async fn intake(&self, body: &Value) -> Value {
        let response = self.submit_intake(body).await;
        assert_eq!(
            response.status(),
            201,
            "intake: {:?}",
            response.text().await
        );
        response.json().await.expect("json")
    }

    /// The expert ids of an intake answer, in rank order.
    pub fn match_ids(created: &Value) -> Vec<String> {
        created["matches"]
            .as_array()
            .expect("matches")
            .iter()
            .map(|m| m["expert_id"].as_str().expect("expert_id").to_owned())
            .collect()
    }
}

// ---- pages ----

/// A browser-like client: keeps cookies, does not follow redirects, asks for HTML.
pub struct PageClient {
    pub client: reqwest::Client,
    pub base: String,
}

impl TestApp {
    pub fn page_client(&self, accept_language: &str) -> PageClient {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("accept", "text/html".parse().expect("header"));
        headers.insert("accept-language", accept_language.parse().expect("header"));
        PageClient {
            client: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .default_headers(headers)
                .build()
                .expect("client"),
            base: self.address.clone(),
        }
    }
}

impl PageClient {
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("request sent")
    }

    /// GET a page; returns status and HTML.
    pub async fn page(&self, path: &str) -> (u16, String) {
        let response = self.get(path).await;
        let status = response.status().as_u16();
        (status, response.text().await.expect("body"))
    }

    /// POSTs a form with the CSRF token of the page `form_page` (fetched first).
    pub async fn submit(
        &self,
        form_page: &str,
        action: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let (_, html) = self.page(form_page).await;
        let token = csrf_token(&html);
        let mut all: Vec<(&str, &str)> = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        self.post_form(action, &all).await
    }

    pub async fn post_form(&self, action: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        self.client
            .post(format!("{}{action}", self.base))
            .form(fields)
            .send()
            .await
            .expect("request sent")
    }
}

/// The CSRF token in a page's forms.
pub fn csrf_token(html: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html
        .find(marker)
        .expect("the page has a form with a CSRF token")
        + marker.len();
    html[start..].chars().take_while(|c| *c != '"').collect()
}

/// The location of a redirect.
pub fn location(response: &reqwest::Response) -> String {
    response.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned()
}

// ---- case lifecycle ----

impl TestApp {
    pub async fn delete_auth(&self, path: &str, token: &str) -> reqwest::Response {
        self.send(reqwest::Method::DELETE, path, token, None).await
    }

    /// Runs the lifecycle job once at the clock's current time.
    pub async fn run_lifecycle(&self) -> hackhelpdesk::cases::job::Report {
        let s = &self.state;
        hackhelpdesk::cases::job::Job::new(
            s.db.clone(),
            s.clock.clone(),
            s.mailer.clone(),
            s.settings.clone(),
            s.catalogue.clone(),
            s.candidates.clone(),
        )
        .run_once()
        .await
        .expect("lifecycle job runs")
    }

    /// The bearer token of expert `n` (see `expert_body`).
    pub async fn expert_token(&self, n: u32) -> String {
        self.token_for(&format!("info{n}@veilig-it.nl"), EXPERT_PASSWORD)
            .await
    }

    /// `POST /api/v1/intakes/{id}/requests` with the case token.
    pub async fn ask(&self, created: &Value, expert_ids: &[&str]) -> reqwest::Response {
        let (id, token) = case_of(created);
        self.post_auth(
            &format!("/api/v1/intakes/{id}/requests"),
            token,
            &json!({ "expert_ids": expert_ids }),
        )
        .await
    }

    /// Asks must succeed; returns the request ids in order.
    pub async fn ask_ok(&self, created: &Value, expert_ids: &[&str]) -> Vec<String> {
        let response = self.ask(created, expert_ids).await;
        assert_eq!(response.status(), 201, "ask: {:?}", response.text().await);
        let body: Value = response.json().await.expect("json");
        body["requests"]
            .as_array()
            .expect("requests")
            .iter()
            .map(|r| r["id"].as_str().expect("id").to_owned())
            .collect()
    }

    /// The victim's case (`GET /api/v1/intakes/{id}`).
    pub async fn case(&self, created: &Value) -> Value {
        let (id, token) = case_of(created);
        let response = self.get_auth(&format!("/api/v1/intakes/{id}"), token).await;
        assert_eq!(response.status(), 200);
        response.json().await.expect("json")
    }

    /// `POST /api/v1/requests/{id}/{action}` by an expert.
    pub async fn respond(
        &self,
        request_id: &str,
        action: &str,
        token: &str,
        body: &Value,
    ) -> reqwest::Response {
        self.post_auth(
            &format!("/api/v1/requests/{request_id}/{action}"),
            token,
            body,
        )
        .await
    }

    /// `POST /api/v1/intakes/{id}/{action}` with the case token.
    pub async fn victim_post(
        &self,
        created: &Value,
        action: &str,
        body: &Value,
    ) -> reqwest::Response {
        let (id, token) = case_of(created);
        self.post_auth(&format!("/api/v1/intakes/{id}/{action}"), token, body)
            .await
    }

    /// An expert's `open_cases` as stored.
    pub async fn open_cases(&self, expert_id: &str) -> i32 {
        use diesel::prelude::*;
        use hackhelpdesk::db::schema::experts;
        let id = expert_id.to_owned();
        self.state
            .db
            .run(move |conn| {
                Ok(experts::table
                    .find(id)
                    .select(experts::open_cases)
                    .first(conn)?)
            })
            .await
            .expect("expert exists")
    }

    /// The emails queued with `template`, oldest first.
    pub async fn emails_with(&self, template: &str) -> Vec<OutboxMessage> {
        use diesel::prelude::*;
        use hackhelpdesk::db::schema::outbox;
        let template = template.to_owned();
        self.state
            .db
            .run(move |conn| {
                Ok(outbox::table
                    .filter(outbox::template.eq(template))
                    .order((outbox::created_at.asc(), outbox::id.asc()))
                    .select(OutboxMessage::as_select())
                    .load(conn)?)
            })
            .await
            .expect("outbox readable")
    }
}

/// The id and case token of an intake's 201 answer.
pub fn case_of(created: &Value) -> (&str, &str) {
    (
        created["id"].as_str().expect("id"),
        created["access_token"].as_str().expect("access_token"),
    )
}

/// The token at the end of a one-click link (`…/feedback/<token>`) in an email's text.
pub fn link_token(mail: &OutboxMessage, path: &str) -> String {
    let marker = format!("/{path}/");
    let start = mail.text_body.find(&marker).expect("link in email") + marker.len();
    mail.text_body[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}
