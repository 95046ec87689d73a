//! The audit log as people read it. Entries hold ids and codes only (so erasure leaves them
//! intact); for display this looks up who and what those ids are now: moderators by email
//! address, experts by company name, a case by its incident type and municipality, a help
//! request or complaint by the expert it concerns. The words around them are the page's.

use std::collections::{HashMap, HashSet};

use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::models::audit::AuditEntry;
use crate::db::schema::{complaints, experts, help_requests, intakes, moderators};
use crate::domain::IncidentType;
use crate::error::AppError;

/// What the ids of some entries stand for.
#[derive(Debug, Default)]
pub struct Names {
    /// Moderator id → email address.
    pub moderators: HashMap<String, String>,
    /// Expert id → company name.
    pub experts: HashMap<String, String>,
    /// Intake id → (incident type code, municipality).
    pub intakes: HashMap<String, (IncidentType, String)>,
    /// Help request id → expert id.
    pub requests: HashMap<String, String>,
    /// Complaint id → expert id.
    pub complaints: HashMap<String, String>,
}

impl Names {
    /// The company name of the expert a request or complaint concerns.
    pub fn expert_of(&self, map: &HashMap<String, String>, id: &str) -> Option<&str> {
        map.get(id)
            .and_then(|expert| self.experts.get(expert))
            .map(String::as_str)
    }
}

fn ids_of<'a>(entries: &'a [AuditEntry], kind: &str, actors: bool) -> Vec<&'a str> {
    let set: HashSet<&str> = entries
        .iter()
        .filter_map(|e| {
            if actors {
                (e.actor_kind == kind)
                    .then_some(e.actor_id.as_deref())
                    .flatten()
            } else {
                (e.subject_kind == kind).then_some(e.subject_id.as_str())
            }
        })
        .collect();
    set.into_iter().collect()
}

/// Looks up every id these entries name, a few queries in all.
pub fn names_for(conn: &mut DbConn, entries: &[AuditEntry]) -> Result<Names, AppError> {
    let moderator_ids = ids_of(entries, "moderator", true);
    let moderators: Vec<(String, String)> = moderators::table
        .filter(moderators::id.eq_any(&moderator_ids))
        .select((moderators::id, moderators::email))
        .load(conn)?;
    let request_ids = ids_of(entries, "request", false);
    let requests: Vec<(String, String)> = help_requests::table
        .filter(help_requests::id.eq_any(&request_ids))
        .select((help_requests::id, help_requests::expert_id))
        .load(conn)?;
    let complaint_ids = ids_of(entries, "complaint", false);
    let complaint_rows: Vec<(String, String)> = complaints::table
        .filter(complaints::id.eq_any(&complaint_ids))
        .select((complaints::id, complaints::expert_id))
        .load(conn)?;
    let intake_ids = ids_of(entries, "intake", false);
    let intake_rows: Vec<(String, IncidentType, String)> = intakes::table
        .filter(intakes::id.eq_any(&intake_ids))
        .select((intakes::id, intakes::incident_type, intakes::municipality))
        .load(conn)?;
    let mut expert_ids: HashSet<&str> = ids_of(entries, "expert", true).into_iter().collect();
    expert_ids.extend(ids_of(entries, "expert", false));
    expert_ids.extend(requests.iter().map(|(_, e)| e.as_str()));
    expert_ids.extend(complaint_rows.iter().map(|(_, e)| e.as_str()));
    let expert_ids: Vec<&str> = expert_ids.into_iter().collect();
    let expert_rows: Vec<(String, String)> = experts::table
        .filter(experts::id.eq_any(&expert_ids))
        .select((experts::id, experts::company_name))
        .load(conn)?;
    Ok(Names {
        moderators: moderators.into_iter().collect(),
        experts: expert_rows.into_iter().collect(),
        intakes: intake_rows
            .into_iter()
            .map(|(id, t, m)| (id, (t, m)))
            .collect(),
        requests: requests.into_iter().collect(),
        complaints: complaint_rows.into_iter().collect(),
    })
}
