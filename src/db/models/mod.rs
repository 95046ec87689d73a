//! Rows and the queries on them, one module per table group. Queries are written once against
//! [`super::DbConn`] and serve both backends.

pub mod audit;
pub mod audit_chain;
pub mod case;
pub mod code_of_conduct;
pub mod complaint;
pub mod expert;
pub mod gauges;
pub mod intake;
pub mod login_throttle;
pub mod moderator;
pub mod moderator_alert;
pub mod outbox;
pub mod outcomes;
pub mod request;
pub mod retention;
pub mod session;
pub mod verification;
