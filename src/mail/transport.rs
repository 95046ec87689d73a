//! Where messages go: an SMTP server (`SMTP_URL`, TLS as the URL says) or, without one, one
//! `.eml` file per message under `MAIL_DIR`, so a new user sees exactly what would have been sent.
//!
//! Every send is bounded by a timeout (lettre's own covers only connecting) and its failure is
//! classified: a permanent SMTP answer (5xx) is final, everything else (4xx, connection refused,
//! timeouts, TLS trouble, a full disk) is worth another try.

use std::path::{Path, PathBuf};
use std::time::Duration;

use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::{ConfigError, Settings};

/// Why a send failed, and whether trying again can help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendError {
    pub permanent: bool,
    pub message: String,
}

impl std::fmt::Display for SendError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SendError {}

pub enum Transport {
    Smtp {
        inner: AsyncSmtpTransport<Tokio1Executor>,
        /// The URL without credentials, for logs and messages.
        shown: String,
    },
    Files {
        dir: PathBuf,
    },
}

impl Transport {
    /// The transport the settings ask for. A `SMTP_URL` lettre cannot use is a configuration
    /// error at start, not a surprise at the first email.
    pub fn from_settings(settings: &Settings) -> Result<Self, ConfigError> {
        let Some(url) = &settings.smtp_url else {
            return Ok(Self::Files {
                dir: settings.mail_dir.clone(),
            });
        };
        let inner = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| ConfigError {
                variable: "SMTP_URL",
                message: format!("lettre cannot use it ({e})"),
            })?
            .timeout(Some(settings.mail_send_timeout))
            .build();
        Ok(Self::Smtp {
            inner,
            shown: without_credentials(url),
        })
    }

    /// Where mail goes, for people: `SMTP server smtp://host:port` or `files in DIR`.
    pub fn describe(&self) -> String {
        match self {
            Self::Smtp { shown, .. } => format!("SMTP server {shown}"),
            Self::Files { dir } => format!("files in {}", dir.display()),
        }
    }

    /// Delivers one message; `Ok` means the SMTP server accepted it (or the file is complete).
    /// `file_stem` names the file in the folder, so a repeated send overwrites, not duplicates.
    pub async fn send(
        &self,
        message: &Message,
        file_stem: &str,
        timeout: Duration,
    ) -> Result<(), SendError> {
        let attempt =
            async {
                match self {
                    Self::Smtp { inner, .. } => inner
                        .send(message.clone())
                        .await
                        .map(|_| ())
                        .map_err(|e| SendError {
                            permanent: e.is_permanent(),
                            message: error_chain(&e),
                        }),
                    Self::Files { dir } => write_file(dir, file_stem, &message.formatted())
                        .await
                        .map_err(|e| SendError {
                            permanent: false,
                            message: format!("cannot write to {}: {e}", dir.display()),
                        }),
                }
            };
        match tokio::time::timeout(timeout, attempt).await {
            Ok(result) => result,
            Err(_) => Err(SendError {
                permanent: false,
                message: format!(
                    "{} did not finish within {} s",
                    self.describe(),
                    timeout.as_secs()
                ),
            }),
        }
    }
}

impl Transport {
    /// Closes pooled SMTP connections politely (QUIT); nothing to do for files.
    pub async fn shutdown(&self) {
        if let Self::Smtp { inner, .. } = self {
            inner.shutdown().await;
        }
    }
}

/// The file a message with this stem (its outbox id) is written to: `DIR/STEM.eml`, with
/// anything but ASCII letters, digits and `-` left out of the stem.
pub fn eml_path(dir: &Path, stem: &str) -> std::path::PathBuf {
    let stem: String = stem
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    dir.join(format!("{stem}.eml"))
}

/// Deletes the file copies of these messages (outbox ids) when emails go to files (no
/// `SMTP_URL`); an SMTP server keeps no copy here. A copy already gone is fine; one that cannot
/// be deleted is logged for the operator, as the records it mirrors are already erased.
pub fn delete_copies(settings: &Settings, ids: &[String]) {
    if settings.smtp_url.is_some() {
        return;
    }
    for id in ids {
        let path = eml_path(&settings.mail_dir, id);
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                tracing::error!(path = %path.display(), error = %e, "could not delete an email's file copy")
            }
        }
    }
}

/// Writes `DIR/STEM.eml` through a temporary file and a rename, so a reader never sees half.
async fn write_file(dir: &Path, stem: &str, bytes: &[u8]) -> std::io::Result<()> {
    tokio::fs::create_dir_all(dir).await?;
    let path = eml_path(dir, stem);
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let tmp = dir.join(format!(".{name}.tmp"));
    tokio::fs::write(&tmp, bytes).await?;
    tokio::fs::rename(&tmp, path).await
}

/// An error with its causes, e.g. `Connection error: Connection refused (os error 111)`.
fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

fn without_credentials(raw: &str) -> String {
    match url::Url::parse(raw) {
        Ok(url) => {
            let host = url.host_str().unwrap_or_default();
            match url.port() {
                Some(port) => format!("{}://{host}:{port}", url.scheme()),
                None => format!("{}://{host}", url.scheme()),
            }
        }
        Err(_) => "(unparseable SMTP_URL)".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shown_smtp_url_never_contains_the_password() {
        let shown = without_credentials("smtps://user:s3cret@mail.example.nl:465?tls=required");
        assert_eq!(shown, "smtps://mail.example.nl:465");
    }

    #[tokio::test]
    async fn without_smtp_each_message_is_one_file_named_after_its_outbox_id() {
        let dir = tempfile::tempdir().unwrap();
        let transport = Transport::Files {
            dir: dir.path().join("mail"),
        };
        let message = Message::builder()
            .from("a@example.nl".parse().unwrap())
            .to("b@example.nl".parse().unwrap())
            .subject("x")
            .body(String::from("y"))
            .unwrap();
        for _ in 0..2 {
            transport
                .send(&message, "0190-abc", Duration::from_secs(5))
                .await
                .unwrap();
        }
        let names: Vec<_> = std::fs::read_dir(dir.path().join("mail"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names, vec!["0190-abc.eml".to_owned()]);
    }
}
