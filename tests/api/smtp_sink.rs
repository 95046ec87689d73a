//! A real SMTP server for the tests: `tests/support/smtp_sink.py` (Python `aiosmtpd`) as a child
//! process on a loopback port, storing each message it accepts as a file, and a MIME parser
//! (`mailparse`) to read them back.
//!
//! The Python environment is made once under `target/smtp-venv` (`python3 -m venv` + `pip
//! install aiosmtpd`); `.ci/install-deps` makes the same one. Concurrent test processes each
//! build theirs in a private folder and the first rename wins.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::OnceLock;
use std::time::Duration;

use tempfile::TempDir;
use tokio::io::{AsyncBufReadExt, BufReader};

/// The sink's Python interpreter, with aiosmtpd installed.
fn python() -> &'static Path {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON.get_or_init(|| {
        let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("target");
        let venv = target.join("smtp-venv");
        if has_aiosmtpd(&venv) {
            return venv.join("bin/python");
        }
        let scratch = target.join(format!("smtp-venv.tmp-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&scratch);
        run("python3", &["-m", "venv", &scratch.display().to_string()]);
        let pip = scratch.join("bin/pip").display().to_string();
        run(&pip, &["install", "--quiet", "aiosmtpd"]);
        if !has_aiosmtpd(&venv) {
            let _ = std::fs::remove_dir_all(&venv);
            let _ = std::fs::rename(&scratch, &venv);
        }
        let _ = std::fs::remove_dir_all(&scratch);
        assert!(has_aiosmtpd(&venv), "could not set up {}", venv.display());
        venv.join("bin/python")
    })
}

fn has_aiosmtpd(venv: &Path) -> bool {
    std::process::Command::new(venv.join("bin/python"))
        .args(["-c", "import aiosmtpd"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn run(program: &str, args: &[&str]) {
    let status = std::process::Command::new(program)
        .args(args)
        .status()
        .unwrap_or_else(|e| panic!("{program} does not start: {e}"));
    assert!(status.success(), "{program} {args:?} failed: {status}");
}

/// A loopback port that was free a moment ago (for a server that starts later).
pub fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

pub struct SmtpSink {
    pub port: u16,
    dir: TempDir,
    _child: tokio::process::Child,
}

impl SmtpSink {
    pub async fn start() -> Self {
        Self::start_on(free_port()).await
    }

    /// Starts the server on `port`; returns once it accepts connections.
    pub async fn start_on(port: u16) -> Self {
        let python = tokio::task::spawn_blocking(python).await.expect("venv");
        let dir = tempfile::tempdir().expect("temp dir");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/smtp_sink.py");
        let mut child = tokio::process::Command::new(python)
            .arg(script)
            .arg(port.to_string())
            .arg(dir.path())
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("smtp sink starts");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let first = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
            .await
            .expect("smtp sink ready within 30 s")
            .expect("read");
        assert_eq!(first.as_deref(), Some("ready"), "smtp sink did not start");
        Self {
            port,
            dir,
            _child: child,
        }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message received so far.
    pub fn messages(&self) -> Vec<Received> {
        eml_files(self.dir.path())
    }

    /// Waits until at least `n` messages arrived (panics after `timeout`), then returns all.
    pub async fn wait_for(&self, n: usize, timeout: Duration) -> Vec<Received> {
        wait_for_files(self.dir.path(), n, timeout).await
    }
}

/// Waits until `dir` holds at least `n` `.eml` files, then parses them all.
pub async fn wait_for_files(dir: &Path, n: usize, timeout: Duration) -> Vec<Received> {
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        let found = eml_files(dir);
        if found.len() >= n {
            return found;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "expected {n} messages in {}, got {}",
            dir.display(),
            found.len()
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// The `.eml` files in `dir` now, parsed (none when the folder does not exist yet).
pub fn eml_files(dir: &Path) -> Vec<Received> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
        .map(|p| Received::parse(&std::fs::read(&p).expect("read message")))
        .collect()
}

/// One received message, parsed by a real MIME parser.
#[derive(Debug, Clone)]
pub struct Received {
    headers: Vec<(String, String)>,
    pub content_type: String,
    /// `(mime type, decoded body with \n line ends)` of every leaf part.
    pub parts: Vec<(String, String)>,
}

impl Received {
    pub fn parse(raw: &[u8]) -> Self {
        let mail = mailparse::parse_mail(raw).expect("a valid MIME message");
        let headers = mail
            .headers
            .iter()
            .map(|h| (h.get_key().to_ascii_lowercase(), h.get_value()))
            .collect();
        let mut parts = Vec::new();
        collect_leaves(&mail, &mut parts);
        Self {
            headers,
            content_type: mail.ctype.mimetype.clone(),
            parts,
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn subject(&self) -> &str {
        self.header("subject").unwrap_or_default()
    }

    pub fn message_id(&self) -> &str {
        self.header("message-id").unwrap_or_default()
    }

    pub fn to(&self) -> &str {
        self.header("to").unwrap_or_default()
    }

    /// The body of the part of type `mime` (e.g. `text/plain`).
    pub fn part(&self, mime: &str) -> &str {
        self.parts
            .iter()
            .find(|(t, _)| t == mime)
            .map(|(_, b)| b.as_str())
            .unwrap_or_else(|| panic!("no {mime} part in {:?}", self.parts))
    }
}

fn collect_leaves(mail: &mailparse::ParsedMail<'_>, out: &mut Vec<(String, String)>) {
    if mail.subparts.is_empty() {
        out.push((
            mail.ctype.mimetype.clone(),
            mail.get_body()
                .expect("decodable body")
                .replace("\r\n", "\n"),
        ));
    }
    for part in &mail.subparts {
        collect_leaves(part, out);
    }
}
