//! Domain types and rules: newtypes that cannot hold bad data, and the state transitions of the
//! platform. Nothing here touches HTTP or the database.

pub mod case;
pub mod code;
mod contact;
pub mod deadline;
mod email;
pub mod expert;
pub mod ids;
pub mod incident;
mod kvk;
mod language;
pub mod location;
pub mod lockout;
mod mail_domain;
mod name;
#[cfg(test)]
mod no_status_literals;
mod password;
#[cfg(test)]
mod props;
pub mod reason;
mod role;
pub mod text;
pub mod token;
pub mod urgency;

pub use case::{ComplaintStatus, IntakeStatus, RequestStatus};
pub use contact::{Phone, Website};
pub use email::Email;
pub use expert::{ExpertAction, ExpertStatus};
pub use ids::{ComplaintId, ExpertId, IntakeId, RequestId};
pub use incident::IncidentType;
pub use kvk::KvkNumber;
pub use language::Language;
pub use location::{Location, LocationError, LocationInput};
pub use mail_domain::is_public_mail_domain;
pub use name::name;
pub use password::{Password, PasswordHash};
pub use reason::Reason;
pub use role::Role;
pub use urgency::Urgency;
