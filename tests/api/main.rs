//! One integration test binary; a module per capability. Every test runs against SQLite, and
//! against PostgreSQL when `TEST_DATABASE_URL` is set (each test in its own database).

mod acceptance_clock;
mod audit;
mod browser;
mod browser_case;
mod browser_support;
mod case_lifecycle;
mod cli;
mod complaints_erasure;
mod concurrency;
mod connect;
mod delivery;
mod delivery_failures;
mod demo;
mod errors;
mod experts;
mod health;
mod helpers;
mod incidents;
mod input_hardening;
mod intakes;
mod logs;
mod mail;
mod mail_fixtures;
mod matching;
mod moderation;
mod pages;
mod pages_accounts;
mod pages_cases;
mod pages_moderator_cases;
mod persistence;
mod places;
mod security_headers;
mod sessions;
mod smtp_sink;
mod triage;
