//! Right to left in headless Chromium: on an Arabic case page the Latin parts of a mixed line keep
//! their own order. The browser lays the line out and JavaScript measures where each character
//! landed (`getBoundingClientRect` of a one-character `Range`): the place `'s-Hertogenbosch` in a
//! match's distance line is one run read left to right (its apostrophe stays in front; without an
//! isolate the apostrophe takes the Arabic direction and jumps behind the name), with the number
//! right of its unit and the place left of both, as Arabic reads; the due time of a deadline
//! (`04-12-2026 09:30 CET`) reads left to right too (without an isolate Chromium shows
//! `CET 09:30 04-12-2026`). Screenshots `rtl-case-390.png` and `rtl-case-1280.png`; axe-core finds
//! no violation of any impact on the Arabic pages a victim walks.

use serde_json::{Value, json};

use crate::browser_support::{Browser, start_browser};
use crate::helpers::{TestApp, case_of, expert_at, intake_body, spawn_app};

/// Where one character of a line landed: its left and right edge in CSS pixels.
#[derive(Debug, Clone, Copy)]
struct Glyph {
    ch: char,
    left: f64,
    right: f64,
}

impl Glyph {
    fn centre(&self) -> f64 {
        (self.left + self.right) / 2.0
    }
}

/// The laid-out characters of the text of the first element `css`, in logical (reading) order,
/// without the invisible isolates; each with where it landed.
async fn glyphs(browser: &Browser, css: &str) -> Vec<Glyph> {
    browser.find(css).await;
    let script = format!(
        "const el = document.querySelector({css:?});
         const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
         const out = [];
         for (let node = walker.nextNode(); node; node = walker.nextNode()) {{
           const text = node.data;
           for (let i = 0; i < text.length; i++) {{
             const ch = text[i];
             if (ch === '\\u2068' || ch === '\\u2069') continue;
             const range = document.createRange();
             range.setStart(node, i);
             range.setEnd(node, i + 1);
             const r = range.getBoundingClientRect();
             out.push([ch, r.left, r.right]);
           }}
         }}
         return out;"
    );
    let found = browser
        .client
        .execute(&script, vec![])
        .await
        .expect("glyphs measured");
    found
        .as_array()
        .expect("a list")
        .iter()
        .map(|g| Glyph {
            ch: g[0]
                .as_str()
                .and_then(|s| s.chars().next())
                .expect("a character"),
            left: g[1].as_f64().expect("left"),
            right: g[2].as_f64().expect("right"),
        })
        .collect()
}

/// Where `needle` is in `line` (logical order): the range of its glyphs, or a panic naming the
/// line.
fn part(line: &[Glyph], needle: &str) -> std::ops::Range<usize> {
    let text: Vec<char> = line.iter().map(|g| g.ch).collect();
    let wanted: Vec<char> = needle.chars().collect();
    let at = text
        .windows(wanted.len())
        .position(|w| w == wanted.as_slice())
        .unwrap_or_else(|| {
            panic!(
                "{needle:?} not in the line {:?}",
                text.iter().collect::<String>()
            )
        });
    at..at + wanted.len()
}

/// `needle` is shown as written: each visible character right of the one before it, and no other
/// character of `line` between its first and last. Panics with the order the browser showed.
fn assert_reads_left_to_right(line: &[Glyph], needle: &str) {
    let range = part(line, needle);
    let run = &line[range.clone()];
    let visible: Vec<&Glyph> = run.iter().filter(|g| !g.ch.is_whitespace()).collect();
    let mut shown: Vec<&Glyph> = run.iter().collect();
    shown.sort_by(|a, b| a.centre().total_cmp(&b.centre()));
    let shown: String = shown.iter().map(|g| g.ch).collect();
    for pair in visible.windows(2) {
        assert!(
            pair[0].centre() < pair[1].centre(),
            "{needle:?} is not shown left to right: the browser shows {shown:?} \
             ({:?} is not left of {:?})",
            pair[0].ch,
            pair[1].ch
        );
    }
    let (from, to) = span_of(line, needle);
    for (i, g) in line.iter().enumerate() {
        if !range.contains(&i) && !g.ch.is_whitespace() {
            assert!(
                g.centre() < from || g.centre() > to,
                "{:?} of the line is shown inside {needle:?}, which shows as {shown:?}",
                g.ch
            );
        }
    }
}

/// The left and right edge of the visible characters of `needle` in `line`.
fn span_of(line: &[Glyph], needle: &str) -> (f64, f64) {
    line[part(line, needle)]
        .iter()
        .filter(|g| !g.ch.is_whitespace())
        .fold((f64::MAX, f64::MIN), |(l, r), g| {
            (l.min(g.left), r.max(g.right))
        })
}

/// An approved expert in Oss (about 17 km from 's-Hertogenbosch) who speaks Arabic, and an Arabic
/// speaker's ransomware intake from 's-Hertogenbosch matched to them.
async fn arabic_case(app: &TestApp) -> Value {
    let moderator = app.moderator_token().await;
    let expert = expert_at(
        1,
        "Oss",
        json!({ "capacity": 50, "languages": ["nl", "en", "ar"] }),
    );
    app.approved_expert(&moderator, &expert).await;
    let mut body = intake_body();
    body["location"] = json!({ "place": "'s-Hertogenbosch" });
    body["language"] = json!("ar");
    let created = app.intake(&body).await;
    assert_eq!(TestApp::match_ids(&created).len(), 1, "{created}");
    created
}

#[tokio::test]
async fn latin_places_and_times_keep_their_order_on_an_arabic_case_page() {
    let Some(browser) = start_browser().await else {
        return;
    };
    let app = spawn_app().await;
    let created = arabic_case(&app).await;
    let (_, token) = case_of(&created);
    browser
        .goto(&app.url(&format!("/case/{token}?lang=ar")))
        .await;
    let html = browser.find("html").await.attr("dir").await.expect("attr");
    assert_eq!(html.as_deref(), Some("rtl"));

    // "على بعد 17 كم من 's-Hertogenbosch": the place one run, left to right; reading from the
    // right: the distance words, the number, its unit, "from", then the place at the left.
    let line = glyphs(&browser, ".match .distance").await;
    let text: String = line.iter().map(|g| g.ch).collect();
    assert!(text.contains("كم من 's-Hertogenbosch"), "{text}");
    assert_reads_left_to_right(&line, "'s-Hertogenbosch");
    let km: String = text
        .chars()
        .filter(char::is_ascii_digit)
        .collect::<String>();
    assert_reads_left_to_right(&line, &km);
    let (number_left, _) = span_of(&line, &km);
    let (unit_left, unit_right) = span_of(&line, "كم");
    let (_, place_right) = span_of(&line, "'s-Hertogenbosch");
    assert!(
        unit_right <= number_left + 0.5,
        "the number stands right of its unit, as Arabic reads: {text}"
    );
    assert!(
        number_left - unit_right < 12.0,
        "the number stays next to its unit: {text}"
    );
    assert!(
        place_right <= unit_left,
        "the place is left of the distance: {text}"
    );

    // The due time of the data breach notification: "في موعد أقصاه 04-12-2026 09:30 CET" shows
    // the date, the time and the zone left to right, left of the Arabic words.
    let line = glyphs(&browser, "#deadline-ap_notification .due").await;
    let text: String = line.iter().map(|g| g.ch).collect();
    let at = text
        .split_once("أقصاه ")
        .map(|(_, at)| at.to_owned())
        .unwrap_or_else(|| panic!("a due time in {text}"));
    assert!(at.ends_with(" CET"), "{text}");
    assert_reads_left_to_right(&line, &at);
    let (_, time_right) = span_of(&line, &at);
    let (words_left, _) = span_of(&line, "أقصاه");
    assert!(
        time_right <= words_left,
        "the time is left of 'at the latest': {text}"
    );

    browser.screenshot("rtl-case", 390).await;
    browser.screenshot("rtl-case", 1280).await;
    browser
        .client
        .set_window_size(390, 900)
        .await
        .expect("resize");
    browser
        .assert_no_violations("Arabic case page at 390 px")
        .await;
    browser
        .client
        .set_window_size(1280, 900)
        .await
        .expect("resize");
    browser
        .assert_no_violations("Arabic case page at 1280 px")
        .await;
    browser.close().await;
}

#[tokio::test]
async fn the_arabic_pages_a_victim_walks_pass_axe() {
    let Some(browser) = start_browser().await else {
        return;
    };
    let app = spawn_app().await;
    let created = arabic_case(&app).await;
    let (_, token) = case_of(&created);
    browser
        .client
        .set_window_size(390, 900)
        .await
        .expect("resize");
    let pages = [
        ("home", "/?lang=ar".to_owned()),
        ("triage", "/triage?lang=ar".to_owned()),
        ("first aid", "/first-aid/ransomware?lang=ar".to_owned()),
        ("referral policy", "/referral-policy?lang=ar".to_owned()),
        ("hand-off summary", format!("/case/{token}/summary?lang=ar")),
    ];
    for (name, path) in pages {
        browser.goto(&app.url(&path)).await;
        let dir = browser.find("html").await.attr("dir").await.expect("attr");
        assert_eq!(dir.as_deref(), Some("rtl"), "{name}");
        browser
            .assert_no_violations(&format!("Arabic {name} at 390 px"))
            .await;
    }

    // The intake form with errors: sent empty.
    browser
        .goto(&app.url("/intake?type=ransomware&lang=ar"))
        .await;
    browser
        .click_and_load("form[action='/intake'] > p > button[type=submit]")
        .await;
    assert!(browser.count(".error").await > 0, "errors are shown");
    browser
        .assert_no_violations("Arabic intake form with errors at 390 px")
        .await;
    browser
        .client
        .set_window_size(1280, 900)
        .await
        .expect("resize");
    browser
        .assert_no_violations("Arabic intake form with errors at 1280 px")
        .await;
    browser.close().await;
}

/// Without a browser: the HTML itself marks what the browser test measures. The place and the due
/// time go into their sentences between isolates (FSI … PDI), the expert's company name is in a
/// `<bdi>`, dates and phone numbers are marked left to right, the steps carry their language and
/// direction.
#[tokio::test]
async fn the_arabic_case_page_marks_names_places_and_times() {
    let app = spawn_app().await;
    let created = arabic_case(&app).await;
    let (_, token) = case_of(&created);
    let response = app
        .page_client("ar")
        .get(&format!("/case/{token}?lang=ar"))
        .await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.expect("body");
    assert!(
        html.contains("كم من \u{2068}&#x27;s-Hertogenbosch\u{2069}")
            || html.contains("كم من \u{2068}&#39;s-Hertogenbosch\u{2069}"),
        "the place is isolated in the distance line: {html}"
    );
    assert!(
        html.contains("في موعد أقصاه \u{2068}") && html.contains(" CET\u{2069}</span>"),
        "the due time is isolated: {html}"
    );
    assert!(html.contains("<strong><bdi>Veilig IT 1 B.V.</bdi></strong>"));
    assert!(html.contains("<dd><bdi dir=\"ltr\">"), "the report time");
    assert!(
        html.contains("<dd><bdi>&#x27;s-Hertogenbosch</bdi></dd>")
            || html.contains("<dd><bdi>&#39;s-Hertogenbosch</bdi></dd>")
    );
    assert!(html.contains("<ol class=\"checklist\" lang=\"ar\" dir=\"rtl\">"));
}
