//! Failed sign-ins per email address (known or unknown alike) and the lock they cause.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::login_throttle as throttle;
use crate::error::AppError;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = throttle)]
pub struct Throttle {
    pub email_hash: String,
    pub failed_logins: i32,
    pub last_failed_at: NaiveDateTime,
    pub locked_until: Option<NaiveDateTime>,
}

pub fn find(conn: &mut DbConn, email_hash: &str) -> Result<Option<Throttle>, AppError> {
    Ok(throttle::table
        .find(email_hash)
        .select(Throttle::as_select())
        .first(conn)
        .optional()?)
}

/// The address's row for a failure being recorded, created (no failures yet) when missing and
/// locked until the write transaction ends, so concurrent failures are counted one after the
/// other instead of overwriting each other or colliding on the insert. SQLite's `BEGIN IMMEDIATE`
/// serialises them already; PostgreSQL needs `ON CONFLICT DO NOTHING` and `FOR UPDATE`.
pub fn lock_or_create(
    conn: &mut DbConn,
    email_hash: &str,
    now: NaiveDateTime,
) -> Result<Throttle, AppError> {
    let fresh = Throttle {
        email_hash: email_hash.to_owned(),
        failed_logins: 0,
        last_failed_at: now,
        locked_until: None,
    };
    match conn {
        DbConn::Pg(c) => {
            diesel::insert_into(throttle::table)
                .values(&fresh)
                .on_conflict_do_nothing()
                .execute(c)?;
            Ok(throttle::table
                .find(email_hash)
                .select(Throttle::as_select())
                .for_update()
                .first(c)?)
        }
        DbConn::Sqlite(_) => match find(conn, email_hash)? {
            Some(row) => Ok(row),
            None => {
                diesel::insert_into(throttle::table)
                    .values(&fresh)
                    .execute(conn)?;
                Ok(fresh)
            }
        },
    }
}

/// Stores the new state of a row returned by [`lock_or_create`] (same write transaction).
pub fn save(conn: &mut DbConn, row: &Throttle) -> Result<(), AppError> {
    diesel::update(throttle::table.find(&row.email_hash))
        .set((
            throttle::failed_logins.eq(row.failed_logins),
            throttle::last_failed_at.eq(row.last_failed_at),
            throttle::locked_until.eq(row.locked_until),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn clear(conn: &mut DbConn, email_hash: &str) -> Result<(), AppError> {
    diesel::delete(throttle::table.find(email_hash)).execute(conn)?;
    Ok(())
}
