//! The hand-off summary (issue 16): what it must hold (what happened and when, the company, the
//! steps ticked, the connected expert, where to report) and what it must never hold (another
//! case's data, a case token, ids other than the case's own), as a printable page and as a text
//! download; only the case's own link opens it.

use serde_json::{Value, json};

use crate::connect::{matched_case, number_of};
use crate::helpers::{TestApp, case_of, intake_body, spawn_app};

/// The printed part of the summary page (without the navigation, whose links carry the token).
fn article(html: &str) -> String {
    let start = html
        .find("<article class=\"summary\"")
        .expect("summary article");
    let end = html[start..].find("</article>").expect("article ends") + start;
    html[start..end].to_owned()
}

/// Every UUID-shaped text in `text` (ids of intakes, experts, requests).
fn uuids(text: &str) -> Vec<String> {
    let bytes: Vec<char> = text.chars().collect();
    let shape = |w: &[char]| {
        w.iter().enumerate().all(|(i, c)| {
            if [8, 13, 18, 23].contains(&i) {
                *c == '-'
            } else {
                c.is_ascii_hexdigit()
            }
        })
    };
    bytes
        .windows(36)
        .filter(|w| shape(w))
        .map(|w| w.iter().collect())
        .collect()
}

fn assert_clean(text: &str, own: &Value, other: &Value, what: &str) {
    let (id, token) = case_of(own);
    let (other_id, other_token) = case_of(other);
    for secret in [token, other_token, other_id] {
        assert!(!text.contains(secret), "{what} holds {secret}");
    }
    for foreign in [
        "Garage Jansen",
        "Piet Jansen",
        "Onze webshop is leeggehaald",
        "11223344",
    ] {
        assert!(
            !text.contains(foreign),
            "{what} holds another case's {foreign}"
        );
    }
    for found in uuids(text) {
        assert_eq!(found, id, "{what} holds an id other than the case's own");
    }
}

async fn summary_case(app: &TestApp) -> (Value, Value, String) {
    let (created, ids) = matched_case(app).await;
    let (id, token) = case_of(&created);
    let ticked = app
        .post_auth(
            &format!("/api/v1/intakes/{id}/steps/1"),
            token,
            &json!({ "done": true }),
        )
        .await;
    assert_eq!(ticked.status(), 200);
    let requests = app.ask_ok(&created, &[&ids[0]]).await;
    let expert = app.expert_token(number_of(app, &ids[0]).await).await;
    let accepted = app
        .respond(&requests[0], "accept", &expert, &json!({}))
        .await;
    assert_eq!(accepted.status(), 200);
    let company = app.case(&created).await["expert"]["company_name"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut other = intake_body();
    other["incident_type"] = json!("webshop_fraud");
    other["description"] = json!("Onze webshop is leeggehaald door een nepklant.");
    other["contact"] = json!({ "name": "Piet Jansen", "email": "piet@garage-jansen.nl" });
    other["company"] = json!({ "name": "Garage Jansen", "kvk_number": "11223344" });
    let other = app.intake(&other).await;
    (created, other, company)
}

#[tokio::test]
async fn the_summary_holds_what_happened_and_nothing_of_other_cases() {
    let app = spawn_app().await;
    let (created, other, expert_company) = summary_case(&app).await;
    let (id, token) = case_of(&created);
    let case = app.case(&created).await;
    let reported = hackhelpdesk::clock::for_people(
        chrono::NaiveDateTime::parse_from_str(
            case["created_at"].as_str().unwrap(),
            "%Y-%m-%dT%H:%M:%S%.f",
        )
        .unwrap(),
    );
    let first_step = case["steps"][0]["title"].as_str().unwrap().to_owned();
    let second_step = case["steps"][1]["title"].as_str().unwrap().to_owned();

    // The case page offers it.
    let (_, page) = app.reader("nl").await.page(&format!("/case/{token}")).await;
    assert!(page.contains(&format!("href=\"/case/{token}/summary\"")));

    let (status, html) = app
        .reader("nl")
        .await
        .page(&format!("/case/{token}/summary"))
        .await;
    assert_eq!(status, 200);
    let printed = article(&html);
    for expected in [
        "Samenvatting van een melding bij de Hackhelpdesk",
        id,
        "Ransomware",
        &reported,
        "Bergen op Zoom",
        "Bakkerij De Vries",
        "87654321",
        "Jan de Vries",
        "Alle bestanden zijn versleuteld",
        &first_step,
        &expert_company,
        "Bedragen en rekeningnummers",
        "Meld het datalek bij de Autoriteit Persoonsgegevens",
        "href=\"https://www.politie.nl/aangifte-of-melding-doen\"",
        "href=\"https://www.autoriteitpersoonsgegevens.nl/",
        "niet verstuurd en bewaart haar niet",
    ] {
        assert!(printed.contains(expected), "the summary lacks {expected}");
    }
    assert!(!printed.contains(&second_step), "only ticked steps");
    assert!(
        !printed.contains("lang=\"nl\""),
        "Dutch only once on a Dutch page"
    );
    assert_clean(&printed, &created, &other, "the summary page");

    // In English, with the Dutch alongside.
    let (_, html) = app
        .reader("en")
        .await
        .page(&format!("/case/{token}/summary"))
        .await;
    let printed = article(&html);
    assert!(printed.contains("Summary of a report to the Hackhelpdesk"));
    assert!(
        printed
            .contains("<span class=\"nl\" lang=\"nl\" dir=\"ltr\">/ Samenvatting van een melding")
    );
    assert!(printed.contains("Steps taken") && printed.contains("/ Genomen stappen"));

    // The download: plain text, an attachment, the same content, as clean.
    let response = app
        .reader("en")
        .await
        .get(&format!("/case/{token}/summary.txt"))
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/plain; charset=utf-8"
    );
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.starts_with("attachment; filename=\"hackhelpdesk-summary-"),
        "{disposition}"
    );
    assert_eq!(response.headers()["cache-control"], "no-store");
    let text = response.text().await.unwrap();
    for expected in [
        "Summary of a report to the Hackhelpdesk / Samenvatting van een melding",
        id,
        "Bakkerij De Vries",
        &expert_company,
        "Amount paid / Betaald bedrag: ____",
        "https://www.politie.nl/aangifte-of-melding-doen",
    ] {
        assert!(
            text.contains(expected),
            "the download lacks {expected}:\n{text}"
        );
    }
    assert!(!text.contains('<'), "plain text, no markup");
    assert_clean(&text, &created, &other, "the download");

    // The other case's link opens only the other case's summary.
    let other_token = case_of(&other).1;
    let (_, html) = app
        .reader("nl")
        .await
        .page(&format!("/case/{other_token}/summary"))
        .await;
    let printed = article(&html);
    assert!(printed.contains("Garage Jansen") && !printed.contains("Bakkerij De Vries"));
    assert!(printed.contains("Er is (nog) geen expert gekoppeld."));
    assert!(
        !printed.contains("autoriteitpersoonsgegevens"),
        "no AP for webshop fraud"
    );
}

#[tokio::test]
async fn only_the_case_link_opens_the_summary_and_an_erased_case_has_none() {
    let app = spawn_app().await;
    let created = app.intake(&intake_body()).await;
    let (id, token) = case_of(&created);
    let browser = app.reader("nl").await;
    for path in ["/case/not-a-token/summary", "/case/not-a-token/summary.txt"] {
        assert_eq!(browser.get(path).await.status(), 404, "{path}");
    }
    // The intake id is not a key.
    assert_eq!(
        browser.get(&format!("/case/{id}/summary")).await.status(),
        404
    );
    assert_eq!(
        app.delete_auth(&format!("/api/v1/intakes/{id}"), token)
            .await
            .status(),
        204
    );
    for suffix in ["summary", "summary.txt"] {
        let status = browser
            .get(&format!("/case/{token}/{suffix}"))
            .await
            .status();
        assert_eq!(status, 404, "{suffix} after erasure");
    }
}
