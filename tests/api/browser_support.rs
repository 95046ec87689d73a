//! Real-browser testing: starts Debian's `chromedriver` on a random port driving headless
//! `chromium` with a fresh profile, connects `fantoccini`, and offers screenshots (full page, at a
//! given width, into `target/screenshots/`) and an axe-core accessibility check. `target/` is
//! `CARGO_TARGET_DIR` when that is set (a shared build folder), else the crate's own.
//!
//! Without `/usr/bin/chromium` and `/usr/bin/chromedriver` the browser tests are skipped with a
//! printed notice, except in CI (`CI=true`), where a missing browser fails the run. Install with
//! `apt-get install chromium chromium-driver` (`.ci/install-deps` does it). axe-core comes from
//! npm into `target/axe/` (also done by `.ci/install-deps`; the helper does it when missing).

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::OnceLock;
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use tempfile::TempDir;
use tokio::sync::{Semaphore, SemaphorePermit};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const INSTALL: &str = "apt-get install chromium chromium-driver";

/// One browser at a time: Chromium is heavy for a 2-core machine.
static ONE_AT_A_TIME: Semaphore = Semaphore::const_new(1);

pub struct Browser {
    pub client: Client,
    driver: tokio::process::Child,
    _profile: TempDir,
    _turn: SemaphorePermit<'static>,
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// Skips (locally) or fails (in CI) when a tool is missing.
fn missing(what: &str, how: &str) -> Option<Browser> {
    let message = format!("browser tests need {what}; install it with `{how}`");
    assert!(!in_ci(), "{message}");
    eprintln!("NOTICE: skipping a browser test: {message}");
    None
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// The build folder: `CARGO_TARGET_DIR` when set (several worktrees may share one), else
/// `target/` of the crate. axe-core and the screenshots live there.
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .filter(|dir| dir.is_absolute())
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
}

/// Starts chromedriver and a headless Chromium session; `None` when skipped (see module docs).
pub async fn start_browser() -> Option<Browser> {
    start(json!({})).await
}

/// As `start_browser`, with JavaScript switched off for every site: what a browser without
/// script (or with it blocked) gets.
pub async fn start_browser_without_javascript() -> Option<Browser> {
    start(json!({ "profile.managed_default_content_settings.javascript": 2 })).await
}

async fn start(prefs: Value) -> Option<Browser> {
    if !Path::new(CHROMIUM).exists() || !Path::new(CHROMEDRIVER).exists() {
        return missing("Chromium and chromedriver", INSTALL);
    }
    let turn = ONE_AT_A_TIME.acquire().await.expect("semaphore open");
    let port = free_port();
    let driver = tokio::process::Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("chromedriver starts");
    let profile = tempfile::tempdir().expect("profile dir");
    let url = format!("http://127.0.0.1:{port}");
    let caps = json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": CHROMIUM,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--hide-scrollbars", "--lang=nl", "--window-size=1280,900",
                format!("--user-data-dir={}", profile.path().display()),
            ],
            "prefs": prefs,
        },
    });
    let caps = caps.as_object().expect("object").clone();
    let mut last_error = String::new();
    for _ in 0..50 {
        // Plain HTTP to the local driver: no TLS stack needed.
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector)
            .capabilities(caps.clone())
            .connect(&url)
            .await
        {
            Ok(client) => {
                return Some(Browser {
                    client,
                    driver,
                    _profile: profile,
                    _turn: turn,
                });
            }
            Err(e) => last_error = e.to_string(),
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("chromedriver on port {port} gave no session: {last_error}");
}

/// The folder the screenshots go to (printed once).
pub fn screenshot_dir() -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = target_dir().join("screenshots");
        std::fs::create_dir_all(&dir).expect("screenshot folder");
        println!("screenshots are written to {}", dir.display());
        dir
    })
    .clone()
}

/// The axe-core script, installed from npm into `target/axe/` when missing.
fn axe_source() -> Option<String> {
    static SOURCE: OnceLock<Option<String>> = OnceLock::new();
    SOURCE
        .get_or_init(|| {
            let dir = target_dir().join("axe");
            let file = dir.join("node_modules/axe-core/axe.min.js");
            if !file.exists() {
                std::fs::create_dir_all(&dir).ok()?;
                let installed = std::process::Command::new("npm")
                    .args([
                        "install",
                        "--silent",
                        "--no-audit",
                        "--no-fund",
                        "axe-core@4",
                    ])
                    .current_dir(&dir)
                    .status()
                    .is_ok_and(|s| s.success());
                if !installed {
                    return None;
                }
            }
            std::fs::read_to_string(file).ok()
        })
        .clone()
}

impl Browser {
    /// From the Dutch home page at `home` the way a victim goes: the help button, two triage
    /// answers (no ransom note; yes, a changed bank account), then the intake form.
    pub async fn walk_to_the_intake_form(&self, home: &str) {
        self.goto(home).await;
        self.click_and_load("a.help-button").await;
        self.click_and_load("button[value=n]").await;
        self.click_and_load("button[value=y]").await;
        self.click_and_load("main a.button[href^='/intake']").await;
        assert!(self.text("h1").await.contains("Hulp van een expert"));
    }

    pub async fn goto(&self, url: &str) {
        self.client.goto(url).await.expect("page opens");
    }

    pub async fn find(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element {css}: {e}"))
    }

    pub async fn click(&self, css: &str) {
        self.find(css).await.click().await.expect("click");
    }

    /// Clicks something that loads a new page, and waits until the new page has loaded.
    pub async fn click_and_load(&self, css: &str) {
        self.client
            .execute("window.__hhOldPage = true; return true;", vec![])
            .await
            .expect("mark page");
        self.click(css).await;
        for _ in 0..100 {
            let loaded = self
                .client
                .execute(
                    "return !window.__hhOldPage && document.readyState === 'complete';",
                    vec![],
                )
                .await
                .ok()
                .and_then(|v| v.as_bool())
                .unwrap_or(false);
            if loaded {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let url = self.client.current_url().await.map(|u| u.to_string());
        panic!("clicking {css} loaded no new page (still at {url:?})");
    }

    /// Clears a field and types `text`.
    pub async fn fill(&self, css: &str, text: &str) {
        let field = self.find(css).await;
        field.clear().await.expect("clear");
        field.send_keys(text).await.expect("type");
    }

    /// Types `text` into the place field `css` and picks the first suggestion, as a person
    /// does. Picking also closes the list, so the layout below stops moving: clicking on while
    /// the list could still appear would hit whatever it pushed into the pointer's way.
    pub async fn pick_place(&self, css: &str, text: &str) {
        self.fill(css, text).await;
        self.click(&format!(
            "{css}-suggestions:not([hidden]) li:first-child button"
        ))
        .await;
        let value = self.value(css).await;
        assert!(
            value.starts_with(text),
            "picked {value:?} after typing {text:?}"
        );
    }

    pub async fn text(&self, css: &str) -> String {
        self.find(css).await.text().await.expect("text")
    }

    pub async fn value(&self, css: &str) -> String {
        self.find(css)
            .await
            .prop("value")
            .await
            .expect("value")
            .unwrap_or_default()
    }

    /// A full-page screenshot at `width` CSS pixels, saved as `<name>-<width>.png`.
    pub async fn screenshot(&self, name: &str, width: u32) {
        self.client
            .set_window_size(width, 900)
            .await
            .expect("resize");
        let height = self
            .client
            .execute("return document.documentElement.scrollHeight;", vec![])
            .await
            .expect("height")
            .as_u64()
            .unwrap_or(900)
            .clamp(600, 6000) as u32;
        self.client
            .set_window_size(width, height)
            .await
            .expect("resize");
        // From the top, also after a link to `#done` scrolled the page.
        self.client
            .execute("window.scrollTo(0, 0); return true;", vec![])
            .await
            .expect("scrolled");
        let png = self.client.screenshot().await.expect("screenshot");
        std::fs::write(screenshot_dir().join(format!("{name}-{width}.png")), png).expect("saved");
        self.client
            .set_window_size(1280, 900)
            .await
            .expect("resize back");
    }

    /// Screenshots of the current page at 390 and 1280 px (`<name>-390.png`, `<name>-1280.png`),
    /// and axe-core at each of the two widths finding no violation of any impact.
    pub async fn screenshots_and_axe(&self, name: &str) {
        for width in [390, 1280] {
            self.screenshot(name, width).await;
            self.client
                .set_window_size(width, 900)
                .await
                .expect("resize");
            self.assert_no_violations(&format!("{name} at {width} px"))
                .await;
        }
        self.client
            .set_window_size(1280, 900)
            .await
            .expect("resize back");
    }

    /// How many elements match `css` right now (without waiting for one to appear).
    pub async fn count(&self, css: &str) -> usize {
        self.client
            .find_all(Locator::Css(css))
            .await
            .expect("query")
            .len()
    }

    /// The distance in CSS pixels from the top of the page to the element `css`.
    pub async fn top(&self, css: &str) -> f64 {
        self.find(css).await;
        let script = format!(
            "return document.querySelector({css:?}).getBoundingClientRect().top + window.scrollY;"
        );
        self.client
            .execute(&script, vec![])
            .await
            .expect("position read")
            .as_f64()
            .expect("a number")
    }

    /// The page's HTML as the server sent it and the browser holds it.
    pub async fn source(&self) -> String {
        self.client.source().await.expect("page source")
    }

    /// Runs axe-core on the current page; panics listing every serious or critical violation.
    pub async fn assert_accessible(&self, page: &str) {
        self.assert_axe(page, &["serious", "critical"]).await;
    }

    /// Runs axe-core on the current page; panics listing every violation, whatever its impact.
    pub async fn assert_no_violations(&self, page: &str) {
        self.assert_axe(page, &["minor", "moderate", "serious", "critical"])
            .await;
    }

    async fn assert_axe(&self, page: &str, impacts: &[&str]) {
        let Some(source) = axe_source() else {
            assert!(
                !in_ci(),
                "axe-core is missing: run `npm install axe-core` in target/axe"
            );
            eprintln!("NOTICE: axe-core is not installed (npm missing); skipping the check");
            return;
        };
        self.client
            .execute(&format!("{source}\nreturn true;"), vec![])
            .await
            .expect("axe injected");
        let script = "const done = arguments[arguments.length - 1];
            axe.run(document, { resultTypes: ['violations'] })
              .then(r => done(r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
                  nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ')) }))))
              .catch(e => done([{ id: 'axe-error', impact: 'critical', help: String(e), nodes: [] }]));";
        let found = self
            .client
            .execute_async(script, vec![])
            .await
            .expect("axe ran");
        let all = found.as_array().map_or(0, Vec::len);
        println!("axe on {page}: {all} rule(s) with violations of any impact");
        let bad: Vec<&Value> = found
            .as_array()
            .map(|list| {
                list.iter()
                    .filter(|v| v["impact"].as_str().is_some_and(|i| impacts.contains(&i)))
                    .collect()
            })
            .unwrap_or_default();
        assert!(
            bad.is_empty(),
            "axe found accessibility problems on {page}: {}",
            serde_json::to_string_pretty(&bad).unwrap_or_default()
        );
    }

    pub async fn close(mut self) {
        let _ = self.client.close().await;
        let _ = self.driver.kill().await;
    }
}
