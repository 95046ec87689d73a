//! Entry point: reads `.env` and the environment, sets up logging, runs the command. Any error
//! at start is one line on stderr naming what is wrong, and a non-zero exit.

use clap::Parser;
use hackhelpdesk::{
    cli,
    config::{ConfigError, Settings},
    telemetry,
};

#[actix_web::main]
async fn main() {
    let cli = cli::Cli::parse();
    let _ = dotenvy::dotenv();
    let settings = match Settings::from_env() {
        Ok(settings) => settings,
        Err(e) => {
            eprintln!("hackhelpdesk: {e}");
            std::process::exit(2);
        }
    };
    telemetry::init(settings.log_format);
    if let Err(e) = cli::run(cli, settings).await {
        eprintln!(
            "hackhelpdesk: {}",
            format!("{e:#}").replace(['\n', '\r'], " ")
        );
        std::process::exit(exit_code(&e));
    }
}

/// 2 when the database named by `DATABASE_URL` cannot be opened or written (a setting to fix),
/// as for any other bad setting; 1 for every other failure.
fn exit_code(e: &anyhow::Error) -> i32 {
    match e.downcast_ref::<ConfigError>() {
        Some(c) if c.variable == "DATABASE_URL" => 2,
        _ => 1,
    }
}
