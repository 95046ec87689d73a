//! How an expert is shown to itself and to moderators: everything but secrets (no password or
//! token hashes ever leave the database).

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::{expert_expertise, help_requests};
use crate::db::{DbConn, models::expert::ExpertRow};
use crate::domain::{ExpertId, ExpertStatus, IncidentType, Location, RequestStatus};
use crate::error::AppError;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ExpertView {
    #[schema(value_type = String)]
    pub id: ExpertId,
    #[schema(value_type = crate::http::openapi::codes::ExpertStatusCode)]
    pub status: ExpertStatus,
    pub paused: bool,
    /// Whether this expert can be matched right now (approved, unpaused, current code of
    /// conduct, below capacity).
    pub matchable: bool,
    pub company_name: String,
    pub kvk_number: String,
    pub email: String,
    pub contact_name: String,
    pub phone: String,
    pub website: Option<String>,
    pub base: Location,
    pub radius_km: i32,
    pub remote: bool,
    #[schema(value_type = Vec<crate::http::openapi::codes::IncidentCode>)]
    pub expertise: Vec<IncidentType>,
    pub languages: Vec<String>,
    pub capacity: i32,
    pub open_cases: i32,
    pub available_24_7: bool,
    pub code_of_conduct_version: i32,
    pub code_of_conduct_current: bool,
    /// Why the expert was last rejected or suspended.
    pub status_reason: Option<String>,
    #[schema(value_type = String)]
    pub created_at: NaiveDateTime,
    #[schema(value_type = Option<String>)]
    pub verified_at: Option<NaiveDateTime>,
    #[schema(value_type = Option<String>)]
    pub approved_at: Option<NaiveDateTime>,
    /// How this expert answered help requests (for moderators; never an input of matching).
    pub responsiveness: Responsiveness,
}

/// Counts of the help requests sent to an expert, by how they ended.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct Responsiveness {
    pub received: i64,
    pub pending: i64,
    /// Accepted (including cases since completed or closed).
    pub accepted: i64,
    pub declined: i64,
    /// Let the acceptance clock run out.
    pub expired: i64,
    /// Withdrawn before this expert answered (another accepted, or the case closed).
    pub withdrawn: i64,
}

impl Responsiveness {
    fn add(&mut self, status: RequestStatus, n: i64) {
        self.received += n;
        match status {
            RequestStatus::Pending => self.pending += n,
            RequestStatus::Declined => self.declined += n,
            RequestStatus::Expired => self.expired += n,
            RequestStatus::Withdrawn => self.withdrawn += n,
            RequestStatus::Accepted | RequestStatus::Completed | RequestStatus::Closed => {
                self.accepted += n
            }
        }
    }
}

impl ExpertView {
    pub fn new(row: ExpertRow, expertise: Vec<IncidentType>, current_coc: i32) -> Self {
        let status = row.status;
        let coc_current = row.code_of_conduct_version == current_coc;
        Self {
            matchable: status == ExpertStatus::Approved
                && !row.paused
                && coc_current
                && row.open_cases < row.capacity,
            languages: row.languages(),
            base: Location {
                lat: row.base_lat,
                lon: row.base_lon,
                place: row.base_place,
                municipality: row.base_municipality,
                province: row.base_province,
            },
            id: row.id,
            status,
            paused: row.paused,
            company_name: row.company_name,
            kvk_number: row.kvk_number,
            email: row.email,
            contact_name: row.contact_name,
            phone: row.phone,
            website: row.website,
            radius_km: row.radius_km,
            remote: row.remote,
            expertise,
            capacity: row.capacity,
            open_cases: row.open_cases,
            available_24_7: row.available_24_7,
            code_of_conduct_version: row.code_of_conduct_version,
            code_of_conduct_current: coc_current,
            status_reason: row.status_reason,
            created_at: row.created_at,
            verified_at: row.verified_at,
            approved_at: row.approved_at,
            responsiveness: Responsiveness::default(),
        }
    }

    /// Loads the expertise and the current code of conduct for one expert.
    pub fn load(conn: &mut DbConn, row: ExpertRow) -> Result<Self, AppError> {
        let mut list = views(conn, vec![row])?;
        list.pop()
            .ok_or_else(|| AppError::internal("view of one expert is empty"))
    }
}

/// Views of many experts with two extra queries in all (expertise, code of conduct).
pub fn views(conn: &mut DbConn, rows: Vec<ExpertRow>) -> Result<Vec<ExpertView>, AppError> {
    let current = crate::db::models::code_of_conduct::current_version(conn)?;
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let pairs: Vec<(ExpertId, IncidentType)> = expert_expertise::table
        .filter(expert_expertise::expert_id.eq_any(&ids))
        .select((expert_expertise::expert_id, expert_expertise::incident_type))
        .load(conn)?;
    let mut by_expert: HashMap<ExpertId, Vec<IncidentType>> = HashMap::new();
    for (id, t) in pairs {
        by_expert.entry(id).or_default().push(t);
    }
    let counts: Vec<(ExpertId, RequestStatus, i64)> = help_requests::table
        .filter(help_requests::expert_id.eq_any(&ids))
        .group_by((help_requests::expert_id, help_requests::status))
        .select((
            help_requests::expert_id,
            help_requests::status,
            diesel::dsl::count_star(),
        ))
        .load(conn)?;
    let mut answered: HashMap<ExpertId, Responsiveness> = HashMap::new();
    for (id, status, n) in counts {
        answered.entry(id).or_default().add(status, n);
    }
    Ok(rows
        .into_iter()
        .map(|row| {
            let mut expertise = by_expert.remove(&row.id).unwrap_or_default();
            expertise.sort();
            let responsiveness = answered.remove(&row.id).unwrap_or_default();
            ExpertView {
                responsiveness,
                ..ExpertView::new(row, expertise, current)
            }
        })
        .collect())
}
