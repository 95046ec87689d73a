//! The hand-off summary (issue 16): from the case page, a printable page
//! (`GET /case/{token}/summary`) and a plain-text download (`GET /case/{token}/summary.txt`,
//! `Content-Disposition: attachment`) that the victim takes to the police (aangifte), the insurer
//! or the bank. Generated on each request from the case, never stored and never sent anywhere by
//! the platform. Only the case link opens it (an unknown token is the 404 page). It is written in
//! the page language, with Dutch alongside when that differs (Dutch is what the police, Dutch
//! insurers and banks read). It names the case by its id (the reference the victim already has in
//! the API); no token, no other id, nothing of other cases.
//!
//! Amounts and bank accounts: the intake does not ask for them, and the summary does not add a
//! form to store them: the platform does not need them to find an expert, and bank details of a
//! fraud would widen what erasure and retention must cover. The summary leaves room to write them
//! in by hand (print) or type them in (text file).

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, http::header, web};
use serde::Serialize;
use serde_json::json;

use super::PageCtx;
use super::case::intake_of;
use crate::cases::view::CaseData;
use crate::clock::for_people;
use crate::domain::deadline::DeadlineCode;
use crate::error::AppError;
use crate::http::AppState;
use crate::i18n::{Lang, PageLanguage, deadlines::say_all};
use crate::incidents::links::{AP_BREACH_REPORT, POLICE_REPORT};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/case/{token}/summary", web::get().to(show))
        .route("/case/{token}/summary.txt", web::get().to(download));
}

/// A text in the page language and, when that is not Dutch, in Dutch too.
#[derive(Serialize)]
struct Bi {
    text: String,
    nl: Option<String>,
    /// A name, place, date or number as it is (no sentence): the page isolates it (`<bdi>`).
    plain: bool,
}

/// A labelled value; `own_words` marks the victim's own text (kept as written).
#[derive(Serialize)]
struct Fact {
    label: Bi,
    value: Bi,
    own_words: bool,
}

#[derive(Serialize)]
struct Link {
    text: Bi,
    href: &'static str,
}

#[derive(Serialize)]
struct Section<T> {
    heading: Bi,
    items: Vec<T>,
    /// Shown when `items` is empty.
    none: Bi,
}

#[derive(Serialize)]
struct Summary {
    heading: Bi,
    intro: Bi,
    facts: Vec<Fact>,
    money: Section<Bi>,
    steps: Section<Bi>,
    expert: Section<Fact>,
    deadlines: Section<Fact>,
    report: Section<Link>,
    generated: Bi,
}

/// Both languages of one summary.
struct Words<'a> {
    main: &'a PageLanguage,
    nl: Option<&'a PageLanguage>,
}

impl Words<'_> {
    fn bi(&self, key: &str, args: &[(&str, &str)]) -> Bi {
        Bi {
            text: self.main.fill(key, args),
            nl: self.nl.map(|nl| nl.fill(key, args)),
            plain: false,
        }
    }

    /// A value that reads the same in every language (a name, a date, a number).
    fn plain(value: impl Into<String>) -> Bi {
        Bi {
            text: value.into(),
            nl: None,
            plain: true,
        }
    }

    fn fact(&self, key: &str, value: impl Into<String>) -> Fact {
        Fact {
            label: self.bi(key, &[]),
            value: Self::plain(value),
            own_words: false,
        }
    }

    fn section<T>(&self, key: &str, items: Vec<T>) -> Section<T> {
        Section {
            heading: self.bi(&format!("handoff.{key}.heading"), &[]),
            items,
            none: self.bi(&format!("handoff.{key}.none"), &[]),
        }
    }
}

fn summary(data: &CaseData, state: &AppState, words: &Words<'_>) -> Summary {
    let row = &data.row;
    let now = state.clock.now();
    let lang = words.main.content_lang();
    let dutch = words.nl.is_some();
    let content = |l: Lang| state.catalogue.get(row.incident_type).text(l);
    let both = |main: &str, nl: &str| Bi {
        text: main.to_owned(),
        nl: (dutch && main != nl).then(|| nl.to_owned()),
        plain: false,
    };
    let mut facts = vec![
        words.fact("handoff.reference", row.id.clone()),
        Fact {
            label: words.bi("handoff.incident", &[]),
            value: both(&content(lang).name, &content(Lang::Nl).name),
            own_words: false,
        },
        words.fact("handoff.discovered", for_people(data.discovered_at)),
        words.fact("handoff.reported", for_people(row.created_at)),
        words.fact("handoff.place", row.place.clone()),
    ];
    let optional = [
        ("handoff.company", row.company_name.clone()),
        ("handoff.kvk", row.company_kvk.clone()),
        ("handoff.contact", row.contact_name.clone()),
    ];
    facts.extend(
        optional
            .into_iter()
            .filter_map(|(key, value)| value.map(|v| words.fact(key, v))),
    );
    if let Some(description) = &row.description {
        facts.push(Fact {
            own_words: true,
            ..words.fact("handoff.description", description.clone())
        });
    }
    let (steps_main, steps_nl) = (&content(lang).steps, &content(Lang::Nl).steps);
    let steps = steps_main
        .iter()
        .zip(steps_nl)
        .zip(1..)
        .filter(|(_, n)| data.steps_done.contains(n))
        .map(|((main, nl), _)| both(&main.title, &nl.title))
        .collect();
    let expert = data
        .expert
        .as_ref()
        .map(|e| {
            let mut facts = vec![
                words.fact("handoff.expert.company", e.company_name.clone()),
                words.fact("handoff.expert.contact", e.contact_name.clone()),
                words.fact("handoff.expert.phone", e.phone.clone()),
                words.fact("handoff.expert.email", e.email.clone()),
            ];
            if let Some(at) = row.connected_at {
                facts.push(words.fact("handoff.expert.since", for_people(at)));
            }
            facts
        })
        .unwrap_or_default();
    let clocks = data.deadlines();
    let in_main = say_all(words.main, row.incident_type, &clocks, now);
    let in_nl = words
        .nl
        .map(|nl| say_all(nl, row.incident_type, &clocks, now));
    let deadlines = in_main
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let nl = in_nl.as_ref().and_then(|all| all.get(i));
            let value = |d: &crate::i18n::deadlines::DeadlineText| {
                d.due.clone().unwrap_or_else(|| d.left.clone())
            };
            Fact {
                label: Bi {
                    text: d.title.clone(),
                    nl: nl.map(|n| n.title.clone()),
                    plain: false,
                },
                value: Bi {
                    text: value(d),
                    nl: nl.map(value),
                    plain: false,
                },
                own_words: false,
            }
        })
        .collect();
    let mut report = vec![Link {
        text: words.bi("handoff.report.police", &[]),
        href: POLICE_REPORT,
    }];
    if clocks
        .iter()
        .any(|d| d.code == DeadlineCode::ApNotification)
    {
        report.push(Link {
            text: words.bi("handoff.report.ap", &[]),
            href: AP_BREACH_REPORT,
        });
    }
    let money = ["amount", "date", "account"]
        .iter()
        .map(|k| words.bi(&format!("handoff.money.{k}"), &[]))
        .collect();
    Summary {
        heading: words.bi("handoff.heading", &[]),
        intro: words.bi("handoff.intro", &[]),
        facts,
        money: words.section("money", money),
        steps: words.section("steps", steps),
        expert: words.section("expert", expert),
        deadlines: words.section("deadlines", deadlines),
        report: words.section("report", report),
        generated: words.bi("handoff.generated", &[("at", &for_people(now))]),
    }
}

/// The summary of the case behind `token` in the page's languages, and the page context it was
/// made in: what the page and the download share. An unknown token or an erased case is the 404
/// page (nothing is left to hand over).
async fn made<'a>(
    req: &HttpRequest,
    state: &'a AppState,
    token: &str,
) -> Result<(PageCtx<'a>, Summary), AppError> {
    let id = intake_of(state, token).await?;
    let data = state.db.run(move |conn| CaseData::load(conn, &id)).await?;
    if data.row.status.is_erased() {
        return Err(AppError::NotFound);
    }
    let page = PageCtx::for_victim(req, state, &data.row.language);
    let main = page.lang();
    let nl = (main.code != "nl")
        .then(|| state.pages.catalogues.get("nl"))
        .flatten();
    let summary = summary(&data, state, &Words { main, nl });
    Ok((page, summary))
}

/// `GET /case/{token}/summary`: the printable page.
async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (page, summary) = made(&req, &state, &token).await?;
    page.render(
        "case_summary",
        StatusCode::OK,
        json!({ "token": token.into_inner(), "s": summary }),
    )
}

/// `GET /case/{token}/summary.txt`: the same as a text file to keep, attach or print.
async fn download(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (_, summary) = made(&req, &state, &token).await?;
    let text = as_text(&summary);
    let day = crate::clock::local_date(state.clock.now());
    Ok(HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"hackhelpdesk-summary-{day}.txt\""),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .body(text))
}

/// `text` and, on the next line, its Dutch (when there is one).
fn lines(out: &mut String, prefix: &str, bi: &Bi) {
    out.push_str(&format!("{prefix}{}\n", bi.text));
    if let Some(nl) = &bi.nl {
        out.push_str(&format!("{prefix}(NL) {nl}\n"));
    }
}

fn label(bi: &Bi) -> String {
    match &bi.nl {
        Some(nl) => format!("{} / {nl}", bi.text),
        None => bi.text.clone(),
    }
}

fn heading(out: &mut String, bi: &Bi) {
    let title = label(bi);
    out.push_str(&format!(
        "\n{title}\n{}\n",
        "-".repeat(title.chars().count())
    ));
}

fn facts(out: &mut String, facts: &[Fact]) {
    for fact in facts {
        out.push_str(&format!("{}:\n", label(&fact.label)));
        lines(out, "  ", &fact.value);
    }
}

fn as_text(s: &Summary) -> String {
    let mut out = String::new();
    let title = label(&s.heading);
    out.push_str(&format!(
        "{title}\n{}\n\n",
        "=".repeat(title.chars().count())
    ));
    lines(&mut out, "", &s.intro);
    out.push('\n');
    facts(&mut out, &s.facts);
    heading(&mut out, &s.money.heading);
    lines(&mut out, "", &s.money.none);
    for field in &s.money.items {
        out.push_str(&format!("  {}: ____________________\n", label(field)));
    }
    heading(&mut out, &s.steps.heading);
    if s.steps.items.is_empty() {
        lines(&mut out, "", &s.steps.none);
    }
    for step in &s.steps.items {
        lines(&mut out, "- ", step);
    }
    heading(&mut out, &s.expert.heading);
    if s.expert.items.is_empty() {
        lines(&mut out, "", &s.expert.none);
    }
    facts(&mut out, &s.expert.items);
    if !s.deadlines.items.is_empty() {
        heading(&mut out, &s.deadlines.heading);
        facts(&mut out, &s.deadlines.items);
    }
    heading(&mut out, &s.report.heading);
    for link in &s.report.items {
        out.push_str(&format!("- {}: {}\n", label(&link.text), link.href));
    }
    out.push('\n');
    lines(&mut out, "", &s.generated);
    out
}
