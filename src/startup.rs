//! Builds the application from settings: database (migrated), HTTP server bound to its port, and
//! the background workers (the mail worker, the lifecycle job and the once-a-minute log summary),
//! which start with [`Application::run_until_stopped`] and stop with the server. Tests build it on
//! port 0 and ask for the port, and may take the mail worker and the lifecycle job out
//! ([`Application::take_mail_worker`], [`Application::take_lifecycle_job`]) to drive them
//! themselves: then nothing delivers or expires behind the test's back.

use std::{net::TcpListener, sync::Arc};

use actix_web::{
    App, HttpMessage, HttpServer,
    dev::{Server, ServerHandle, Service},
    http::header::{HeaderName, HeaderValue},
    middleware::{ErrorHandlers, NormalizePath, TrailingSlash, from_fn},
    web,
};
use tracing_actix_web::{RequestId, TracingLogger};

use crate::telemetry::{span::RedactedRootSpan, summary};

use crate::{
    cases::job::Job,
    clock::Clock,
    config::{ConfigError, Settings},
    db::Database,
    error::AppError,
    geo::Gazetteer,
    http::{self, AppState, extract::BodyLimit},
    incidents::Catalogue,
    limits::{self, Limits},
    mail::{Mailer, transport::Transport, worker::Worker},
    metrics::{self, Metrics},
};

pub struct Application {
    port: u16,
    server: Server,
    state: web::Data<AppState>,
    mail_worker: Option<Worker>,
    lifecycle: Option<Job>,
}

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        Self::build_with_clock(settings, Clock::system()).await
    }

    /// As [`Application::build`], with a clock of the caller's (tests move it forward).
    pub async fn build_with_clock(settings: Settings, clock: Clock) -> anyhow::Result<Self> {
        let catalogue = Catalogue::shared()?;
        let db = open_database(&settings).await?;
        // The candidate index loads on a blocking thread while the templates compile here.
        let loading = {
            let db = db.clone();
            tokio::spawn(async move { db.run(crate::intakes::CandidatePool::load).await })
        };
        let listener = TcpListener::bind(settings.bind_addr).map_err(|e| ConfigError {
            variable: "BIND_ADDR",
            message: format!("cannot listen on {}: {e}", settings.bind_addr),
        })?;
        let port = listener.local_addr()?.port();
        let mailer = Arc::new(Mailer::new(&settings)?);
        let transport = Arc::new(Transport::from_settings(&settings)?);
        let mail_worker = Worker::new(
            db.clone(),
            clock.clone(),
            mailer.clone(),
            transport,
            &settings,
        );
        let limits = Arc::new(Limits::new(settings.rate_limits));
        let metrics = Arc::new(Metrics::new(settings.db_pool_size));
        let state = web::Data::new(AppState {
            db,
            settings: Arc::new(settings),
            clock,
            mailer,
            geocoder: Gazetteer::shared(),
            catalogue,
            pages: Arc::new(http::pages::Pages::load()?),
            candidates: {
                let candidates = Arc::new(loading.await??);
                tracing::info!(experts = candidates.len(), "candidate index loaded");
                candidates
            },
            limits,
            metrics,
        });
        let lifecycle = Job::new(
            state.db.clone(),
            state.clock.clone(),
            state.mailer.clone(),
            state.settings.clone(),
            state.catalogue.clone(),
            state.candidates.clone(),
        );
        let server = http_server(state.clone(), listener)?;
        Ok(Self {
            port,
            server,
            state,
            mail_worker: Some(mail_worker),
            lifecycle: Some(lifecycle),
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn state(&self) -> web::Data<AppState> {
        self.state.clone()
    }

    /// Takes the mail worker out: [`Application::run_until_stopped`] then delivers no mail, the
    /// caller does ([`Worker::run_due_now`]). `None` when it was taken already.
    pub fn take_mail_worker(&mut self) -> Option<Worker> {
        self.mail_worker.take()
    }

    /// Takes the lifecycle job out: [`Application::run_until_stopped`] then expires nothing and
    /// sends no invitations, the caller does ([`Job::run_due_now`]).
    pub fn take_lifecycle_job(&mut self) -> Option<Job> {
        self.lifecycle.take()
    }

    /// Stops the server (gracefully with `stop(true)`), e.g. from a test.
    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// Serves (and delivers mail) until SIGINT/SIGTERM or [`ServerHandle::stop`]; in-flight
    /// requests finish first, then the mail worker finishes the message it is sending.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let worker = self
            .mail_worker
            .map(|worker| tokio::spawn(worker.run(stopped.clone())));
        let summaries = tokio::spawn(summary::run(stopped.clone()));
        let follower = tokio::spawn(crate::intakes::pool::follow(
            self.state.db.clone(),
            self.state.candidates.clone(),
            stopped.clone(),
        ));
        let lifecycle = self.lifecycle.map(|job| tokio::spawn(job.run(stopped)));
        let result = self.server.await;
        let _ = stop.send(true);
        let _ = summaries.await;
        let _ = follower.await;
        if let Some(task) = lifecycle
            && let Err(e) = task.await
        {
            tracing::error!(error = %e, "the lifecycle job ended abnormally");
        }
        if let Some(task) = worker
            && let Err(e) = task.await
        {
            tracing::error!(error = %e, "the mail worker ended abnormally");
        }
        tracing::info!("server stopped");
        result
    }
}

/// Connects and migrates, off the async executor.
pub async fn open_database(settings: &Settings) -> anyhow::Result<Database> {
    let url = settings.database_url.clone();
    let pool_size = settings.db_pool_size;
    let busy_timeout = settings.db_busy_timeout;
    tokio::task::spawn_blocking(move || {
        let db =
            Database::connect_with(&url, pool_size, busy_timeout).map_err(|e| ConfigError {
                variable: "DATABASE_URL",
                message: format!("{e:#}"),
            })?;
        let applied = db.migrate()?;
        if !applied.is_empty() {
            tracing::info!(?applied, "applied migrations");
        }
        Ok(db)
    })
    .await?
}

fn http_server(state: web::Data<AppState>, listener: TcpListener) -> anyhow::Result<Server> {
    let body_limit = state.settings.body_limit;
    let shutdown_secs = state.settings.shutdown_timeout.as_secs();
    let incident_types =
        web::Data::new(http::incidents::IncidentTypesJson::build(&state.catalogue)?);
    let blocking_threads = blocking_threads_per_worker(state.settings.db_pool_size);
    let server = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .app_data(incident_types.clone())
            .app_data(web::PayloadConfig::new(body_limit))
            .app_data(BodyLimit(body_limit))
            .app_data(web::JsonConfig::default().limit(body_limit))
            .app_data(web::QueryConfig::default().error_handler(|e, _| {
                AppError::BadRequest(format!("The query string is not valid: {e}")).into()
            }))
            .app_data(web::PathConfig::default().error_handler(|_, _| AppError::NotFound.into()))
            .configure(http::configure)
            .default_service(web::to(http::problem::not_found))
            .wrap(actix_web::middleware::from_fn(
                http::text_guard::reject_control_chars,
            ))
            // Inside ErrorHandlers (a browser gets the friendly 429 page) and NormalizePath.
            .wrap_fn(limits::guard)
            .wrap(ErrorHandlers::new().default_handler(http::problem::convert))
            .wrap(from_fn(http::headers::security))
            // Inside NormalizePath (routed patterns), outside everything that decides a status.
            .wrap_fn(metrics::record)
            .wrap(NormalizePath::new(TrailingSlash::Trim))
            .wrap_fn(|req, srv| {
                let request_id = req.extensions().get::<RequestId>().copied();
                // A mutating request may have queued mail in its (now committed) transaction:
                // poke the worker so the mail goes out at once instead of at the next poll.
                let mailer = (!req.method().is_safe())
                    .then(|| {
                        req.app_data::<web::Data<AppState>>()
                            .map(|s| s.mailer.clone())
                    })
                    .flatten();
                let response = srv.call(req);
                async move {
                    let mut response = response.await?;
                    if let Some(mailer) = mailer {
                        mailer.wake();
                    }
                    if let Some(id) = request_id.and_then(|id| {
                        let mut text = uuid::Uuid::encode_buffer();
                        HeaderValue::from_str(id.hyphenated().encode_lower(&mut text)).ok()
                    }) {
                        response
                            .headers_mut()
                            .insert(HeaderName::from_static("x-request-id"), id);
                    }
                    Ok(response)
                }
            })
            .wrap(TracingLogger::<RedactedRootSpan>::new())
    })
    .shutdown_timeout(shutdown_secs)
    .worker_max_blocking_threads(blocking_threads)
    .listen(listener)?
    .run();
    Ok(server)
}

/// Blocking threads per HTTP worker. Nearly all blocking work is database work, which cannot
/// run without one of the pool's `DB_POOL_SIZE` connections, so threads beyond that only wait in
/// `pool.get()`: actix's default (512 / workers) let a burst of 64 connections start ~100
/// threads, each with its stack and its share of the allocator's per-thread arenas, for no more
/// throughput. Queued work waits in tokio's queue instead. The few blocking calls without a
/// connection (password hashing) share the same threads.
fn blocking_threads_per_worker(pool_size: u32) -> usize {
    pool_size.max(2) as usize
}
