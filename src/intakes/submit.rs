//! Submitting an intake: the one path of `POST /api/v1/intakes` and the intake page, both of
//! which may send the same intake twice (an `Idempotency-Key`, or a form posted twice).

use super::{Created, Idempotency, NewIntake};
use crate::error::AppError;
use crate::workflow::Runner;

/// Creates the intake, or gives the earlier one back for a repeated idempotent request. When
/// two requests with one key race (PostgreSQL: both pass the "is the key known" check, the
/// second insert hits the key's unique index), the loser asks once more and then finds the
/// winner's intake. Only that unique violation is retried; every other error is the answer.
pub async fn submit(
    runner: &Runner,
    new: NewIntake,
    idempotency: Option<Idempotency>,
) -> Result<Created, AppError> {
    let again = idempotency.clone().map(|idem| (new.clone(), idem));
    if let Some(created) = attempt(runner, new, idempotency).await? {
        return Ok(created);
    }
    let (new, idem) =
        again.ok_or_else(|| AppError::internal("a keyless intake lost a key race"))?;
    attempt(runner, new, Some(idem))
        .await?
        .ok_or_else(|| AppError::internal("the idempotency key was taken but not found"))
}

async fn attempt(
    runner: &Runner,
    new: NewIntake,
    idempotency: Option<Idempotency>,
) -> Result<Option<Created>, AppError> {
    runner
        .run(move |ctx, conn| super::create(conn, ctx, new, idempotency))
        .await
}
