//! `spawn_app` and friends: the real application on a random port with a fresh database, and one
//! helper per endpoint so tests read as Arrange / Act / Assert. One file per capability; every
//! helper is re-exported here, so tests `use crate::helpers::…` whatever file it lives in.

mod accounts;
mod cli;
mod db;
mod expert;
mod http;
mod jobs;
mod mail;
mod pages;
mod problem;
mod spawn;
mod victim;

pub use accounts::*;
pub use cli::*;
pub use db::*;
pub use expert::*;
pub use mail::*;
pub use pages::*;
pub use problem::*;
pub use spawn::*;
pub use victim::*;
