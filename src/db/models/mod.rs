//! Rows and the queries on them, one module per table group. Queries are written once against
//! [`super::DbConn`] and serve both backends.

pub mod audit;
pub mod audit_actions;
pub mod audit_chain;
pub mod case;
pub mod code_of_conduct;
pub mod complaint;
pub mod expert;
pub mod expert_index;
pub mod expert_search;
pub mod gauges;
pub mod intake;
pub mod intake_clock;
pub mod intake_search;
pub mod login_throttle;
pub mod moderator;
pub mod moderator_alert;
pub mod outbox;
pub mod outcomes;
pub mod request;
pub mod retention;
pub mod search;
pub mod session;
pub mod verification;
