//! Accounts: who may log in, and how an expert company gets an account. Login with its lockout
//! ([`login`]), sessions ([`sessions`]), and registration with email verification
//! ([`registration`]). These are workflows like those of `experts/`, `intakes/` and `cases/`:
//! input arrives parsed into domain types, HTTP handlers only call them and shape the answer.

pub mod login;
pub mod registration;
pub mod sessions;
