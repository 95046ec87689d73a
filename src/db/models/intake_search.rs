//! The moderators' intake list: by status, incident type, province and creation date, searched
//! by place or the victim's name, company or email, newest first, a page at a time; with what
//! the list shows beside each case (the connected expert's company and the feedback score).

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::intake::IntakeRow;
use super::search::{Backend, ESCAPE, Page, Paging, contains, lower, lower_opt};
use crate::db::DbConn;
use crate::db::schema::{experts, intake_feedback, intakes};
use crate::domain::{ExpertId, IncidentType, IntakeId, IntakeStatus};
use crate::error::AppError;

#[derive(Debug, Clone, Default)]
pub struct IntakeFilter {
    pub status: Option<IntakeStatus>,
    pub incident_type: Option<IncidentType>,
    /// A province by its Dutch name, exactly as stored.
    pub province: Option<String>,
    /// Created at or after this moment (UTC).
    pub created_from: Option<NaiveDateTime>,
    /// Created before this moment (UTC).
    pub created_until: Option<NaiveDateTime>,
    /// Part of the place, municipality, or the victim's name, company name or email address.
    pub q: Option<String>,
    /// Only intakes older than this id (the keyset paging of the first API version).
    pub before: Option<String>,
}

fn filtered(f: &IntakeFilter) -> intakes::BoxedQuery<'static, Backend> {
    let mut query = intakes::table.into_boxed();
    if let Some(status) = f.status {
        query = query.filter(intakes::status.eq(status));
    }
    if let Some(code) = f.incident_type {
        query = query.filter(intakes::incident_type.eq(code));
    }
    if let Some(province) = &f.province {
        query = query.filter(intakes::province.eq(province.clone()));
    }
    if let Some(from) = f.created_from {
        query = query.filter(intakes::created_at.ge(from));
    }
    if let Some(until) = f.created_until {
        query = query.filter(intakes::created_at.lt(until));
    }
    if let Some(q) = f.q.as_deref().filter(|q| !q.trim().is_empty()) {
        let p = contains(q);
        query = query.filter(
            lower(intakes::place)
                .like(p.clone())
                .escape(ESCAPE)
                .or(lower(intakes::municipality).like(p.clone()).escape(ESCAPE))
                .nullable()
                .or(lower_opt(intakes::contact_name)
                    .like(p.clone())
                    .escape(ESCAPE))
                .or(lower_opt(intakes::company_name)
                    .like(p.clone())
                    .escape(ESCAPE))
                .or(lower_opt(intakes::contact_email).like(p).escape(ESCAPE))
                .assume_not_null(),
        );
    }
    if let Some(before) = &f.before {
        query = query.filter(intakes::id.lt(before.clone()));
    }
    query
}

/// A case as the moderators' list shows it.
#[derive(Debug, Clone)]
pub struct ListedIntake {
    pub row: IntakeRow,
    /// The company name of the connected expert, if any.
    pub expert_company_name: Option<String>,
    /// The victim's feedback: how much the expert helped, 1–5.
    pub helped: Option<i32>,
}

/// One page of the intakes that fit `filter`, newest first, and their number.
pub fn search(
    conn: &mut DbConn,
    filter: &IntakeFilter,
    paging: Paging,
) -> Result<Page<ListedIntake>, AppError> {
    let total = filtered(filter).count().get_result(conn)?;
    let rows: Vec<IntakeRow> = filtered(filter)
        .select(IntakeRow::as_select())
        .order(intakes::id.desc())
        .limit(paging.per_page)
        .offset(paging.offset())
        .load(conn)?;
    let expert_ids: Vec<&str> = rows
        .iter()
        .filter_map(|r| r.connected_expert_id.as_deref())
        .collect();
    let companies: HashMap<ExpertId, String> = experts::table
        .filter(experts::id.eq_any(&expert_ids))
        .select((experts::id, experts::company_name))
        .load(conn)?
        .into_iter()
        .collect();
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let scores: HashMap<IntakeId, i32> = intake_feedback::table
        .filter(intake_feedback::intake_id.eq_any(&ids))
        .select((intake_feedback::intake_id, intake_feedback::helped))
        .load(conn)?
        .into_iter()
        .collect();
    let items = rows
        .into_iter()
        .map(|row| ListedIntake {
            expert_company_name: row
                .connected_expert_id
                .as_ref()
                .and_then(|id| companies.get(id).cloned()),
            helped: scores.get(&row.id).copied(),
            row,
        })
        .collect();
    Ok(Page {
        items,
        total,
        paging,
    })
}
