//! Logging in, for moderators and experts alike, with the lockout of `domain::lockout`: failed
//! logins per email address and client slow down and then lock that client; failures from all
//! clients only slow down; unknown addresses get exactly the same answers, after as long.

use std::net::IpAddr;
use std::sync::OnceLock;

use chrono::{Duration, NaiveDateTime};

use super::sessions::{self, OpenedSession};
use crate::db::models::{expert, login_throttle, moderator};
use crate::db::{DbConn, write_tx};
use crate::domain::{Email, Password, PasswordHash, Role, lockout, token::hash_token};
use crate::error::AppError;
use crate::workflow::Runner;

/// The one answer to a wrong address or a wrong password.
pub const WRONG_LOGIN: &str = "The email address or password is not correct.";

/// A login attempt, parsed: the address, the password as typed, and the client it came from.
pub struct Attempt {
    pub email: Email,
    pub password: String,
    pub client: IpAddr,
}

/// An account that may log in: its role, id and password hash.
type Account = (Role, String, PasswordHash);

/// Checks the lock, counts the attempt, verifies the password, then opens a session (clearing
/// the counts) or refuses: 401 [`WRONG_LOGIN`], or 429 while this client is locked.
///
/// Failures are counted twice (see `domain::lockout`): for this address *from this client*,
/// which slows down and then locks only that client, and for the address from all clients,
/// which never locks but slows every attempt down once it is high. So a stranger's guesses can
/// never lock the owner out of their own account, and guessing from many clients is slowed.
///
/// The attempt is counted as a failure *before* the password is checked, in the same write
/// transaction as the lock check, so concurrent guesses are counted and locked exactly as
/// consecutive ones. The password is verified (argon2, slow by design) between the two write
/// transactions, without holding a pooled connection, so a burst of logins cannot starve other
/// requests.
pub async fn log_in(runner: &Runner, attempt: Attempt) -> Result<OpenedSession, AppError> {
    let now = runner.clock.now();
    let keys = [
        hash_token(&format!(
            "{}\n{}",
            attempt.email.as_str(),
            crate::limits::key(attempt.client)
        )),
        hash_token(attempt.email.as_str()),
    ];
    let counted = keys.clone();
    let email = attempt.email;
    let (account, slowdown) = runner
        .db
        .run(move |conn| write_tx(conn, |conn| count_attempt(conn, &counted, &email, now)))
        .await?;
    if let Some(wait) = slowdown {
        tokio::time::sleep(wait).await;
    }
    let password = attempt.password;
    let Some((role, id)) = runner.blocking(move || verify(account, &password)).await? else {
        return Err(AppError::Unauthorized(WRONG_LOGIN.into()));
    };
    runner
        .db
        .run(move |conn| {
            write_tx(conn, |conn| {
                for key in &keys {
                    login_throttle::clear(conn, key)?;
                }
                sessions::open(conn, role, &id, now)
            })
        })
        .await
}

/// The first write transaction: refuses a locked client, counts the attempt as a failure for
/// the client and for the address, and finds the account with the slowdown to apply.
fn count_attempt(
    conn: &mut DbConn,
    [client_key, account_key]: &[String; 2],
    email: &Email,
    now: NaiveDateTime,
) -> Result<(Option<Account>, Option<std::time::Duration>), AppError> {
    let throttle = login_throttle::lock_or_create(conn, client_key, now)?;
    if let Some(until) = throttle.locked_until
        && until > now
    {
        return Err(AppError::RateLimited {
            retry_after_secs: lockout::seconds_until(until, now),
        });
    }
    count_failure(conn, throttle, now, lockout::wait_after)?;
    let all_clients = login_throttle::lock_or_create(conn, account_key, now)?;
    let failures = count_failure(conn, all_clients, now, |_| None)?;
    Ok((
        find_account(conn, email)?,
        lockout::account_slowdown(failures),
    ))
}

/// Verifies against a dummy hash when the account is unknown, so the answer takes as long
/// either way and never tells whether an email exists.
fn verify(account: Option<Account>, password: &str) -> Option<(Role, String)> {
    match account {
        Some((role, id, hash)) => hash.verify(password).then_some((role, id)),
        None => {
            dummy_hash().verify(password);
            None
        }
    }
}

/// Moderators first, then experts (an address belongs to at most one of them in practice).
fn find_account(conn: &mut DbConn, email: &Email) -> Result<Option<Account>, AppError> {
    if let Some(m) = moderator::find_by_email(conn, email)? {
        return Ok(Some((
            Role::Moderator,
            m.id,
            PasswordHash::from_stored(m.password_hash),
        )));
    }
    Ok(expert::find_by_email(conn, email.as_str())?.map(|e| {
        (
            Role::Expert,
            e.id.into(),
            PasswordHash::from_stored(e.password_hash),
        )
    }))
}

/// Counts one more failure on the row [`login_throttle::lock_or_create`] returned, locking it
/// for `wait(failures)`; returns the new count.
fn count_failure(
    conn: &mut DbConn,
    previous: login_throttle::Throttle,
    now: NaiveDateTime,
    wait: impl Fn(i32) -> Option<Duration>,
) -> Result<i32, AppError> {
    let failures = lockout::next_failures(previous.failed_logins, previous.last_failed_at, now);
    login_throttle::save(
        conn,
        &login_throttle::Throttle {
            failed_logins: failures,
            last_failed_at: now,
            locked_until: wait(failures).map(|wait| now + wait),
            ..previous
        },
    )?;
    Ok(failures)
}

fn dummy_hash() -> &'static PasswordHash {
    static HASH: OnceLock<PasswordHash> = OnceLock::new();
    HASH.get_or_init(|| {
        Password::parse("not a real password, only for timing")
            .expect("long enough")
            .hash()
    })
}
