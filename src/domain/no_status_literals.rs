//! Proof that no status (or urgency, or incident type) is spelled out as a string literal outside
//! the enums' own text mapping: every rule asks the enums, so no copy of a rule can drift.
//!
//! The scan reads every `src/**/*.rs` file for a quoted code of [`IntakeStatus`],
//! [`RequestStatus`], [`ExpertStatus`], [`ComplaintStatus`], [`Urgency`] or [`IncidentType`]
//! and fails naming each `file:line`. Not counted:
//! - the `codes! { … }` declarations themselves (the one text mapping);
//! - comments, and lines with raw strings (`r#"…"#`: JSON bodies that tests send as a client);
//! - object keys (`"erased": …` in template data: a field name, not a value);
//! - the few strings below that merely share a spelling with a code, each with its reason.
//!
//! Templates are not scanned: they read flags (`status.open`) built from `as_str()`, never a
//! quoted code.

use std::path::{Path, PathBuf};

use super::{ComplaintStatus, ExpertStatus, IncidentType, IntakeStatus, RequestStatus, Urgency};

/// (file, code, why it is not a status): strings that only look like one.
const NOT_STATUSES: &[(&str, &str, &str)] = &[
    (
        "src/http/openapi/operations.rs",
        "other",
        "the label of an unknown HTTP method in the API document",
    ),
    (
        "src/domain/reason.rs",
        "data_breach",
        "the stored JSON shape of a reason, pinned in its test",
    ),
    (
        "src/metrics/mod.rs",
        "unmatched",
        "the route label of requests that matched no route",
    ),
    (
        "src/metrics/record.rs",
        "other",
        "the label of an unknown HTTP method",
    ),
    (
        "src/db/models/case.rs",
        "erased",
        "the placeholder address of an erased victim's emails",
    ),
    (
        "src/http/pages/verify.rs",
        "expired",
        "the outcome of an expired verification link",
    ),
    (
        "src/http/pages/expert.rs",
        "accepted",
        "the page's ?done= code after accepting the code of conduct",
    ),
    (
        "src/http/pages/requests.rs",
        "open",
        "the template flag `open` (v[\"open\"]), computed by can_answer()",
    ),
    (
        "src/matching/tests.rs",
        "recent",
        "the name of a test expert referred recently",
    ),
    (
        "src/domain/expert.rs",
        "approved",
        "the English past tense in an error message",
    ),
    (
        "src/domain/expert.rs",
        "rejected",
        "the English past tense in an error message",
    ),
    (
        "src/domain/expert.rs",
        "suspended",
        "the English past tense in an error message",
    ),
];

fn codes() -> Vec<&'static str> {
    let mut all: Vec<&'static str> = Vec::new();
    all.extend(IntakeStatus::CODES);
    all.extend(RequestStatus::CODES);
    all.extend(ExpertStatus::CODES);
    all.extend(ComplaintStatus::CODES);
    all.extend(Urgency::CODES);
    all.extend(IncidentType::CODES);
    all.sort_unstable();
    all.dedup();
    all
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Whether the literal `"code"` at byte `at` of `line` is used as a value (not an object key).
fn is_value(line: &str, at: usize, code: &str) -> bool {
    let rest = line[at + code.len() + 2..].trim_start();
    !rest.starts_with(':') || rest.starts_with("::")
}

/// The `file:line: "code"` findings of one file's text.
fn findings(file: &str, text: &str, codes: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    let mut in_codes = 0usize;
    for (n, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("codes! {") {
            in_codes = 1;
            continue;
        }
        if in_codes > 0 {
            in_codes += line.matches('{').count();
            in_codes = in_codes.saturating_sub(line.matches('}').count());
            continue;
        }
        if trimmed.starts_with("//") || line.contains("r#\"") {
            continue;
        }
        for code in codes {
            let quoted = format!("\"{code}\"");
            for (at, _) in line.match_indices(&quoted) {
                let exempt = NOT_STATUSES.iter().any(|(f, c, _)| file == *f && code == c);
                if is_value(line, at, code) && !exempt {
                    found.push(format!("{file}:{}: {quoted}", n + 1));
                }
            }
        }
    }
    found
}

#[test]
fn no_status_literal_remains_outside_the_enums() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    files.sort();
    let codes = codes();
    let mut found = Vec::new();
    for path in &files {
        let name = path
            .strip_prefix(root)
            .expect("under root")
            .to_string_lossy();
        let name = name.replace('\\', "/");
        if name == "src/domain/no_status_literals.rs" {
            continue;
        }
        let text = std::fs::read_to_string(path).expect("read file");
        found.extend(findings(&name, &text, &codes));
    }
    assert!(
        found.is_empty(),
        "status, urgency or incident codes spelled out; use the enum instead:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_scan_finds_a_literal_and_skips_mappings_keys_and_comments() {
    let text = r#"
codes! {
    pub enum X {
        Open => "open",
    }
}
// "open" in a comment
let flags = json!({ "erased": true });
if row.status == "erased" {}
"#;
    let found = findings("src/x.rs", text, &codes());
    assert_eq!(found, ["src/x.rs:9: \"erased\""]);
}
