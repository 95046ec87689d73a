//! Public mailbox providers. Two people with a Gmail address are not the same company, so a
//! shared public domain never counts as a conflict of interest.

const PUBLIC_MAIL_DOMAINS: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "hotmail.com",
    "hotmail.nl",
    "outlook.com",
    "outlook.nl",
    "live.com",
    "live.nl",
    "msn.com",
    "icloud.com",
    "me.com",
    "mac.com",
    "yahoo.com",
    "yahoo.nl",
    "ziggo.nl",
    "kpnmail.nl",
    "kpnplanet.nl",
    "planet.nl",
    "hetnet.nl",
    "home.nl",
    "xs4all.nl",
    "casema.nl",
    "upcmail.nl",
    "chello.nl",
    "quicknet.nl",
    "telfort.nl",
    "tele2.nl",
    "online.nl",
    "zeelandnet.nl",
    "solcon.nl",
    "caiway.nl",
    "kabelfoon.nl",
    "protonmail.com",
    "proton.me",
    "pm.me",
    "gmx.com",
    "gmx.net",
    "gmx.de",
    "web.de",
    "aol.com",
    "mail.com",
    "zoho.com",
    "tutanota.com",
    "fastmail.com",
];

pub fn is_public_mail_domain(domain: &str) -> bool {
    let domain = domain.trim().to_ascii_lowercase();
    PUBLIC_MAIL_DOMAINS.contains(&domain.as_str())
}

#[cfg(test)]
mod tests {
    #[test]
    fn public_providers_are_recognised() {
        assert!(super::is_public_mail_domain("Gmail.com"));
        assert!(super::is_public_mail_domain("ziggo.nl"));
        assert!(!super::is_public_mail_domain("bakkerij-jansen.nl"));
    }
}
