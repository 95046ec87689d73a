//! The command line: `serve` (default), `migrate`, `create-moderator`, `seed-demo`,
//! `send-test-email`, `verify-audit`.

use std::io::{BufRead, IsTerminal, Write};

use clap::{Parser, Subcommand};

use crate::{
    config::Settings,
    db::{Database, models::moderator},
    domain::{Email, Password},
    i18n::Lang,
    startup::Application,
};

#[derive(Debug, Parser)]
#[command(
    name = "hackhelpdesk",
    version,
    about = "Expert platform of the Hackhelpdesk"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply pending migrations and serve HTTP (the default).
    Serve,
    /// Apply pending migrations and exit.
    Migrate,
    /// Create a PVO moderator; reads the password (12+ characters) from standard input and prints
    /// the new moderator's id.
    CreateModerator {
        /// The moderator's email address (their login).
        email: String,
    },
    /// Send a test email right away through the configured transport (SMTP_URL, or a file under
    /// MAIL_DIR) and report success or the error; exits non-zero when it was not sent.
    SendTestEmail {
        /// Where to send it.
        address: String,
        /// Language of the message: nl or en.
        #[arg(long, default_value = "nl", value_parser = parse_lang)]
        lang: Lang,
    },
    /// Create approved demo experts spread over the Netherlands (log in as
    /// demo-000001@demo.invalid with the printed password).
    SeedDemo {
        /// How many demo experts to add.
        #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
        experts: u32,
    },
    /// Walk the audit log's hash chain: exits 0 and prints the entry count and head hash when
    /// it is intact, else exits 1 naming the first entry that does not fit.
    VerifyAudit {
        /// A head hash printed by an earlier run: the chain must still contain it.
        #[arg(long, value_name = "HASH")]
        known_head: Option<String>,
    },
}

fn parse_lang(raw: &str) -> Result<Lang, String> {
    Lang::parse(raw).ok_or_else(|| {
        format!(
            "'{raw}' is not a supported language ({})",
            Lang::ALL.map(Lang::code).join(", ")
        )
    })
}

/// Runs one command; the error is printed by `main` as one line.
pub async fn run(cli: Cli, settings: Settings) -> anyhow::Result<()> {
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(settings).await,
        Command::Migrate => {
            let db = crate::startup::open_database(&settings).await?;
            tracing::info!(database = %db.url(), "migrations are up to date");
            println!("migrations are up to date ({})", db.url());
            Ok(())
        }
        Command::CreateModerator { email } => create_moderator(settings, &email).await,
        Command::SendTestEmail { address, lang } => {
            let report = crate::mail::send_test_email(&settings, &address, lang).await?;
            println!("{report}");
            Ok(())
        }
        Command::SeedDemo { experts } => seed_demo(settings, experts as usize).await,
        Command::VerifyAudit { known_head } => verify_audit(settings, known_head).await,
    }
}

async fn serve(settings: Settings) -> anyhow::Result<()> {
    let app = Application::build(settings.clone()).await?;
    tracing::info!(
        address = %settings.bind_addr,
        port = app.port(),
        database = %settings.database_url,
        public_url = %settings.public_url,
        "Hackhelpdesk expert platform is serving"
    );
    app.run_until_stopped().await?;
    Ok(())
}

async fn create_moderator(settings: Settings, raw_email: &str) -> anyhow::Result<()> {
    let email = Email::parse(raw_email).map_err(|m| anyhow::anyhow!("email {m}"))?;
    let password = read_password()?;
    let password = Password::parse(&password).map_err(|m| anyhow::anyhow!("password {m}"))?;
    let db: Database = crate::startup::open_database(&settings).await?;
    let created = tokio::task::spawn_blocking(move || {
        let hash = password.hash();
        db.run_blocking(|conn| moderator::create(conn, &email, &hash))
    })
    .await??;
    println!("{}", created.id);
    Ok(())
}

async fn seed_demo(settings: Settings, count: usize) -> anyhow::Result<()> {
    let db: Database = crate::startup::open_database(&settings).await?;
    let started = std::time::Instant::now();
    let total = tokio::task::spawn_blocking(move || {
        let geocoder = crate::geo::Gazetteer::shared();
        crate::demo::seed(&db, geocoder.as_ref(), count, crate::db::now())
    })
    .await??;
    println!(
        "created {count} approved demo experts in {:.1}s ({total} demo experts in all); \
         log in as demo-000001@demo.invalid with password \"{}\"",
        started.elapsed().as_secs_f64(),
        crate::demo::DEMO_PASSWORD
    );
    Ok(())
}

async fn verify_audit(settings: Settings, known_head: Option<String>) -> anyhow::Result<()> {
    let db: Database = crate::startup::open_database(&settings).await?;
    let known = known_head.map(|h| h.trim().to_ascii_lowercase());
    let verdict = tokio::task::spawn_blocking(move || {
        db.run_blocking(|conn| {
            crate::db::models::audit_chain::verify_against(conn, known.as_deref())
        })
    })
    .await??;
    if !verdict.intact {
        anyhow::bail!("{}", verdict.summary());
    }
    println!("{}", verdict.summary());
    Ok(())
}

/// One line from stdin; prompts without echo when stdin is a terminal.
fn read_password() -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        eprint!("Password (at least 12 characters): ");
        std::io::stderr().flush()?;
        return Ok(rpassword::read_password()?);
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}
