//! Entry point: reads `.env` and the environment, sets up logging, runs the command. Any error
//! at start is one line on stderr naming what is wrong, and a non-zero exit.

use clap::Parser;
use hackhelpdesk::{
    cli,
    config::{ConfigError, Settings},
    telemetry,
};

fn main() {
    limit_malloc_arenas();
    actix_web::rt::System::new().block_on(run());
}

async fn run() {
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

/// glibc gives every thread that allocates under contention an arena of its own (up to 8 per
/// core) and rarely hands their free pages back, so after a burst of requests on the HTTP
/// workers and the blocking threads the process kept ~50 MB it no longer used. Two arenas, one
/// per core of the machines this runs on, brought the resident memory after a load run from
/// 83 MB to 63 MB at the same throughput; one arena was as small but halved GET throughput
/// (both workers contending for its lock). `MALLOC_ARENA_MAX` in the environment still wins.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[expect(
    unsafe_code,
    reason = "mallopt is a C function; the standard library has no safe way to tune glibc malloc"
)]
fn limit_malloc_arenas() {
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        // SAFETY: mallopt only sets a tuning parameter of the allocator; no thread that
        // allocates exists yet besides this one.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, 2);
        }
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn limit_malloc_arenas() {}
