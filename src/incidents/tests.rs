//! Unit tests of the catalogue's load-time checks: the real files pass, and each rule stops a
//! broken file with a message that names it.

use std::collections::BTreeMap;

use super::{Catalogue, MAX_STEPS, MIN_STEPS, triage::Answer};
use crate::{domain::IncidentType, i18n::Lang};

fn embedded() -> Vec<(String, String)> {
    crate::templates::under(super::FOLDER)
}

/// The embedded files with `file`'s text changed by `edit`; the error message of loading them.
fn error_after(file: &str, edit: impl Fn(&str) -> String) -> String {
    let mut files = embedded();
    let entry = files
        .iter_mut()
        .find(|(name, _)| name == file)
        .expect("file exists");
    let edited = edit(&entry.1);
    assert_ne!(edited, entry.1, "the edit changed {file}");
    entry.1 = edited;
    let error = Catalogue::from_files(&files).expect_err("the broken catalogue is refused");
    format!("{error:#}")
}

#[test]
fn the_embedded_catalogue_is_complete_and_valid() {
    let catalogue = Catalogue::load().expect("the embedded catalogue loads");
    for info in catalogue.all() {
        let (nl, en) = (info.text(Lang::Nl), info.text(Lang::En));
        assert!(
            (MIN_STEPS..=MAX_STEPS).contains(&nl.steps.len()),
            "{:?}",
            info.code
        );
        assert_eq!(nl.steps.len(), en.steps.len(), "{:?}", info.code);
        assert_ne!(nl.name, "", "{:?}", info.code);
    }
    assert_eq!(catalogue.all().count(), IncidentType::ALL.len());
}

#[test]
fn a_link_outside_the_allow_list_stops_the_start() {
    let error = error_after("phishing.toml", |text| {
        text.replacen(
            "https://www.fraudehelpdesk.nl/",
            "https://www.veiligbankieren.nl/",
            1,
        )
    });
    assert!(
        error.contains("templates/incidents/phishing.toml"),
        "{error}"
    );
    assert!(error.contains("[nl] step 7"), "{error}");
    assert!(
        error.contains("not a public body on the allow-list"),
        "{error}"
    );
    let error = error_after("ransomware.toml", |text| {
        text.replacen(
            "https://www.nomoreransom.org",
            "http://www.nomoreransom.org",
            1,
        )
    });
    assert!(error.contains("must use https"), "{error}");
}

#[test]
fn too_few_or_too_many_steps_stop_the_start() {
    let error = error_after("ddos.toml", |text| {
        // Keep only the first three Dutch steps.
        let start = text.find("[[nl.steps]]").unwrap();
        let fourth = text[start..]
            .match_indices("[[nl.steps]]")
            .nth(3)
            .unwrap()
            .0
            + start;
        let en = text.find("[en]").unwrap();
        format!("{}{}", &text[..fourth], &text[en..])
    });
    assert!(
        error.contains("ddos.toml: [nl] has 3 steps; 4 to 8 are required"),
        "{error}"
    );
    let error = error_after("ransomware.toml", |text| {
        let step = "[[en.steps]]\ntitle = \"Extra\"\nbody = \"One step too many.\"\n";
        format!("{text}\n{step}")
    });
    assert!(error.contains("[en] has 9 steps"), "{error}");
}

#[test]
fn both_languages_need_the_same_number_of_steps() {
    let error = error_after("ddos.toml", |text| {
        let step = "[[en.steps]]\ntitle = \"Extra\"\nbody = \"An English-only step.\"\n";
        format!("{text}\n{step}")
    });
    assert!(error.contains("[nl] has 6 steps but [en] has 7"), "{error}");
}

#[test]
fn every_type_needs_exactly_one_file_with_its_own_name() {
    let mut files = embedded();
    files.retain(|(name, _)| name != "extortion.toml");
    let error = format!("{:#}", Catalogue::from_files(&files).unwrap_err());
    assert!(
        error.contains("no file for incident type(s) extortion"),
        "{error}"
    );

    let mut files = embedded();
    let ddos = files
        .iter()
        .find(|(n, _)| n == "ddos.toml")
        .unwrap()
        .1
        .clone();
    files.push(("ddos.toml".into(), ddos.clone()));
    let error = format!("{:#}", Catalogue::from_files(&files).unwrap_err());
    assert!(error.contains("described twice"), "{error}");

    let error = error_after("other.toml", |_| ddos.clone());
    assert!(error.contains("name the file ddos.toml"), "{error}");
    let error = error_after("other.toml", |t| {
        t.replace("code = \"other\"", "code = \"x\"")
    });
    assert!(error.contains("other.toml"), "{error}");
}

#[test]
fn a_cycle_or_a_dangling_question_in_the_triage_tree_stops_the_start() {
    let error = error_after("triage.toml", |text| {
        text.replace(
            "no = { incident_type = \"other\" }",
            "no = { next = \"ransom_note\" }",
        )
    });
    assert!(error.contains("cycle"), "{error}");
    let error = error_after("triage.toml", |text| {
        text.replace(
            "no = { next = \"fake_helpdesk\" }",
            "no = { next = \"nope\" }",
        )
    });
    assert!(error.contains("unknown question nope"), "{error}");
}

#[test]
fn every_type_but_other_must_be_reachable_and_every_question_asked() {
    let error = error_after("triage.toml", |text| {
        text.replace(
            "yes = { incident_type = \"ddos\" }",
            "yes = { incident_type = \"other\" }",
        )
    });
    assert!(error.contains("no answers lead to ddos"), "{error}");
    let error = error_after("triage.toml", |text| {
        text.replace(
            "no = { next = \"threat\" }",
            "no = { next = \"lost_account\" }",
        )
    });
    assert!(
        error.contains("question threat can never be reached"),
        "{error}"
    );
    let error = error_after("triage.toml", |text| {
        text.replacen("id = \"threat\"", "id = \"fake_helpdesk\"", 1)
    });
    assert!(error.contains("used twice"), "{error}");
}

#[test]
fn answers_lead_along_the_tree() {
    let catalogue = Catalogue::load().unwrap();
    let answers = |pairs: &[(&str, Answer)]| -> BTreeMap<String, Answer> {
        pairs.iter().map(|(q, a)| (q.to_string(), *a)).collect()
    };
    let (code, path) = catalogue
        .triage
        .resolve(&answers(&[("ransom_note", Answer::Yes)]))
        .unwrap();
    assert_eq!(code, IncidentType::Ransomware);
    assert_eq!(path, [("ransom_note".to_owned(), Answer::Yes)]);
    let leaves = catalogue.triage.walk().unwrap();
    assert!(leaves.len() >= IncidentType::ALL.len());
    for (path, code) in leaves {
        let given: BTreeMap<String, Answer> = path.iter().cloned().collect();
        assert_eq!(catalogue.triage.resolve(&given).unwrap().0, code);
    }
}

#[test]
fn the_policy_needs_ordered_factors_in_both_languages() {
    let error = error_after("referral_policy.toml", |t| {
        t.replacen("order = 2", "order = 5", 1)
    });
    assert!(error.contains("referral_policy.toml"), "{error}");
    assert!(error.contains("must have order 2"), "{error}");
    let catalogue = Catalogue::load().unwrap();
    assert_eq!(
        catalogue.policy.factor_codes(),
        ["reach", "distance", "load", "rotation"]
    );
}
