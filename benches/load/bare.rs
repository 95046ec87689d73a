//! The bare counterparts for `benches/load/run.sh`: the same stack as the platform (actix-web,
//! diesel over SQLite, an r2d2 pool) with nothing else, so the load run can say how much of the
//! stack's own speed the platform keeps.
//!
//! - `GET /json` answers a static body: the file named by `BARE_JSON_FILE` (run.sh saves the
//!   platform's own `GET /api/v1/incident-types` answer there, so both send the same bytes);
//! - `POST /insert` parses the JSON body and inserts one row inside `BEGIN IMMEDIATE` into the
//!   SQLite file `BARE_DB` (created with WAL, and the connection pragmas of src/db/manager.rs).
//!
//! It is a `[[bench]]` with `harness = false`: cargo keeps it out of the product binaries and out
//! of `cargo test`, while clippy's `--all-targets` still checks it. A plain `cargo bench` runs it
//! with `--bench` only; then it says how to use it and exits, instead of serving forever.
//! Serve: `bare serve ADDR` (run.sh finds the executable with `cargo bench --no-run`).

use std::time::Duration;

use actix_web::{App, HttpResponse, HttpServer, web};
use diesel::connection::SimpleConnection;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool};
use diesel::sql_types::Text;
use diesel::{Connection, RunQueryDsl, SqliteConnection};

type SqlitePool = Pool<ConnectionManager<SqliteConnection>>;

/// The platform's defaults: `DB_POOL_SIZE` 8 and `DB_BUSY_TIMEOUT_MS` 5000.
const POOL_SIZE: u32 = 8;
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The per-connection pragmas of src/db/manager.rs (`open_sqlite`); WAL is set once per file.
#[derive(Debug)]
struct Pragmas;

impl CustomizeConnection<SqliteConnection, diesel::r2d2::Error> for Pragmas {
    fn on_acquire(&self, conn: &mut SqliteConnection) -> Result<(), diesel::r2d2::Error> {
        conn.batch_execute(&format!(
            "PRAGMA busy_timeout = {}; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;",
            BUSY_TIMEOUT.as_millis()
        ))
        .map_err(diesel::r2d2::Error::QueryError)
    }
}

fn open_pool(path: &str) -> anyhow::Result<SqlitePool> {
    let mut conn = SqliteConnection::establish(path)?;
    conn.batch_execute(
        "PRAGMA journal_mode = WAL;
         CREATE TABLE IF NOT EXISTS bare_rows (
             id TEXT PRIMARY KEY NOT NULL,
             body TEXT NOT NULL,
             created_at TEXT NOT NULL
         );",
    )?;
    Ok(Pool::builder()
        .max_size(POOL_SIZE)
        .min_idle(Some(0))
        .connection_customizer(Box::new(Pragmas))
        .build(ConnectionManager::new(path))?)
}

async fn json(body: web::Data<web::Bytes>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(mime::APPLICATION_JSON)
        .body(body.get_ref().clone())
}

async fn insert(
    pool: web::Data<SqlitePool>,
    body: web::Json<serde_json::Value>,
) -> actix_web::Result<HttpResponse> {
    let id = uuid::Uuid::now_v7().to_string();
    let row_id = id.clone();
    let text = body.into_inner().to_string();
    let now = chrono::Utc::now().naive_utc().to_string();
    web::block(move || -> anyhow::Result<()> {
        let mut conn = pool.get()?;
        conn.immediate_transaction(|conn| {
            diesel::sql_query("INSERT INTO bare_rows (id, body, created_at) VALUES (?, ?, ?)")
                .bind::<Text, _>(&row_id)
                .bind::<Text, _>(&text)
                .bind::<Text, _>(&now)
                .execute(conn)
        })?;
        Ok(())
    })
    .await?
    .map_err(actix_web::error::ErrorServiceUnavailable)?;
    Ok(HttpResponse::Created().json(serde_json::json!({ "id": id })))
}

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(addr) = args
        .iter()
        .position(|a| a == "serve")
        .and_then(|i| args.get(i + 1))
    else {
        println!("bare: the load run's bare counterparts; run benches/load/run.sh");
        return Ok(());
    };
    let body = match std::env::var("BARE_JSON_FILE") {
        Ok(path) => std::fs::read(path)?,
        Err(_) => b"[]".to_vec(),
    };
    let body = web::Data::new(web::Bytes::from(body));
    let db = std::env::var("BARE_DB").unwrap_or_else(|_| "bare.db".into());
    let pool = web::Data::new(open_pool(&db)?);
    println!("bare: serving on {addr}");
    HttpServer::new(move || {
        App::new()
            .app_data(body.clone())
            .app_data(pool.clone())
            .route("/json", web::get().to(json))
            .route("/insert", web::post().to(insert))
    })
    .bind(addr)?
    .run()
    .await?;
    Ok(())
}
