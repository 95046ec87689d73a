//! The mail layer: rendering and the templates. (Delivery through a real SMTP server: `delivery`.)

use crate::helpers::spawn_app;
use crate::mail_fixtures::fixture;
use hackhelpdesk::i18n::Lang;
use serde_json::json;

/// The disclaimer's own word in each language's layout (under the heading "Disclaimer", which
/// the contract names and every language keeps).
pub fn disclaimer_word(lang: Lang) -> &'static str {
    match lang {
        Lang::Nl | Lang::En => "Disclaimer",
        Lang::Tr => "Sorumluluk reddi",
        Lang::Pl => "Zastrzeżenia prawne",
        Lang::Ar => "إخلاء المسؤولية",
    }
}

/// The language `event` goes out in for a reader of `lang`: a victim's email in theirs, an
/// expert's or moderator's in their staff language.
fn sent_in(event: &str, lang: Lang) -> Lang {
    if hackhelpdesk::mail::VICTIM_EVENTS.contains(&event) {
        lang
    } else {
        lang.staff()
    }
}

#[tokio::test]
async fn every_email_ends_with_the_disclaimer_and_escapes_user_text_in_html() {
    let app = spawn_app().await;
    let mailer = &app.state.mailer;
    for lang in Lang::STAFF {
        let rendered = mailer
            .render(
                "test_email",
                lang,
                &json!({ "transport": "<b>smtp</b> & co" }),
            )
            .expect("renders");
        assert!(
            rendered.text.contains("\nDisclaimer\n"),
            "{lang:?} text: {}",
            rendered.text
        );
        assert!(rendered.html.contains(">Disclaimer</h2>"), "{lang:?} html");
        assert!(
            rendered.html.contains("&lt;b&gt;smtp&lt;/b&gt; &amp; co"),
            "{}",
            rendered.html
        );
        assert!(!rendered.html.contains("<b>smtp</b>"));
        assert!(
            rendered.text.contains("<b>smtp</b> & co"),
            "plain text is not HTML-escaped"
        );
        assert!(
            rendered
                .html
                .contains(&format!("<html lang=\"{}\">", lang.code()))
        );
    }
    let nl = mailer
        .render("test_email", Lang::Nl, &json!({"transport": "x"}))
        .unwrap();
    let en = mailer
        .render("test_email", Lang::En, &json!({"transport": "x"}))
        .unwrap();
    assert_eq!(nl.subject, "Testbericht van de Hackhelpdesk");
    assert_eq!(en.subject, "Test message from the Hackhelpdesk");
}

#[tokio::test]
async fn a_missing_template_variable_is_an_error_not_an_empty_string() {
    let app = spawn_app().await;
    assert!(
        app.state
            .mailer
            .render("test_email", Lang::Nl, &json!({}))
            .is_err()
    );
    assert!(
        app.state
            .mailer
            .render("no_such_event", Lang::Nl, &json!({}))
            .is_err()
    );
}

#[test]
fn every_email_event_has_a_fixture_and_renders_in_every_language_with_it() {
    let settings = hackhelpdesk::config::Settings::from_lookup(|_| None).expect("defaults");
    let mailer = hackhelpdesk::mail::Mailer::new(&settings).expect("templates load");
    let events: Vec<String> = mailer.renderer().events().map(str::to_owned).collect();
    assert!(events.contains(&"delivery_failed".to_owned()), "{events:?}");
    let missing: Vec<&String> = events.iter().filter(|e| fixture(e).is_none()).collect();
    assert!(
        missing.is_empty(),
        "add a fixture to tests/api/mail_fixtures.rs for: {missing:?}"
    );
    for event in &events {
        let data = fixture(event).expect("checked above");
        let keys: Vec<String> = data.as_object().expect("object").keys().cloned().collect();
        for lang in Lang::ALL {
            let rendered = mailer
                .render(event, lang, &data)
                .unwrap_or_else(|e| panic!("{event}.{}: {e:?}", lang.code()));
            assert!(!rendered.subject.is_empty(), "{event}: empty subject");
            assert!(rendered.text.contains("\nDisclaimer\n"), "{event} text");
            assert!(rendered.html.contains(">Disclaimer</h2>"), "{event} html");
            let word = disclaimer_word(sent_in(event, lang));
            assert!(
                rendered.text.contains(&format!("\n{word}\n")) && rendered.html.contains(word),
                "{event}.{} names the disclaimer in its language",
                lang.code()
            );
            let html_lang = sent_in(event, lang).code();
            assert!(
                rendered
                    .html
                    .contains(&format!("<html lang=\"{html_lang}\"")),
                "{event}.{} is marked as {html_lang}",
                lang.code()
            );
            for raw in data
                .as_object()
                .unwrap()
                .values()
                .filter_map(|v| v.as_str())
            {
                assert!(
                    !raw.contains('<') || !rendered.html.contains(raw),
                    "{event}.{}: unescaped data in HTML: {raw}",
                    lang.code()
                );
            }
            for key in &keys {
                let mut without = data.clone();
                without.as_object_mut().unwrap().remove(key);
                let changed = match mailer.render(event, lang, &without) {
                    Err(_) => true, // strict mode: a missing variable fails
                    Ok(other) => other.text != rendered.text || other.html != rendered.html,
                };
                assert!(
                    changed,
                    "{event}.{}: the fixture key `{key}` is not used by the templates",
                    lang.code()
                );
            }
        }
    }
}

#[tokio::test]
async fn mail_queued_by_a_request_goes_out_at_once_not_at_the_next_poll() {
    let app = crate::helpers::spawn_app_with(&[("MAIL_POLL_MS", "60000")]).await;
    let body = crate::helpers::expert_body(1);
    assert_eq!(app.register_expert(&body).await.status(), 201);
    let queued = app.emails_to("info1@veilig-it.nl").await;
    let started = std::time::Instant::now();
    let sent = app
        .wait_for_outbox(&[queued[0].id.clone()], |m| m.sent_at.is_some())
        .await;
    assert!(sent[0].sent_at.is_some());
    assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}
