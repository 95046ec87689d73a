//! Settings from environment variables (and `.env`, loaded by `main`), validated once at start and
//! passed in; nothing reads the environment after this.
//!
//! Every error names the variable it is about, so an operator sees one clear line.

use std::{fmt, net::SocketAddr, net::ToSocketAddrs, path::PathBuf, time::Duration};

use lettre::message::Mailbox;
use url::Url;

/// Where the data lives: the embedded default or the production database.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// `sqlite://PATH`: a file, created when missing.
    Sqlite(PathBuf),
    /// `postgres://…` or `postgresql://…`, passed to libpq as written.
    Postgres(String),
}

impl DatabaseUrl {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        if let Some(path) = raw
            .strip_prefix("sqlite://")
            .or_else(|| raw.strip_prefix("sqlite:"))
        {
            if path.is_empty() {
                return Err("sqlite:// needs a file path, e.g. sqlite://hackhelpdesk.db".into());
            }
            return Ok(Self::Sqlite(PathBuf::from(path)));
        }
        if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            let url = Url::parse(raw).map_err(|e| format!("not a valid PostgreSQL URL ({e})"))?;
            if url.host_str().is_none_or(str::is_empty) && url.query().is_none() {
                return Err(
                    "a PostgreSQL URL needs a host, e.g. postgres://user@127.0.0.1:5432/db".into(),
                );
            }
            return Ok(Self::Postgres(raw.to_owned()));
        }
        let scheme = raw.split(':').next().unwrap_or_default();
        Err(format!(
            "unknown scheme '{scheme}'; use sqlite://PATH or postgres://USER@HOST:PORT/DB"
        ))
    }

    /// A short name for logs and `/readyz`.
    pub fn backend(&self) -> &'static str {
        match self {
            Self::Sqlite(_) => "sqlite",
            Self::Postgres(_) => "postgres",
        }
    }
}

/// Shows the URL without any password, so it can be logged.
impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sqlite(path) => write!(f, "sqlite://{}", path.display()),
            Self::Postgres(raw) => match Url::parse(raw) {
                Ok(mut url) => {
                    if url.password().is_some() {
                        let _ = url.set_password(Some("***"));
                    }
                    write!(f, "{url}")
                }
                Err(_) => f.write_str("postgres://(unparseable)"),
            },
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// All settings of one process.
#[derive(Debug, Clone)]
pub struct Settings {
    pub database_url: DatabaseUrl,
    pub bind_addr: SocketAddr,
    pub public_url: Url,
    /// A lettre SMTP URL; `None` writes `.eml` files under `mail_dir`.
    pub smtp_url: Option<String>,
    pub mail_dir: PathBuf,
    pub mail_from: Mailbox,
    pub moderator_alert_email: Option<Mailbox>,
    /// How often the mail worker looks for due messages when nobody wakes it (`MAIL_POLL_MS`).
    pub mail_poll: Duration,
    /// The longest one delivery attempt may take (`MAIL_SEND_TIMEOUT_SECS`).
    pub mail_send_timeout: Duration,
    pub rate_limits: bool,
    /// Reverse proxies whose `X-Forwarded-For`/`Forwarded` say who the client is
    /// (`TRUSTED_PROXIES`, comma-separated CIDRs; empty: the TCP peer is the client).
    pub trusted_proxies: Vec<ipnet::IpNet>,
    pub log_format: LogFormat,
    /// Largest request body accepted, in bytes (`BODY_LIMIT_KB`).
    pub body_limit: usize,
    /// Connections in the pool (`DB_POOL_SIZE`).
    pub db_pool_size: u32,
    /// How long a statement waits for a lock held by another connection before the request
    /// answers 503 (`DB_BUSY_TIMEOUT_MS`): SQLite's busy timeout, PostgreSQL's `lock_timeout`.
    pub db_busy_timeout: Duration,
    /// How long in-flight requests may take to finish on shutdown.
    pub shutdown_timeout: Duration,
    /// How long an expert has to accept a help request, in hours, by urgency: acute, recent,
    /// past (`REQUEST_TTL_ACUTE_HOURS`, `…_RECENT_HOURS`, `…_PAST_HOURS`).
    pub request_ttl_hours: [u32; 3],
    /// How often the lifecycle job looks for expired requests and due invitations
    /// (`LIFECYCLE_POLL_SECS`).
    pub lifecycle_poll: Duration,
    /// The least time between showing a public form and its submit (`FORM_MIN_FILL_SECS`);
    /// quicker is a script. 0 switches the check off.
    pub form_min_fill: Duration,
    /// Days after a case ended before the retention job pseudonymises it (`RETENTION_DAYS`);
    /// 0: at the next pass after it ended.
    pub retention_days: i64,
    /// The bearer token `/metrics` requires (`METRICS_TOKEN`); `None`: `/metrics` is open.
    pub metrics_token: Option<crate::metrics::MetricsToken>,
}

/// A bad setting: the variable and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub variable: &'static str,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "configuration error: {}: {}",
            self.variable, self.message
        )
    }
}

impl std::error::Error for ConfigError {}

fn err(variable: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError {
        variable,
        message: message.into(),
    }
}

impl Settings {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|key| std::env::var(key).ok())
    }

    /// Reads settings through `lookup`; unset and empty values take the default.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |key: &str| lookup(key).filter(|v| !v.trim().is_empty());
        let text = |key: &str, default: &str| get(key).unwrap_or_else(|| default.to_owned());

        let database_url = DatabaseUrl::parse(&text("DATABASE_URL", "sqlite://hackhelpdesk.db"))
            .map_err(|m| err("DATABASE_URL", m))?;
        let bind_raw = text("BIND_ADDR", "127.0.0.1:8080");
        let bind_addr = bind_raw
            .to_socket_addrs()
            .ok()
            .and_then(|mut addrs| addrs.next())
            .ok_or_else(|| err("BIND_ADDR", format!("'{bind_raw}' is not HOST:PORT")))?;
        let public_url = parse_public_url(&text("PUBLIC_URL", "http://localhost:8080"))?;
        let smtp_url = get("SMTP_URL")
            .map(|raw| check_smtp_url(&raw))
            .transpose()?;
        let mail_dir = PathBuf::from(text("MAIL_DIR", "mail-outbox"));
        let mail_from = parse_mailbox(
            "MAIL_FROM",
            &text("MAIL_FROM", "Hackhelpdesk <noreply@localhost>"),
        )?;
        let moderator_alert_email = get("MODERATOR_ALERT_EMAIL")
            .map(|raw| parse_mailbox("MODERATOR_ALERT_EMAIL", &raw))
            .transpose()?;
        let mail_poll_ms = parse_number("MAIL_POLL_MS", &text("MAIL_POLL_MS", "1000"), 10, 60_000)?;
        let mail_send_timeout_secs = parse_number(
            "MAIL_SEND_TIMEOUT_SECS",
            &text("MAIL_SEND_TIMEOUT_SECS", "30"),
            1,
            600,
        )?;
        let rate_limits = parse_switch("RATE_LIMITS", &text("RATE_LIMITS", "on"))?;
        let trusted_proxies = parse_networks("TRUSTED_PROXIES", &text("TRUSTED_PROXIES", ""))?;
        let log_format = match text("LOG_FORMAT", "text").to_ascii_lowercase().as_str() {
            "text" | "pretty" => LogFormat::Text,
            "json" => LogFormat::Json,
            other => {
                return Err(err(
                    "LOG_FORMAT",
                    format!("'{other}' is neither text nor json"),
                ));
            }
        };
        let body_limit_kb: usize =
            parse_number("BODY_LIMIT_KB", &text("BODY_LIMIT_KB", "64"), 1, 10_240)?;
        let db_pool_size = parse_number("DB_POOL_SIZE", &text("DB_POOL_SIZE", "8"), 1, 200)?;
        let db_busy_timeout_ms = parse_number(
            "DB_BUSY_TIMEOUT_MS",
            &text("DB_BUSY_TIMEOUT_MS", "5000"),
            50,
            600_000,
        )?;
        let shutdown_secs = parse_number(
            "SHUTDOWN_TIMEOUT_SECS",
            &text("SHUTDOWN_TIMEOUT_SECS", "30"),
            0,
            3600,
        )?;
        let ttl = |key: &'static str, default: &str| parse_number(key, &text(key, default), 1, 720);
        let request_ttl_hours = [
            ttl("REQUEST_TTL_ACUTE_HOURS", "2")?,
            ttl("REQUEST_TTL_RECENT_HOURS", "24")?,
            ttl("REQUEST_TTL_PAST_HOURS", "72")?,
        ];
        let lifecycle_poll_secs = parse_number(
            "LIFECYCLE_POLL_SECS",
            &text("LIFECYCLE_POLL_SECS", "60"),
            1,
            3600,
        )?;
        let form_min_fill_secs = parse_number(
            "FORM_MIN_FILL_SECS",
            &text("FORM_MIN_FILL_SECS", "3"),
            0,
            60,
        )?;
        let retention_days =
            parse_number("RETENTION_DAYS", &text("RETENTION_DAYS", "180"), 0, 3650)?;
        let metrics_token = get("METRICS_TOKEN")
            .map(|raw| {
                crate::metrics::MetricsToken::parse(&raw).map_err(|m| err("METRICS_TOKEN", m))
            })
            .transpose()?;

        Ok(Self {
            database_url,
            bind_addr,
            public_url,
            smtp_url,
            mail_dir,
            mail_from,
            moderator_alert_email,
            mail_poll: Duration::from_millis(mail_poll_ms),
            mail_send_timeout: Duration::from_secs(mail_send_timeout_secs),
            rate_limits,
            trusted_proxies,
            log_format,
            body_limit: body_limit_kb * 1024,
            db_pool_size,
            db_busy_timeout: Duration::from_millis(db_busy_timeout_ms),
            shutdown_timeout: Duration::from_secs(shutdown_secs),
            request_ttl_hours,
            lifecycle_poll: Duration::from_secs(lifecycle_poll_secs),
            form_min_fill: Duration::from_secs(form_min_fill_secs),
            retention_days,
            metrics_token,
        })
    }

    /// How long an expert has to accept a request for an intake of this urgency.
    pub fn request_ttl(&self, urgency: crate::domain::Urgency) -> chrono::TimeDelta {
        use crate::domain::Urgency;
        let hours = match urgency {
            Urgency::Acute => self.request_ttl_hours[0],
            Urgency::Recent => self.request_ttl_hours[1],
            Urgency::Past => self.request_ttl_hours[2],
        };
        chrono::TimeDelta::hours(i64::from(hours))
    }

    /// An absolute link below `PUBLIC_URL`, e.g. `link("case/abc")`.
    pub fn link(&self, path: &str) -> String {
        format!(
            "{}/{}",
            self.public_url.as_str().trim_end_matches('/'),
            path.trim_start_matches('/')
        )
    }
}

fn parse_public_url(raw: &str) -> Result<Url, ConfigError> {
    let url =
        Url::parse(raw).map_err(|e| err("PUBLIC_URL", format!("'{raw}' is not a URL ({e})")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(err(
            "PUBLIC_URL",
            format!("'{raw}' must be an http:// or https:// URL"),
        ));
    }
    Ok(url)
}

fn check_smtp_url(raw: &str) -> Result<String, ConfigError> {
    let url = Url::parse(raw).map_err(|e| err("SMTP_URL", format!("not a URL ({e})")))?;
    if !matches!(url.scheme(), "smtp" | "smtps") || url.host_str().is_none() {
        return Err(err(
            "SMTP_URL",
            "must look like smtp://HOST:PORT or smtps://USER:PASS@HOST",
        ));
    }
    Ok(raw.to_owned())
}

fn parse_mailbox(variable: &'static str, raw: &str) -> Result<Mailbox, ConfigError> {
    if raw.contains(['\r', '\n']) {
        return Err(err(variable, "must be a single address"));
    }
    raw.parse::<Mailbox>()
        .map_err(|e| err(variable, format!("'{raw}' is not an email address ({e})")))
}

fn parse_switch(variable: &'static str, raw: &str) -> Result<bool, ConfigError> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "on" | "true" | "1" | "yes" => Ok(true),
        "off" | "false" | "0" | "no" => Ok(false),
        other => Err(err(variable, format!("'{other}' is neither on nor off"))),
    }
}

/// `10.0.0.0/8, 192.168.1.7, ::1/128`: CIDRs, or bare addresses meaning just that address.
fn parse_networks(variable: &'static str, raw: &str) -> Result<Vec<ipnet::IpNet>, ConfigError> {
    raw.split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(|item| {
            item.parse::<ipnet::IpNet>()
                .or_else(|_| item.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map(|net| net.trunc())
                .map_err(|_| {
                    err(
                        variable,
                        format!("'{item}' is not an address or CIDR such as 10.0.0.0/8"),
                    )
                })
        })
        .collect()
}

fn parse_number<T>(variable: &'static str, raw: &str, min: T, max: T) -> Result<T, ConfigError>
where
    T: std::str::FromStr + PartialOrd + fmt::Display + Copy,
{
    let value: T = raw
        .trim()
        .parse()
        .map_err(|_| err(variable, format!("'{raw}' is not a whole number")))?;
    if value < min || value > max {
        return Err(err(variable, format!("{value} is outside {min}..={max}")));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn settings(pairs: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_match_the_contract() {
        let s = settings(&[]).unwrap();
        assert_eq!(
            s.database_url,
            DatabaseUrl::Sqlite("hackhelpdesk.db".into())
        );
        assert_eq!(s.bind_addr.to_string(), "127.0.0.1:8080");
        assert_eq!(s.public_url.as_str(), "http://localhost:8080/");
        assert!(s.smtp_url.is_none());
        assert_eq!(s.mail_dir, PathBuf::from("mail-outbox"));
        assert_eq!(s.mail_from.to_string(), "Hackhelpdesk <noreply@localhost>");
        assert!(s.moderator_alert_email.is_none());
        assert!(s.rate_limits);
        assert!(s.trusted_proxies.is_empty());
        assert!(s.metrics_token.is_none());
        assert_eq!(s.mail_poll, Duration::from_millis(1000));
        assert_eq!(s.mail_send_timeout, Duration::from_secs(30));
        assert_eq!(s.link("/case/x"), "http://localhost:8080/case/x");
        use crate::domain::Urgency;
        assert_eq!(s.request_ttl(Urgency::Acute), chrono::TimeDelta::hours(2));
        assert_eq!(s.request_ttl(Urgency::Recent), chrono::TimeDelta::hours(24));
        assert_eq!(s.request_ttl(Urgency::Past), chrono::TimeDelta::hours(72));
    }

    #[test]
    fn postgres_urls_are_recognised_and_passwords_hidden() {
        let s = settings(&[("DATABASE_URL", "postgres://app:secret@db:5432/hh")]).unwrap();
        assert_eq!(s.database_url.backend(), "postgres");
        let shown = s.database_url.to_string();
        assert!(!shown.contains("secret"), "{shown}");
    }

    #[test]
    fn every_bad_value_names_its_variable() {
        for (var, value) in [
            ("DATABASE_URL", "mysql://x"),
            ("DATABASE_URL", "sqlite://"),
            ("BIND_ADDR", "not-an-address"),
            ("PUBLIC_URL", "localhost:8080"),
            ("SMTP_URL", "http://mail"),
            ("MAIL_FROM", "nobody"),
            ("MODERATOR_ALERT_EMAIL", "a@b\r\nBcc: x@y"),
            ("RATE_LIMITS", "sometimes"),
            ("TRUSTED_PROXIES", "10.0.0.0/33"),
            ("TRUSTED_PROXIES", "127.0.0.1/32, proxy.internal"),
            ("LOG_FORMAT", "xml"),
            ("BODY_LIMIT_KB", "0"),
            ("MAIL_POLL_MS", "5"),
            ("MAIL_SEND_TIMEOUT_SECS", "soon"),
            ("REQUEST_TTL_ACUTE_HOURS", "0"),
            ("REQUEST_TTL_PAST_HOURS", "three"),
            ("LIFECYCLE_POLL_SECS", "0"),
            ("RETENTION_DAYS", "-1"),
            ("RETENTION_DAYS", "half a year"),
            ("RETENTION_DAYS", "3651"),
            ("METRICS_TOKEN", "short"),
            ("METRICS_TOKEN", "0123456789abcdef 0123456789abcdef"),
        ] {
            let e = settings(&[(var, value)]).unwrap_err();
            assert_eq!(e.variable, var, "{value}");
            assert!(
                e.to_string()
                    .starts_with(&format!("configuration error: {var}: "))
            );
        }
    }

    #[test]
    fn trusted_proxies_take_cidrs_and_bare_addresses() {
        let s = settings(&[("TRUSTED_PROXIES", " 10.1.2.3/8 , 192.168.1.7,::1/128,")]).unwrap();
        let shown: Vec<String> = s.trusted_proxies.iter().map(|n| n.to_string()).collect();
        assert_eq!(shown, ["10.0.0.0/8", "192.168.1.7/32", "::1/128"]);
    }

    #[test]
    fn the_metrics_token_is_kept_as_a_digest_only() {
        let secret = "4f1c0d8e6b2a9f3e7d5c1b0a8e6f4d2c";
        let s = settings(&[("METRICS_TOKEN", secret)]).unwrap();
        assert!(s.metrics_token.as_ref().unwrap().matches(secret));
        assert!(!format!("{s:?}").contains(secret));
    }

    #[test]
    fn rate_limits_can_be_switched_off() {
        assert!(!settings(&[("RATE_LIMITS", "off")]).unwrap().rate_limits);
    }
}
