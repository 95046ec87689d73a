//! Every message key the pages use exists in every catalogue: keys quoted in templates, the
//! `title.<page>` of each page, and keys named in the page handlers' Rust code.

use std::collections::BTreeSet;

use super::Pages;

/// Whether `s` looks like a message key (`section.name`, lowercase, dotted).
fn looks_like_key(s: &str) -> bool {
    let mut parts = s.split('.');
    let first_ok = parts
        .next()
        .is_some_and(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase() || c == '_'));
    let rest: Vec<&str> = parts.collect();
    first_ok
        && !rest.is_empty()
        && rest.iter().all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        })
}

/// Every double-quoted string in `text`.
fn quoted(text: &str) -> Vec<&str> {
    text.split('"').skip(1).step_by(2).collect()
}

#[test]
fn every_key_used_by_a_page_exists_in_every_catalogue() {
    let pages = Pages::load().expect("pages load");
    let catalogues = &pages.catalogues;
    let sections: BTreeSet<&str> = catalogues
        .default_language()
        .keys()
        .filter_map(|k| k.split('.').next())
        .collect();
    let mut used: BTreeSet<String> = BTreeSet::new();
    for folder in ["pages/", "partials/"] {
        for (name, text) in crate::templates::under(folder) {
            used.extend(
                quoted(&text)
                    .into_iter()
                    .filter(|s| looks_like_key(s))
                    .map(str::to_owned),
            );
            if folder == "pages/" {
                used.insert(format!("title.{name}"));
            }
        }
    }
    let rust_sources = [
        include_str!("login.rs"),
        include_str!("expert.rs"),
        include_str!("expert_form.rs"),
        include_str!("form.rs"),
        include_str!("moderator.rs"),
        include_str!("moderator_audit.rs"),
        include_str!("moderator_cases.rs"),
        include_str!("moderator_complaints.rs"),
    ];
    for source in rust_sources {
        used.extend(
            quoted(source)
                .into_iter()
                .filter(|s| {
                    looks_like_key(s) && sections.contains(s.split('.').next().unwrap_or(""))
                })
                .map(str::to_owned),
        );
    }
    assert!(used.len() > 150, "the scan found only {} keys", used.len());
    for lang in catalogues.all() {
        let missing: Vec<&String> = used.iter().filter(|k| lang.get(k).is_none()).collect();
        assert!(missing.is_empty(), "{}.toml lacks {missing:?}", lang.code);
    }
}

#[test]
fn there_are_five_page_languages_and_arabic_is_right_to_left() {
    let pages = Pages::load().expect("pages load");
    let codes: Vec<&str> = pages
        .catalogues
        .all()
        .iter()
        .map(|l| l.code.as_str())
        .collect();
    assert_eq!(codes, ["nl", "en", "ar", "pl", "tr"]);
    assert_eq!(pages.catalogues.get("ar").map(|l| l.dir), Some("rtl"));
}
