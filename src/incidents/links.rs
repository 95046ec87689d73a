//! The allow-list of sites a first-aid step may link to: public bodies only (government, police,
//! regulators, the Fraudehelpdesk, No More Ransom). A public helpdesk must not steer victims to
//! commercial parties, so banks' shared pages, vendors and consumer organisations are left out.

/// Registrable domains of public bodies; a link's host must be one of these or a subdomain.
pub const ALLOWED_DOMAINS: &[&str] = &[
    // Police and the public-private anti-ransomware project of Europol and the Dutch police.
    "politie.nl",
    "nomoreransom.org",
    // Regulators.
    "autoriteitpersoonsgegevens.nl",
    "acm.nl",
    "consuwijzer.nl",
    // Government: ministries, national cyber security centre, the campaign sites of the ministry
    // of Justice and Security, the Digital Trust Center of the ministry of Economic Affairs.
    "rijksoverheid.nl",
    "government.nl",
    "overheid.nl",
    "ncsc.nl",
    "digitaltrustcenter.nl",
    "veiliginternetten.nl",
    "rvig.nl",
    // The Chamber of Commerce (a public body) and its portal for entrepreneurs.
    "kvk.nl",
    "ondernemersplein.nl",
    // The national fraud helpdesk, funded by the government.
    "fraudehelpdesk.nl",
];

/// The police's online report (aangifte), linked from the hand-off summary.
pub const POLICE_REPORT: &str = "https://www.politie.nl/aangifte-of-melding-doen";

/// The Autoriteit Persoonsgegevens on data breaches and how to report one, linked from the
/// 72-hour deadline and the hand-off summary.
pub const AP_BREACH_REPORT: &str =
    "https://www.autoriteitpersoonsgegevens.nl/themas/beveiliging/datalekken";

/// `Ok` when `link` is an `https` URL on an allowed domain, else why not.
pub fn check(link: &str) -> Result<(), String> {
    let url = url::Url::parse(link).map_err(|e| format!("link {link:?} is not a URL: {e}"))?;
    if url.scheme() != "https" {
        return Err(format!("link {link:?} must use https"));
    }
    if !url.username().is_empty() || url.password().is_some() || url.port().is_some() {
        return Err(format!(
            "link {link:?} must not carry credentials or a port"
        ));
    }
    let host = url
        .host_str()
        .ok_or_else(|| format!("link {link:?} has no host"))?;
    if is_allowed_host(host) {
        Ok(())
    } else {
        Err(format!(
            "link {link:?} points to {host}, which is not a public body on the allow-list"
        ))
    }
}

fn is_allowed_host(host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    ALLOWED_DOMAINS.iter().any(|domain| {
        host == *domain
            || host
                .strip_suffix(domain)
                .is_some_and(|rest| rest.ends_with('.'))
    })
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn the_links_of_deadlines_and_the_hand_off_stay_on_the_allow_list() {
        assert_eq!(check(super::POLICE_REPORT), Ok(()));
        assert_eq!(check(super::AP_BREACH_REPORT), Ok(()));
    }

    #[test]
    fn public_bodies_and_their_subdomains_are_allowed() {
        for link in [
            "https://www.politie.nl/aangifte-of-melding-doen",
            "https://www.nomoreransom.org/nl/index.html",
            "https://autoriteitpersoonsgegevens.nl/",
            "https://www.digitaltrustcenter.nl/",
            "https://www.fraudehelpdesk.nl/",
        ] {
            assert_eq!(check(link), Ok(()), "{link}");
        }
    }

    #[test]
    fn commercial_and_lookalike_sites_are_refused() {
        for link in [
            "https://www.veiligbankieren.nl/",
            "https://www.consumentenbond.nl/",
            "https://example.com/",
            "https://evilpolitie.nl/",
            "https://politie.nl.evil.com/",
        ] {
            let error = check(link).expect_err(link);
            assert!(error.contains("allow-list"), "{error}");
        }
    }

    #[test]
    fn plain_http_credentials_ports_and_non_urls_are_refused() {
        assert!(
            check("http://www.politie.nl/")
                .unwrap_err()
                .contains("https")
        );
        assert!(check("https://user@www.politie.nl/").is_err());
        assert!(check("https://www.politie.nl:8443/").is_err());
        assert!(check("javascript:alert(1)").is_err());
        assert!(check("www.politie.nl").is_err());
    }
}
