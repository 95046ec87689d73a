//! Domain types and rules: newtypes that cannot hold bad data, and the state transitions of the
//! platform. Nothing here touches HTTP or the database.

mod contact;
mod email;
pub mod expert;
pub mod incident;
mod kvk;
mod language;
pub mod location;
pub mod lockout;
mod mail_domain;
mod name;
mod password;
#[cfg(test)]
mod props;
pub mod reason;
mod role;
pub mod text;
pub mod token;
pub mod urgency;

pub use contact::{Phone, Website};
pub use email::Email;
pub use expert::{ExpertAction, ExpertStatus};
pub use incident::IncidentType;
pub use kvk::KvkNumber;
pub use language::Language;
pub use location::{Location, LocationInput};
pub use mail_domain::is_public_mail_domain;
pub use name::name;
pub use password::{Password, PasswordHash};
pub use reason::Reason;
pub use role::Role;
pub use urgency::Urgency;
