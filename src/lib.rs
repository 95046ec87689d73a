//! The Hackhelpdesk expert platform: first aid and vetted peer help for Dutch small businesses hit
//! by cybercrime. See README.md for the product and `../shared/DESIGN.md` for the layout.

pub mod accounts;
pub mod cases;
pub mod cli;
pub mod clock;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod error;
pub mod experts;
pub mod exports;
pub mod geo;
pub mod http;
pub mod i18n;
pub mod incidents;
pub mod intakes;
pub mod limits;
pub mod mail;
pub mod matching;
pub mod metrics;
pub mod moderation;
pub mod startup;
pub mod stats;
pub mod telemetry;
pub mod templates;
pub mod workflow;
