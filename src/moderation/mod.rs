//! The moderators' workbench, apart from HTTP: the filters and pages of their lists (parsed
//! once for the API and the pages), the actions on a complaint, and the ids of the audit log
//! looked up for display (names, labels and Amsterdam time are the pages').

pub mod audit_view;
pub mod complaints;
pub mod filters;
