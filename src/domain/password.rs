//! Passwords: a length rule on the way in, a guessability check for new accounts (zxcvbn, which
//! knows the common-password lists), argon2id (m = 19 MiB, t = 2, p = 1) for storage.

use argon2::password_hash::{PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
use argon2::{Algorithm, Argon2, Params, Version};

pub const MIN_PASSWORD_CHARS: usize = 12;
pub const MAX_PASSWORD_CHARS: usize = 1024;

/// A password that meets the length rules. Never logged: `Debug` hides it.
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

impl Password {
    pub fn parse(raw: &str) -> Result<Self, String> {
        super::text::single_line(raw)?;
        let chars = raw.chars().count();
        if chars < MIN_PASSWORD_CHARS {
            return Err(format!("must be at least {MIN_PASSWORD_CHARS} characters"));
        }
        if chars > MAX_PASSWORD_CHARS {
            return Err(format!("must be at most {MAX_PASSWORD_CHARS} characters"));
        }
        Ok(Self(raw.to_owned()))
    }

    /// As [`Password::parse`], and also refuses common passwords and patterns that are easy to
    /// guess (fewer than 10^10 guesses by zxcvbn's estimate), taking into account words the
    /// account itself gives away (`context`: email, company name, …).
    pub fn parse_new(raw: &str, context: &[&str]) -> Result<Self, String> {
        let password = Self::parse(raw)?;
        let estimate = zxcvbn::zxcvbn(raw, context);
        if estimate.score() < zxcvbn::Score::Three {
            return Err(
                "is too easy to guess (a common password, or a pattern or name); \
                 use a longer sentence of unrelated words"
                    .into(),
            );
        }
        Ok(password)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Hashes with a fresh salt (slow on purpose: run it off the async executor).
    pub fn hash(&self) -> PasswordHash {
        let salt = SaltString::generate(&mut OsRng);
        let phc = hasher()
            .hash_password(self.0.as_bytes(), &salt)
            .expect("argon2 with fixed valid parameters cannot fail")
            .to_string();
        PasswordHash(phc)
    }
}

/// A PHC string as stored (`$argon2id$v=19$m=19456,t=2,p=1$…`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordHash(String);

impl PasswordHash {
    pub fn from_stored(phc: String) -> Self {
        Self(phc)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Constant-time check of a candidate password; a malformed stored hash never matches.
    pub fn verify(&self, candidate: &str) -> bool {
        argon2::password_hash::PasswordHash::new(&self.0)
            .map(|parsed| {
                hasher()
                    .verify_password(candidate.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    }
}

fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_passwords_are_refused() {
        assert!(Password::parse("elevenchars").is_err());
        assert!(Password::parse("twelve chars").is_ok());
    }

    #[test]
    fn common_and_guessable_passwords_are_refused_for_new_accounts() {
        for common in [
            "password1234",
            "qwertyuiop123",
            "welkom123456",
            "123456789012",
        ] {
            assert!(Password::parse_new(common, &[]).is_err(), "{common}");
        }
        let company = Password::parse_new("veiligitbedrijf2024", &["veiligitbedrijf"]);
        assert!(company.is_err());
        assert!(Password::parse_new("correct horse battery staple", &[]).is_ok());
    }

    #[test]
    fn hashes_are_argon2id_and_verify_only_the_right_password() {
        let hash = Password::parse("correct horse battery").unwrap().hash();
        assert!(hash.as_str().starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(hash.verify("correct horse battery"));
        assert!(!hash.verify("correct horse battery!"));
        assert!(!PasswordHash::from_stored("garbage".into()).verify("x"));
    }

    #[test]
    fn debug_output_hides_the_password() {
        let p = Password::parse("very secret password").unwrap();
        assert!(!format!("{p:?}").contains("secret"));
    }
}
