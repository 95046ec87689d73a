//! The moderators' statistics page without a browser: behind login, the figures of the known
//! history as charts whose SVG is valid XML with a title and description, a table under each,
//! in Dutch and English; a bad filter shows the form again naming the field.

use crate::helpers::{MODERATOR_PASSWORD, PageClient, TestApp, location, spawn_app};
use crate::stats_support::history;

pub const PAGE: &str = "/moderator/stats?from=2027-03-01&to=2027-03-14";

pub async fn moderator_pages(app: &TestApp, lang: &str) -> PageClient {
    let client = app.page_client(lang);
    let fields = [
        ("email", "moderator@pvo.nl"),
        ("password", MODERATOR_PASSWORD),
    ];
    let logged_in = client.submit("/login", "/login", &fields).await;
    assert_eq!(logged_in.status(), 303);
    client
}

/// Every `<svg>…</svg>` of a page, parsed as XML: (title, description, number of bars).
pub fn charts(html: &str) -> Vec<(String, String, usize)> {
    html.match_indices("<svg")
        .map(|(start, _)| {
            let end = html[start..].find("</svg>").expect("closed") + start + "</svg>".len();
            let svg = &html[start..end];
            let doc = roxmltree::Document::parse(svg)
                .unwrap_or_else(|e| panic!("the chart is valid XML: {e}\n{svg}"));
            let root = doc.root_element();
            assert_eq!(root.attribute("role"), Some("img"));
            let id = |name: &str| {
                let node = root.children().find(|n| n.has_tag_name(name)).expect(name);
                let labelled = root.attribute("aria-labelledby").unwrap();
                assert!(
                    labelled.contains(node.attribute("id").unwrap()),
                    "{name} labels the chart"
                );
                node.text().unwrap_or_default().to_owned()
            };
            let bars = root.children().filter(|n| n.has_tag_name("rect")).count();
            (id("title"), id("desc"), bars)
        })
        .collect()
}

#[tokio::test]
async fn moderators_read_the_figures_as_charts_with_text_alternatives_and_tables() {
    let h = history().await;
    let anonymous = h.app.page_client("nl").get(PAGE).await;
    assert_eq!(anonymous.status(), 303);
    assert!(location(&anonymous).starts_with("/login?next="));

    let pages = moderator_pages(&h.app, "nl").await;
    let (status, html) = pages.page(PAGE).await;
    assert_eq!(status, 200);
    assert!(html.contains("href=\"/moderator/stats\""), "in the menu");
    // Handlebars escapes `=` too: the browser reads `&#x3D;` as `=`.
    assert!(
        html.contains("href=\"/api/v1/stats.csv?from&#x3D;2027-03-01&amp;to&#x3D;2027-03-14\"")
    );
    let found = charts(&html);
    let titles: Vec<&str> = found.iter().map(|c| c.0.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Hulpvragen per week per soort incident",
            "Hulpvragen per provincie",
            "Uitkomst van afgesloten zaken",
            "Score 'geholpen' per soort incident (1–5)",
            "Weerbaarheid voor en na: aandeel dat ja antwoordt",
            "Minuten tot de eerste acceptatie per urgentie",
            "Spreiding van doorverwijzingen per expert",
        ]
    );
    let desc = |i: usize| found[i].1.as_str();
    assert!(desc(0).contains("2027-W09: "), "{}", desc(0));
    assert!(
        desc(1)
            .contains("Noord-Brabant: 3; Noord-Holland: 0; Overijssel: 0; Utrecht: 0; Zeeland: 2"),
        "{}",
        desc(1)
    );
    assert!(desc(2).contains(": 1; "), "{}", desc(2));
    assert!(
        desc(5).contains("Mediaan 10 min, 90e percentiel 30 min"),
        "{}",
        desc(5)
    );
    assert!(desc(4).contains("(n = 2) 50%"), "{}", desc(4));
    assert_eq!(found[1].2, 2, "two provinces with intakes, two bars");
    assert_eq!(
        html.matches("<details>").count(),
        7,
        "a table under each chart"
    );
    assert!(html.contains("<th scope=\"row\">Veilig IT 1 B.V.</th>"));

    let english = moderator_pages(&h.app, "en").await;
    let (status, html) = english.page(PAGE).await;
    assert_eq!(status, 200);
    assert_eq!(charts(&html)[1].0, "Intakes per province");

    for (query, field) in [
        ("from=2027-03-20&to=2027-03-01", "from"),
        ("to=2027-02-30", "to"),
        ("incident_type=ceo_fraud", "incident_type"),
        ("province=Brabant", "province"),
    ] {
        let (status, html) = pages.page(&format!("/moderator/stats?{query}")).await;
        assert_eq!(status, 422, "{query}");
        assert!(
            html.contains(&format!("href=\"#f-{field}\"")),
            "the summary links {field}"
        );
        assert!(
            html.contains(&format!("id=\"e-{field}\"")),
            "{field} explained"
        );
        assert_eq!(html.matches("aria-invalid=\"true\"").count(), 1, "{query}");
        assert!(charts(&html).is_empty());
    }
}

/// The row of page language `code` in the languages table.
fn language_row<'a>(html: &'a str, code: &str) -> &'a str {
    let start = html
        .find(&format!("<tr data-lang=\"{code}\">"))
        .unwrap_or_else(|| panic!("a row for {code}"));
    let end = html[start..].find("</tr>").expect("closed") + start;
    &html[start..end]
}

#[tokio::test]
async fn moderators_see_which_page_languages_wait_for_a_native_speaker() {
    let app = spawn_app().await;
    app.moderator_token().await;
    let dutch = moderator_pages(&app, "nl").await;
    let (status, html) = dutch.page("/moderator/stats").await;
    assert_eq!(status, 200);
    assert!(html.contains(">Talen</h2>"));
    let pending = "wacht op controle door een moedertaalspreker";
    for (code, name, own) in [
        ("tr", "Turks", "Türkçe"),
        ("pl", "Pools", "Polski"),
        ("ar", "Arabisch", "العربية"),
    ] {
        let row = language_row(&html, code);
        assert!(row.contains(name) && row.contains(own), "{row}");
        // Both the pages and the first aid with the victims' emails wait for review.
        assert_eq!(
            row.matches(pending).count(),
            2,
            "{code} is pending review: {row}"
        );
    }
    for code in ["nl", "en"] {
        let row = language_row(&html, code);
        assert_eq!(row.matches("nagekeken").count(), 2, "{row}");
        assert!(!row.contains(pending), "{row}");
    }
    assert!(html.contains(">Eerste hulp en e-mails</th>"));
    assert!(
        language_row(&html, "nl").contains(">Nederlands</th>"),
        "a name the reader already reads is not repeated"
    );
    assert!(
        language_row(&html, "ar").contains("<span lang=\"ar\" dir=\"rtl\">العربية</span>"),
        "the Arabic name is marked right to left"
    );

    let english = moderator_pages(&app, "en").await;
    let (_, html) = english.page("/moderator/stats?from=2027-13-01").await;
    assert!(
        html.contains(">Languages</h2>"),
        "shown with a bad filter too"
    );
    let row = language_row(&html, "tr");
    assert!(row.contains("Turkish") && row.contains("pending review by a native speaker"));
    assert!(language_row(&html, "en").contains("reviewed"));
}
