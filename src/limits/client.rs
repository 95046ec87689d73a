//! Who the client is: the TCP peer, or, when the peer is one of our own reverse proxies
//! (`TRUSTED_PROXIES`), the address that proxy chain reports in `X-Forwarded-For` (or, without it,
//! `Forwarded`). The chain is walked from the right: every hop a trusted proxy appended is
//! skipped, and the first address not in `TRUSTED_PROXIES` is the client. Anything left of it was
//! written by the client itself and is ignored, so a client cannot pick its own address.
//!
//! A proxy that only writes `Forwarded` must drop an incoming `X-Forwarded-For`, because that
//! header is preferred when both are present (every common proxy writes `X-Forwarded-For`).

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use actix_web::{
    HttpMessage, HttpRequest,
    http::header::{self, HeaderMap},
    web,
};
use ipnet::IpNet;

use crate::http::AppState;

/// The resolved client address, put in the request extensions by the rate-limit middleware.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

/// The client address of `req`, with `TRUSTED_PROXIES` applied (the same answer the rate limits
/// key on). Without a peer address (only in unit tests) it is `0.0.0.0`.
pub fn client_ip(req: &HttpRequest) -> IpAddr {
    if let Some(ClientIp(ip)) = req.extensions().get::<ClientIp>() {
        return *ip;
    }
    let trusted = req
        .app_data::<web::Data<AppState>>()
        .map(|state| state.settings.trusted_proxies.as_slice())
        .unwrap_or_default();
    resolve(req.peer_addr().map(|a| a.ip()), req.headers(), trusted)
}

/// The client address from the TCP peer and the forwarding headers.
pub fn resolve(peer: Option<IpAddr>, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let peer = peer
        .map(|ip| ip.to_canonical())
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let chain = forwarded_chain(headers);
    let mut nearest = peer;
    for hop in chain.iter().rev() {
        match hop {
            // Written by a trusted proxy, but not an address: the client is unknown, and the
            // nearest hop we know stands in for it.
            None => return nearest,
            Some(ip) if is_trusted(ip) => nearest = *ip,
            Some(ip) => return *ip,
        }
    }
    nearest
}

/// The addresses of `X-Forwarded-For` (all its lines, in order) or else of `Forwarded`'s `for=`
/// parameters; `None` for an entry that is not an address (`unknown`, `_hidden`, garbage).
fn forwarded_chain(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let lines = |name| {
        headers
            .get_all(name)
            .map(|v| v.to_str().unwrap_or("garbage").to_owned())
            .collect::<Vec<_>>()
    };
    let xff = lines(header::X_FORWARDED_FOR);
    if !xff.is_empty() {
        return xff
            .iter()
            .flat_map(|line| line.split(','))
            .map(parse_node)
            .collect();
    }
    lines(header::FORWARDED)
        .iter()
        .flat_map(|line| line.split(','))
        .filter_map(|element| {
            element.split(';').find_map(|pair| {
                let (key, value) = pair.split_once('=')?;
                key.trim()
                    .eq_ignore_ascii_case("for")
                    .then(|| parse_node(value))
            })
        })
        .collect()
}

/// One hop: `192.0.2.1`, `192.0.2.1:4711`, `2001:db8::1`, `"[2001:db8::1]:4711"`.
fn parse_node(raw: &str) -> Option<IpAddr> {
    let node = raw.trim().trim_matches('"');
    if let Ok(ip) = node.parse::<IpAddr>() {
        return Some(ip.to_canonical());
    }
    if let Ok(addr) = node.parse::<SocketAddr>() {
        return Some(addr.ip().to_canonical());
    }
    let bracketed = node.strip_prefix('[')?.split(']').next()?;
    bracketed.parse::<IpAddr>().ok().map(|ip| ip.to_canonical())
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::http::header::{HeaderName, HeaderValue};

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(
                HeaderName::from_static(name),
                HeaderValue::from_static(value),
            );
        }
        map
    }

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().map(|n| n.parse().unwrap()).collect()
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_claims() {
        let h = headers(&[("x-forwarded-for", "1.1.1.1"), ("forwarded", "for=2.2.2.2")]);
        assert_eq!(resolve(Some(ip("9.9.9.9")), &h, &[]), ip("9.9.9.9"));
        let trusted = nets(&["10.0.0.0/8"]);
        assert_eq!(resolve(Some(ip("9.9.9.9")), &h, &trusted), ip("9.9.9.9"));
    }

    #[test]
    fn behind_trusted_proxies_the_rightmost_untrusted_hop_is_the_client() {
        let trusted = nets(&["10.0.0.0/8"]);
        // The client claims 6.6.6.6; the outer proxy appended the real 1.2.3.4, an inner one 10.0.0.2.
        let h = headers(&[("x-forwarded-for", "6.6.6.6, 1.2.3.4, 10.0.0.2")]);
        assert_eq!(resolve(Some(ip("10.0.0.1")), &h, &trusted), ip("1.2.3.4"));
        // Several header lines count as one list.
        let h = headers(&[
            ("x-forwarded-for", "6.6.6.6"),
            ("x-forwarded-for", "1.2.3.4:5555"),
        ]);
        assert_eq!(resolve(Some(ip("10.0.0.1")), &h, &trusted), ip("1.2.3.4"));
    }

    #[test]
    fn forwarded_is_read_when_there_is_no_x_forwarded_for() {
        let trusted = nets(&["127.0.0.1/32"]);
        let h = headers(&[(
            "forwarded",
            "for=6.6.6.6, for=\"[2001:db8::17]:4711\";proto=https",
        )]);
        assert_eq!(
            resolve(Some(ip("127.0.0.1")), &h, &trusted),
            ip("2001:db8::17")
        );
    }

    #[test]
    fn without_a_usable_hop_the_nearest_known_address_stands_in() {
        let trusted = nets(&["10.0.0.0/8"]);
        assert_eq!(
            resolve(Some(ip("10.0.0.1")), &HeaderMap::new(), &trusted),
            ip("10.0.0.1")
        );
        let h = headers(&[("x-forwarded-for", "1.2.3.4, unknown, 10.0.0.3")]);
        assert_eq!(resolve(Some(ip("10.0.0.1")), &h, &trusted), ip("10.0.0.3"));
        let h = headers(&[("x-forwarded-for", "10.0.0.9")]);
        assert_eq!(resolve(Some(ip("10.0.0.1")), &h, &trusted), ip("10.0.0.9"));
    }

    proptest::proptest! {
        /// Whatever a client writes into `X-Forwarded-For` itself, behind trusted proxies it is
        /// counted as the address the outermost proxy saw.
        #[test]
        fn a_client_cannot_choose_its_own_address(
            claimed in proptest::collection::vec("[0-9a-f.:\\[\\] ]{0,20}", 0..5),
            real in proptest::prelude::any::<std::net::Ipv4Addr>(),
        ) {
            let real = IpAddr::V4(real);
            let trusted = nets(&["10.0.0.0/8"]);
            proptest::prop_assume!(!trusted[0].contains(&real));
            let mut chain = claimed.join(",");
            chain.push_str(&format!(",{real}, 10.0.0.2"));
            let mut h = HeaderMap::new();
            h.insert(
                actix_web::http::header::X_FORWARDED_FOR,
                HeaderValue::from_str(&chain).unwrap(),
            );
            proptest::prop_assert_eq!(resolve(Some(ip("10.0.0.1")), &h, &trusted), real);
        }
    }

    #[test]
    fn ipv4_mapped_peers_count_as_ipv4() {
        let trusted = nets(&["127.0.0.1/32"]);
        let h = headers(&[("x-forwarded-for", "1.2.3.4")]);
        assert_eq!(
            resolve(Some(ip("::ffff:127.0.0.1")), &h, &trusted),
            ip("1.2.3.4")
        );
    }
}
