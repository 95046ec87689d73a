//! The whole victim flow in Turkish, Polish and Arabic, through the API and the pages: every page
//! and every email a victim reads is in their language. A scan compares what was rendered with
//! the Dutch and English texts of the page catalogues, the first aid and the email templates: no
//! Dutch or English sentence may show up (names, places and codes are not sentences).

use std::collections::BTreeSet;

use hackhelpdesk::i18n::{Catalogues, Lang};
use hackhelpdesk::incidents::Catalogue;
use serde_json::json;

use crate::helpers::{TestApp, case_of, expert_at, intake_body, link_token, number_of, spawn_app};

/// Runs of at least this many words count as a sentence.
const SENTENCE_WORDS: usize = 4;

/// The Dutch and English sentences a reader of `lang` must never see: every catalogue text whose
/// `lang` version differs, split at placeholders, and the literal text of the nl/en email
/// templates, split at their expressions and tags.
fn foreign_sentences(lang: Lang) -> BTreeSet<String> {
    let mut own = String::new();
    let mut foreign: Vec<String> = Vec::new();
    let pages = Catalogues::shared().unwrap();
    let target = pages.get(lang.code()).unwrap();
    for staff in Lang::STAFF {
        let source = pages.get(staff.code()).unwrap();
        for key in source.keys() {
            let (theirs, ours) = (source.get(key).unwrap(), target.get(key).unwrap_or(""));
            if theirs != ours {
                foreign.push(theirs.to_owned());
            }
        }
    }
    for key in target.keys() {
        own.push_str(target.get(key).unwrap());
        own.push('\n');
    }
    let first_aid = Catalogue::load().unwrap();
    for staff in Lang::STAFF.into_iter().chain([lang]) {
        let mut texts = Vec::new();
        for info in first_aid.all() {
            let text = info.text(staff);
            texts.push(text.description.clone());
            for step in &text.steps {
                texts.push(step.title.clone());
                texts.push(step.body.clone());
            }
        }
        for question in first_aid.triage.questions() {
            texts.push(question.text(staff).to_owned());
        }
        texts.push(serde_json::to_string(&first_aid.policy.view(staff)).unwrap());
        if staff == lang {
            own.push_str(&texts.join("\n"));
        } else {
            foreign.extend(texts);
        }
    }
    for (name, source) in hackhelpdesk::templates::under("email/") {
        let parts: Vec<&str> = name.split('.').collect();
        let event = parts[0];
        let victims = event == "_layout" || hackhelpdesk::mail::VICTIM_EVENTS.contains(&event);
        if !victims {
            continue;
        }
        if parts[1] == lang.code() {
            own.push_str(&source);
        } else if Lang::STAFF.iter().any(|l| l.code() == parts[1]) {
            foreign.push(source);
        }
    }
    let own = normalise(&own);
    foreign
        .iter()
        .flat_map(|text| pieces(text))
        .filter(|piece| !own.contains(piece.as_str()))
        .collect()
}

/// The runs of plain words in `text` between placeholders, expressions, tags and punctuation
/// that ends a clause, with at least [`SENTENCE_WORDS`] words.
fn pieces(text: &str) -> Vec<String> {
    let mut plain = String::new();
    let mut depth = 0;
    for c in text.chars() {
        match c {
            '{' | '<' => {
                depth += 1;
                plain.push('\n');
            }
            '}' | '>' if depth > 0 => depth -= 1,
            _ if depth > 0 => {}
            '.' | ':' | ';' | '(' | ')' | '"' | '?' | '!' | '\n' | '–' | '·' => plain.push('\n'),
            _ => plain.push(c),
        }
    }
    plain
        .lines()
        .map(normalise)
        .filter(|piece| piece.split(' ').count() >= SENTENCE_WORDS)
        .collect()
}

fn normalise(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_matches(|c: char| c == ',' || c == ' ')
        .to_owned()
}

/// What a reader sees of `html`: the text without tags, entities decoded, plus the attributes
/// that are read out (labels, placeholders, titles).
fn visible(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    let mut tag = String::new();
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                tag.clear();
                out.push(' ');
            }
            '>' if in_tag => {
                in_tag = false;
                for attribute in ["aria-label=\"", "placeholder=\"", "title=\"", "alt=\""] {
                    if let Some(start) = tag.find(attribute) {
                        let rest = &tag[start + attribute.len()..];
                        out.push(' ');
                        out.push_str(rest.split('"').next().unwrap_or(""));
                        out.push(' ');
                    }
                }
            }
            _ if in_tag => tag.push(c),
            _ => out.push(c),
        }
    }
    let decoded = out
        .replace("&#x27;", "'")
        .replace("&#x3D;", "=")
        .replace("&#x60;", "`")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    normalise(&decoded)
}

/// Fails naming every Dutch or English sentence found in `text` (what the reader sees of `what`).
fn assert_no_foreign(foreign: &BTreeSet<String>, what: &str, text: &str) {
    let found: Vec<&String> = foreign
        .iter()
        .filter(|s| text.contains(s.as_str()))
        .collect();
    assert!(
        found.is_empty(),
        "{what} shows Dutch or English sentences: {found:#?}"
    );
}

/// A Dutch-speaking expert near the victim (`n`), and one who also speaks `speaks`.
async fn experts(app: &TestApp, speaks: Option<&str>) {
    let moderator = app.moderator_token().await;
    for n in 1..=3 {
        let mut languages = vec!["nl", "en"];
        if n == 2 {
            languages.extend(speaks);
        }
        let body = expert_at(
            n,
            "Bergen op Zoom",
            json!({ "languages": languages, "capacity": 20 }),
        );
        app.approved_expert(&moderator, &body).await;
    }
}

async fn the_victim_reads_everything_in(lang: Lang, expert_speaks_it: bool) {
    let code = lang.code();
    let foreign = foreign_sentences(lang);
    assert!(
        foreign.len() > 300,
        "the scan knows the Dutch and English texts ({} sentences)",
        foreign.len()
    );
    let app = spawn_app().await;
    experts(&app, expert_speaks_it.then_some(code)).await;

    // The API serves the step plan in the language asked for.
    let response = app
        .get(&format!(
            "/api/v1/incident-types/ransomware/steps?lang={code}"
        ))
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-language"], code);
    let steps = response.text().await.unwrap();
    assert_no_foreign(&foreign, "the API's step plan", &steps);
    let by_header = app
        .get_with(
            "/api/v1/incident-types/ransomware/steps",
            "Accept-Language",
            code,
        )
        .await;
    assert_eq!(by_header.headers()["content-language"], code);

    // The public pages, in a browser that asks for the language.
    let browser = app.page_client(code);
    for path in [
        "/",
        "/triage",
        "/first-aid/ransomware",
        "/first-aid/business_email_compromise",
        "/intake?type=ransomware",
        "/referral-policy",
    ] {
        let (status, html) = browser.page(path).await;
        assert_eq!(status, 200, "{path}");
        assert!(
            html.contains(&format!("<html lang=\"{code}\" dir=\"{}\">", lang.dir())),
            "{path}"
        );
        assert_no_foreign(&foreign, path, &visible(&html));
    }
    let (_, intake_form) = browser.page("/intake").await;
    assert!(
        intake_form.contains(&format!("<option value=\"{code}\" selected>")),
        "the help language defaults to the page's"
    );

    // The intake, with the help language chosen: the email is in it.
    let mut body = intake_body();
    body["language"] = json!(code);
    let created = app.intake(&body).await;
    let matches = created["matches"].as_array().unwrap();
    assert_eq!(matches.len(), 3);
    assert_eq!(
        matches[0]["speaks_language"], expert_speaks_it,
        "a speaker of {code} comes first when there is one"
    );
    let received = app.emails_to("jan@bakkerij-devries.nl").await;
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].lang, code);
    for (part, text) in [
        ("subject", received[0].subject.clone()),
        ("text", received[0].text_body.clone()),
        ("html", visible(&received[0].html_body)),
    ] {
        assert_no_foreign(&foreign, &format!("intake_received {part}"), &text);
    }

    // The case link opened on a Dutch phone: the victim's chosen language, not the phone's.
    let (_, token) = case_of(&created);
    let phone = app.page_client("nl-NL,nl;q=0.9");
    let (status, case_page) = phone.page(&format!("/case/{token}")).await;
    assert_eq!(status, 200);
    assert!(case_page.contains(&format!("<html lang=\"{code}\"")));
    assert_no_foreign(&foreign, "the case page", &visible(&case_page));
    assert_eq!(
        case_page.contains("id=\"language-note\""),
        !expert_speaks_it,
        "the victim is told before asking when no expert speaks the language"
    );

    // Ask the first match; it accepts: the connected email is in the language too, and the
    // expert's request email names the victim's language in Dutch.
    let first = matches[0]["expert_id"].as_str().unwrap().to_owned();
    let requests = app.ask_ok(&created, &[&first]).await;
    let n = number_of(&app, &first).await;
    let help_request = app
        .emails_to(&format!("info{n}@veilig-it.nl"))
        .await
        .into_iter()
        .find(|m| m.template == "help_request")
        .expect("the expert was asked");
    assert_eq!(help_request.lang, "nl");
    let dutch_name = hackhelpdesk::i18n::language_name(code, Lang::Nl);
    assert!(
        help_request
            .text_body
            .contains(&format!("Taal: {dutch_name}")),
        "{}",
        help_request.text_body
    );
    let expert = app.expert_token(n).await;
    let accepted = app
        .respond(&requests[0], "accept", &expert, &json!({}))
        .await;
    assert_eq!(accepted.status(), 200);
    let connected = app
        .emails_with("connected_victim")
        .await
        .pop()
        .expect("the victim hears of the connection");
    assert_eq!(connected.lang, code);
    assert_no_foreign(&foreign, "connected_victim", &connected.text_body);
    assert_no_foreign(
        &foreign,
        "connected_victim html",
        &visible(&connected.html_body),
    );
    let (_, case_page) = phone.page(&format!("/case/{token}")).await;
    assert_no_foreign(&foreign, "the connected case page", &visible(&case_page));

    // Closed: the feedback invitation and its page are in the language too.
    let closed = app
        .victim_post(&created, "close", &json!({ "outcome": "resolved" }))
        .await;
    assert_eq!(closed.status(), 200);
    assert_eq!(app.run_lifecycle().await.feedback_invitations, 1);
    let invitation = app.emails_with("feedback_invitation").await.pop().unwrap();
    assert_eq!(invitation.lang, code);
    assert_no_foreign(&foreign, "feedback_invitation", &invitation.text_body);
    let link = link_token(&invitation, "feedback");
    let (status, feedback) = phone.page(&format!("/feedback/{link}")).await;
    assert_eq!(status, 200);
    assert!(feedback.contains(&format!("<html lang=\"{code}\"")));
    assert_no_foreign(&foreign, "the feedback page", &visible(&feedback));
    let (_, closed_page) = phone.page(&format!("/case/{token}")).await;
    assert_no_foreign(&foreign, "the closed case page", &visible(&closed_page));
}

#[tokio::test]
async fn a_turkish_victim_reads_every_page_and_email_in_turkish() {
    the_victim_reads_everything_in(Lang::Tr, true).await;
}

#[tokio::test]
async fn a_polish_victim_reads_every_page_and_email_in_polish() {
    the_victim_reads_everything_in(Lang::Pl, true).await;
}

#[tokio::test]
async fn an_arabic_victim_reads_every_page_and_email_in_arabic_and_is_told_nobody_speaks_it() {
    the_victim_reads_everything_in(Lang::Ar, false).await;
}

#[test]
fn the_scan_finds_an_english_sentence_and_passes_a_name() {
    let foreign = foreign_sentences(Lang::Tr);
    let english = "Do not switch the computer off";
    assert!(foreign.contains(english), "the scan knows the step titles");
    let page = visible(&format!("<p>Fidye yazılımı</p><h2>{english}</h2>"));
    assert!(foreign.iter().any(|s| page.contains(s.as_str())));
    let names = visible("<p>Bakkerij De Vries, Bergen op Zoom, Veilig IT 2 B.V.</p>");
    assert!(!foreign.iter().any(|s| names.contains(s.as_str())));
}

#[tokio::test]
async fn the_scan_flags_dutch_and_english_pages_shown_to_a_turkish_reader() {
    let foreign = foreign_sentences(Lang::Tr);
    let app = spawn_app().await;
    let browser = app.page_client("tr");
    for path in [
        "/first-aid/ransomware?lang=en",
        "/?lang=nl",
        "/intake?lang=en",
        "/triage?lang=nl",
    ] {
        let (_, html) = browser.page(path).await;
        let page = visible(&html);
        let found = foreign.iter().filter(|s| page.contains(s.as_str())).count();
        assert!(found > 3, "{path}: only {found} foreign sentences found");
    }
}
