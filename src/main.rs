//! Entry point: reads `.env` and the environment, sets up logging, runs the command. Any error
//! at start is one line on stderr naming what is wrong, and a non-zero exit.

use clap::Parser;
use hackhelpdesk::{cli, config::Settings, telemetry};

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
        eprintln!("hackhelpdesk: {e:#}");
        std::process::exit(1);
    }
}
