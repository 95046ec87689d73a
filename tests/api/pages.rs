//! The public HTML pages: every page in Dutch and English (and Arabic, right to left), the
//! language switch, the triage walk, the error page and the cached assets. Forms and accounts
//! are in `pages_accounts`.

use crate::helpers::{location, spawn_app};

#[tokio::test]
async fn public_pages_answer_in_dutch_english_and_arabic_with_a_strict_csp() {
    let app = spawn_app().await;
    let pages = [
        ("/", "Help, ik ben gehackt", "Help, I&#x27;ve been hacked"),
        ("/triage", "Vraag 1", "Question 1"),
        (
            "/first-aid/phishing",
            "Wijzig meteen het wachtwoord",
            "Phishing",
        ),
        (
            "/referral-policy",
            "Zo kiezen wij experts voor u",
            "How we choose experts for you",
        ),
        ("/code-of-conduct", "Gratis eerste hulp", "Free first help"),
        ("/disclaimer", "neutraal", "neutrally"),
        ("/login", "Inloggen voor experts", "Log in for experts"),
        ("/experts/register", "KvK-nummer", "KvK number"),
    ];
    for (path, nl, en) in pages {
        let dutch = app.page_client("nl").get(path).await;
        assert_eq!(dutch.status(), 200, "{path}");
        let csp = dutch.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"));
        let html = dutch.text().await.unwrap();
        assert!(html.contains("<html lang=\"nl\" dir=\"ltr\">"), "{path}");
        assert!(html.contains(nl), "{path} in Dutch lacks {nl}");
        assert!(
            html.contains("<main id=\"main\""),
            "{path} has a main landmark"
        );
        assert!(
            !html.contains("style=") && !html.contains("<script>"),
            "{path}: no inline code"
        );

        let (status, html) = app.page_client("en-GB,en;q=0.9").page(path).await;
        assert_eq!(status, 200, "{path}");
        assert!(html.contains("<html lang=\"en\" dir=\"ltr\">"), "{path}");
        assert!(html.contains(en), "{path} in English lacks {en}");
    }
    let (_, arabic) = app
        .page_client("nl")
        .page("/first-aid/phishing?lang=ar")
        .await;
    assert!(arabic.contains("<html lang=\"ar\" dir=\"rtl\">"));
    assert!(arabic.contains("الإسعافات الأولية"), "page strings in Arabic");
    assert!(
        arabic.contains("غيّر كلمة المرور الآن")
            && arabic.contains("<ol class=\"steps\" lang=\"ar\" dir=\"rtl\">"),
        "the step plan is in Arabic"
    );
    assert!(
        !arabic.contains("Change the password right away") && !arabic.contains("غير متوفر بلغتك"),
        "no English fallback and no notice of one"
    );
}

#[tokio::test]
async fn turkish_and_polish_pages_read_in_their_language_first_aid_included() {
    let app = spawn_app().await;
    let (status, turkish) = app.page_client("tr-TR,tr;q=0.9,en;q=0.5").page("/").await;
    assert_eq!(status, 200);
    assert!(turkish.contains("<html lang=\"tr\" dir=\"ltr\">"));
    assert!(turkish.contains("Hacklendiniz mi? Başlamanıza yardım ediyoruz."));
    assert!(turkish.contains("Yardım edin, hacklendim"));
    assert!(
        turkish.contains("<ul class=\"types\" lang=\"tr\" dir=\"ltr\">")
            && turkish.contains("Fidye yazılımı"),
        "the incident types are in Turkish"
    );
    assert!(!turkish.contains("henüz Türkçe olarak mevcut değil"));
    assert!(turkish.contains(">Türkçe</a>") && turkish.contains(">Polski</a>"));

    // `?lang=pl` wins over a Dutch browser and is remembered for the next page.
    let browser = app.page_client("nl");
    let response = browser.get("/?lang=pl").await;
    assert_eq!(response.headers()["content-language"], "pl");
    let polish = response.text().await.unwrap();
    assert!(polish.contains("<html lang=\"pl\" dir=\"ltr\">"));
    assert!(polish.contains("Włamanie do firmy? Pomożemy Państwu zacząć."));
    assert!(!polish.contains("dostępna po polsku, dlatego pokazujemy ją po angielsku"));
    let (_, steps) = browser.page("/first-aid/phishing").await;
    assert!(steps.contains("<html lang=\"pl\""), "the choice sticks");
    assert!(steps.contains("Pierwsza pomoc"), "page strings in Polish");
    assert!(
        steps.contains("<ol class=\"steps\" lang=\"pl\" dir=\"ltr\">")
            && steps.contains("Od razu zmienić hasło"),
        "the step plan is in Polish"
    );
    // The code of conduct binds experts and exists in Dutch and English: marked as English.
    let (_, coc) = browser.page("/code-of-conduct").await;
    assert!(
        coc.contains("lang=\"en\" dir=\"ltr\""),
        "the code of conduct is marked English"
    );
    assert!(coc.contains("dostępna po polsku, dlatego pokazujemy ją po angielsku"));
    let (_, triage) = browser.page("/triage").await;
    assert!(triage.contains("Pytanie 1"));
}

#[tokio::test]
async fn the_language_switch_is_remembered_across_pages() {
    let app = spawn_app().await;
    let browser = app.page_client("nl");
    let (_, html) = browser.page("/").await;
    assert!(
        html.contains("href=\"/?lang&#x3D;en\""),
        "the switch links to every language"
    );
    assert!(html.contains(">العربية</a>"));
    assert!(
        html.contains("lang=\"ar\" dir=\"rtl\" hreflang=\"ar\""),
        "the Arabic name in the switch is marked right to left"
    );
    let (_, english) = browser.page("/?lang=en").await;
    assert!(english.contains("Help, I&#x27;ve been hacked"));
    let (_, next) = browser.page("/triage").await;
    assert!(
        next.contains("Question 1"),
        "the choice sticks without ?lang="
    );
}

#[tokio::test]
async fn triage_answers_lead_question_by_question_to_the_steps() {
    let app = spawn_app().await;
    let browser = app.page_client("nl");
    let answered = browser.get("/triage?path=&a=n").await;
    assert_eq!(answered.status(), 303);
    assert_eq!(location(&answered), "/triage?path=n");
    let (_, second) = browser.page("/triage?path=n").await;
    assert!(second.contains("Vraag 2") && second.contains("rekeningnummer"));
    assert!(second.contains("href=\"/triage?path&#x3D;\""), "a way back");
    let done = browser.get("/triage?path=n&a=y").await;
    assert_eq!(location(&done), "/first-aid/business_email_compromise");
    let (status, steps) = browser.page("/first-aid/business_email_compromise").await;
    assert_eq!(status, 200);
    assert!(
        steps.contains("type=\"checkbox\" id=\"step-0\""),
        "steps can be ticked"
    );
    assert_eq!(browser.get("/triage?a=maybe").await.status(), 400);
    assert_eq!(browser.page("/first-aid/unknown").await.0, 404);
}

#[tokio::test]
async fn errors_are_friendly_pages_in_the_visitors_language() {
    let app = spawn_app().await;
    let (status, html) = app.page_client("en").page("/no-such-page").await;
    assert_eq!(status, 404);
    assert!(html.contains("This page does not exist") && html.contains("lang=\"en\""));
    let (_, dutch) = app.page_client("nl").page("/no-such-page").await;
    assert!(dutch.contains("Deze pagina bestaat niet"));
    let api = app.get("/api/v1/nope").await;
    assert_eq!(api.headers()["content-type"], "application/problem+json");
}

#[tokio::test]
async fn the_stylesheet_is_cached_by_content_hash_and_revalidated_by_etag() {
    let app = spawn_app().await;
    let (_, html) = app.page_client("nl").page("/").await;
    let marker = "/static/app.css?v&#x3D;";
    let start = html.find(marker).unwrap() + marker.len();
    let hash: String = html[start..].chars().take_while(|c| *c != '"').collect();
    let css = app.get(&format!("/static/app.css?v={hash}")).await;
    assert_eq!(css.status(), 200);
    assert!(
        css.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    let etag = css.headers()["etag"].to_str().unwrap().to_owned();
    assert!(css.text().await.unwrap().contains(".help-button"));
    let again = app
        .get_with("/static/app.css", "if-none-match", &etag)
        .await;
    assert_eq!(again.status(), 304);
    assert_eq!(app.get("/static/app.js").await.status(), 200);
    assert_eq!(app.get("/static/secret.toml").await.status(), 404);
}
