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

/// `text` (a language file) with the steps of incident `code` changed by `edit`, which gets the
/// part from the first `[[incident.CODE.steps]]` up to the next incident.
fn edit_steps(text: &str, code: IncidentType, edit: impl Fn(&str) -> String) -> String {
    let code = code.as_str();
    let marker = format!("[[incident.{code}.steps]]");
    let start = text.find(&marker).expect("the incident has steps");
    let end = text[start..]
        .find("\n[incident.")
        .map_or(text.len(), |i| start + i + 1);
    format!(
        "{}{}{}",
        &text[..start],
        edit(&text[start..end]),
        &text[end..]
    )
}

fn extra_step(steps: &str, code: IncidentType) -> String {
    let code = code.as_str();
    format!("{steps}\n[[incident.{code}.steps]]\ntitle = \"Extra\"\nbody = \"One too many.\"\n")
}

#[test]
fn the_embedded_catalogue_is_complete_and_valid() {
    let catalogue = Catalogue::load().expect("the embedded catalogue loads");
    for info in catalogue.all() {
        let nl = info.text(Lang::Nl);
        assert!(
            (MIN_STEPS..=MAX_STEPS).contains(&nl.steps.len()),
            "{:?}",
            info.code
        );
        for lang in Lang::ALL {
            let text = info.text(lang);
            assert_eq!(text.steps.len(), nl.steps.len(), "{:?} {lang:?}", info.code);
            assert_ne!(text.name, "", "{:?} {lang:?}", info.code);
        }
        // The translations are translations, not copies of the English.
        let en = info.text(Lang::En);
        for lang in [Lang::Tr, Lang::Pl, Lang::Ar] {
            assert_ne!(info.text(lang).steps[0].body, en.steps[0].body, "{lang:?}");
        }
    }
    assert_eq!(catalogue.all().count(), IncidentType::ALL.len());
}

#[test]
fn each_language_file_says_whether_it_was_reviewed() {
    let catalogue = Catalogue::load().unwrap();
    assert!(catalogue.reviewed(Lang::Nl) && catalogue.reviewed(Lang::En));
    for lang in [Lang::Tr, Lang::Pl, Lang::Ar] {
        assert!(!catalogue.reviewed(lang), "{lang:?} is marked reviewed");
    }
}

#[test]
fn a_missing_or_unknown_language_file_stops_the_start() {
    let mut files = embedded();
    files.retain(|(name, _)| name != "text/pl.toml");
    let error = format!("{:#}", Catalogue::from_files(&files).unwrap_err());
    assert!(
        error.contains("templates/incidents/text/pl.toml is missing"),
        "{error}"
    );

    let mut files = embedded();
    let en = files
        .iter()
        .find(|(n, _)| n == "text/en.toml")
        .unwrap()
        .1
        .clone();
    files.push(("text/de.toml".into(), en));
    let error = format!("{:#}", Catalogue::from_files(&files).unwrap_err());
    assert!(error.contains("text/de.toml: not a language"), "{error}");
}

#[test]
fn a_missing_or_stray_text_in_any_language_stops_the_start() {
    let error = error_after("text/ar.toml", |text| {
        let line = text.lines().find(|l| l.starts_with("threat = ")).unwrap();
        text.replace(&format!("{line}\n"), "")
    });
    assert!(error.contains("text/ar.toml"), "{error}");
    assert!(error.contains("[triage] threat needs"), "{error}");

    let error = error_after("text/tr.toml", |text| {
        text.replace("[triage]\n", "[triage]\nnot_a_question = \"?\"\n")
    });
    assert!(error.contains("text/tr.toml"), "{error}");
    assert!(
        error.contains("triage question not_a_question is not in"),
        "{error}"
    );

    let error = error_after("text/pl.toml", |text| {
        text.replace(
            "[policy.rules]\n",
            "[policy.rules]\nbribes = { title = \"x\", text = \"y\" }\n",
        )
    });
    assert!(error.contains("[policy.rules] bribes is not in"), "{error}");
}

#[test]
fn a_link_outside_the_allow_list_stops_the_start() {
    let error = error_after("text/nl.toml", |text| {
        text.replacen(
            "https://www.fraudehelpdesk.nl/",
            "https://www.veiligbankieren.nl/",
            1,
        )
    });
    assert!(
        error.contains("templates/incidents/text/nl.toml"),
        "{error}"
    );
    assert!(error.contains("step "), "{error}");
    assert!(
        error.contains("not a public body on the allow-list"),
        "{error}"
    );
    let error = error_after("text/en.toml", |text| {
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
    let error = error_after("text/nl.toml", |text| {
        edit_steps(text, IncidentType::Ddos, |steps| {
            // Keep only the first three steps.
            let fourth = steps
                .match_indices("[[incident.ddos.steps]]")
                .nth(3)
                .unwrap()
                .0;
            steps[..fourth].to_owned()
        })
    });
    assert!(
        error.contains("text/nl.toml: [incident.ddos] has 3 steps; 4 to 8 are required"),
        "{error}"
    );
    let error = error_after("text/en.toml", |text| {
        edit_steps(text, IncidentType::Ransomware, |steps| {
            extra_step(steps, IncidentType::Ransomware)
        })
    });
    assert!(
        error.contains("[incident.ransomware] has 9 steps"),
        "{error}"
    );
}

#[test]
fn every_language_needs_the_same_number_of_steps() {
    let error = error_after("text/tr.toml", |text| {
        edit_steps(text, IncidentType::Ddos, |steps| {
            extra_step(steps, IncidentType::Ddos)
        })
    });
    assert!(
        error.contains("text/tr.toml: [incident.ddos] has 7 steps but nl.toml has 6"),
        "{error}"
    );
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
fn the_policy_needs_ordered_factors() {
    let error = error_after("referral_policy.toml", |t| {
        t.replacen("order = 2", "order = 5", 1)
    });
    assert!(error.contains("referral_policy.toml"), "{error}");
    assert!(error.contains("must have order 2"), "{error}");
    let catalogue = Catalogue::load().unwrap();
    assert_eq!(
        catalogue.policy.factor_codes(),
        ["language_first", "reach", "distance", "load", "rotation"]
    );
}
