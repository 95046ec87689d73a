//! A fresh database per test: SQLite in a temporary folder, or PostgreSQL when
//! `TEST_DATABASE_URL` names a server.

use std::path::PathBuf;

use diesel::{Connection, PgConnection, connection::SimpleConnection};
use tempfile::TempDir;

/// A fresh database for one test: a SQLite file in a temporary folder, or a new PostgreSQL
/// database (dropped again at the end) when `TEST_DATABASE_URL` names a server.
pub struct TestDb {
    pub url: String,
    dir: TempDir,
    postgres: Option<(String, String)>,
}

impl TestDb {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        match std::env::var("TEST_DATABASE_URL")
            .ok()
            .filter(|u| !u.is_empty())
        {
            Some(admin_url) => {
                let name = format!("hh_test_{}", uuid::Uuid::new_v4().simple());
                let mut admin =
                    PgConnection::establish(&admin_url).expect("TEST_DATABASE_URL answers");
                admin
                    .batch_execute(&format!("CREATE DATABASE {name}"))
                    .expect("create test database");
                let mut url = url::Url::parse(&admin_url).expect("TEST_DATABASE_URL is a URL");
                url.set_path(&name);
                Self {
                    url: url.to_string(),
                    dir,
                    postgres: Some((admin_url, name)),
                }
            }
            None => {
                let url = format!("sqlite://{}", dir.path().join("test.db").display());
                Self {
                    url,
                    dir,
                    postgres: None,
                }
            }
        }
    }

    pub fn backend(&self) -> &'static str {
        if self.postgres.is_some() {
            "postgres"
        } else {
            "sqlite"
        }
    }

    /// A scratch folder that lives as long as the database (mail files, working directories).
    pub fn dir(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin_url, name)) = &self.postgres
            && let Ok(mut admin) = PgConnection::establish(admin_url)
        {
            let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }
}
