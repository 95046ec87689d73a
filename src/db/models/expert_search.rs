//! The moderators' expert list: by status, and searched by company name, KvK number, place,
//! municipality or email address, newest first, a page at a time.

use diesel::prelude::*;

use super::expert::ExpertRow;
use super::search::{Backend, ESCAPE, Page, Paging, contains, lower};
use crate::db::DbConn;
use crate::db::schema::experts;
use crate::domain::ExpertStatus;
use crate::error::AppError;

#[derive(Debug, Clone, Default)]
pub struct ExpertFilter {
    pub status: Option<ExpertStatus>,
    /// Part of the company name, KvK number (spaces ignored), place, municipality or email.
    pub q: Option<String>,
    /// Only experts older than this id (the keyset paging of the first API version).
    pub before: Option<String>,
}

fn filtered(filter: &ExpertFilter) -> experts::BoxedQuery<'static, Backend> {
    let mut query = experts::table.into_boxed();
    if let Some(status) = filter.status {
        query = query.filter(experts::status.eq(status));
    }
    if let Some(q) = filter.q.as_deref().filter(|q| !q.trim().is_empty()) {
        let p = contains(q);
        let digits: String = q.chars().filter(|c| !c.is_whitespace()).collect();
        let kvk = contains(&digits);
        query = query.filter(
            lower(experts::company_name)
                .like(p.clone())
                .escape(ESCAPE)
                .or(experts::kvk_number.like(kvk).escape(ESCAPE))
                .or(lower(experts::base_place).like(p.clone()).escape(ESCAPE))
                .or(lower(experts::base_municipality)
                    .like(p.clone())
                    .escape(ESCAPE))
                .or(lower(experts::email).like(p).escape(ESCAPE)),
        );
    }
    if let Some(before) = &filter.before {
        query = query.filter(experts::id.lt(before.clone()));
    }
    query
}

/// One page of the experts that fit `filter`, newest first (ids are UUID v7), and their number.
pub fn search(
    conn: &mut DbConn,
    filter: &ExpertFilter,
    paging: Paging,
) -> Result<Page<ExpertRow>, AppError> {
    let total = filtered(filter).count().get_result(conn)?;
    let items = filtered(filter)
        .select(ExpertRow::as_select())
        .order(experts::id.desc())
        .limit(paging.per_page)
        .offset(paging.offset())
        .load(conn)?;
    Ok(Page {
        items,
        total,
        paging,
    })
}
