//! A case's deadlines ([`crate::domain::deadline`]) in words of a page language (`[deadline]` in
//! the catalogues): the title, what to do, the due time in Amsterdam time and the time left at a
//! moment, or that it has passed and what to do still. Pages, the API (titles) and the intake
//! email all put them into words here, so they read alike everywhere.

use chrono::NaiveDateTime;
use serde::Serialize;

use super::{Catalogues, Lang, PageLanguage};
use crate::clock::for_people;
use crate::domain::IncidentType;
use crate::domain::deadline::{Deadline, DeadlineCode, Remaining};
use crate::incidents::links::AP_BREACH_REPORT;

/// One deadline as a reader sees it at a moment.
#[derive(Debug, Clone, Serialize)]
pub struct DeadlineText {
    pub code: DeadlineCode,
    pub title: String,
    /// What to do, for this incident type.
    pub body: String,
    /// `Uiterlijk 04-12-2026 09:30 CET` (the time between Unicode isolates, so that it keeps its
    /// order in a right-to-left sentence); `None` without a due time.
    pub due: Option<String>,
    /// `nog 41 uur`, `Nu: elk uur telt`, or that the time has passed.
    pub left: String,
    /// After the due time: what to do still.
    pub passed: Option<String>,
    /// The due time is less than a day away, or there is none (act now), or it has passed.
    pub urgent: bool,
    /// Where to act (a public body's page, on the allow-list), with its text.
    pub link: Option<&'static str>,
    pub link_text: Option<String>,
}

/// The title of `code` in `page`.
pub fn title(page: &PageLanguage, code: DeadlineCode) -> String {
    page.fill(&format!("deadline.{code}.title"), &[])
}

/// The title of `code` in an API language.
pub fn title_in(lang: Lang, code: DeadlineCode) -> String {
    let catalogues = Catalogues::shared().ok();
    match catalogues.as_ref().and_then(|c| c.get(lang.code())) {
        Some(page) => title(page, code),
        // The catalogues are checked at start-up, so this is never reached in a running server.
        None => code.to_string(),
    }
}

/// `deadline` of a case of `incident` in words of `page`, as it stands at `now`.
pub fn say(
    page: &PageLanguage,
    incident: IncidentType,
    deadline: &Deadline,
    now: NaiveDateTime,
) -> DeadlineText {
    let code = deadline.code;
    let body_key = match (code, incident) {
        (DeadlineCode::ApNotification, IncidentType::Ransomware) => {
            "deadline.ap_notification.body_ransomware"
        }
        _ => &format!("deadline.{code}.body"),
    };
    let due = deadline.due_at.map(for_people);
    let remaining = deadline.remaining(now);
    let left = match remaining {
        Remaining::Now => page.fill("deadline.now", &[]),
        Remaining::Left { hours: 0, .. } => page.fill("deadline.left_under_one", &[]),
        Remaining::Left { hours: 1, .. } => page.fill("deadline.left_one", &[]),
        Remaining::Left { hours, .. } => {
            page.fill("deadline.left", &[("hours", &hours.to_string())])
        }
        Remaining::Passed => page.fill("deadline.passed", &[]),
    };
    // The bank's own fraud number is on the victim's bank card; banks are not on the allow-list.
    let link = match code {
        DeadlineCode::ApNotification => Some(AP_BREACH_REPORT),
        DeadlineCode::CallBank => None,
    };
    DeadlineText {
        code,
        title: title(page, code),
        body: page.fill(body_key, &[]),
        due: due.map(|at| page.fill("deadline.due", &[("at", &at)])),
        left,
        passed: matches!(remaining, Remaining::Passed)
            .then(|| page.fill(&format!("deadline.{code}.passed"), &[])),
        urgent: match remaining {
            Remaining::Left { near, .. } => near,
            Remaining::Now | Remaining::Passed => true,
        },
        link,
        link_text: link.map(|_| page.fill(&format!("deadline.{code}.link"), &[])),
    }
}

/// Every deadline in words of `page` at `now`.
pub fn say_all(
    page: &PageLanguage,
    incident: IncidentType,
    deadlines: &[Deadline],
    now: NaiveDateTime,
) -> Vec<DeadlineText> {
    deadlines
        .iter()
        .map(|d| say(page, incident, d, now))
        .collect()
}

/// Every deadline in an email language (`nl`, `en`) at `now`.
pub fn say_all_in(
    lang: Lang,
    incident: IncidentType,
    deadlines: &[Deadline],
    now: NaiveDateTime,
) -> Vec<DeadlineText> {
    let catalogues = Catalogues::shared().ok();
    match catalogues.as_ref().and_then(|c| c.get(lang.code())) {
        Some(page) => say_all(page, incident, deadlines, now),
        None => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::IntakeStatus;
    use crate::domain::deadline::deadlines;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn a_breach_reads_as_hours_left_then_as_passed_in_every_language() {
        let catalogues = Catalogues::shared().unwrap();
        let found = at("2026-12-01 08:30");
        let list = deadlines(IncidentType::DataBreach, found, IntakeStatus::Open);
        let nl = catalogues.get("nl").unwrap();
        let en = catalogues.get("en").unwrap();
        let now = at("2026-12-02 15:30");
        let text = say(nl, IncidentType::DataBreach, &list[0], now);
        assert_eq!(text.left, "nog 41 uur");
        assert_eq!(
            text.due.as_deref(),
            Some("Uiterlijk \u{2068}04-12-2026 09:30 CET\u{2069}")
        );
        assert!(!text.urgent && text.passed.is_none());
        let text = say(en, IncidentType::DataBreach, &list[0], now);
        assert_eq!(text.left, "41 hours left");
        assert_eq!(
            say(
                en,
                IncidentType::DataBreach,
                &list[0],
                at("2026-12-04 07:00")
            )
            .left,
            "1 hour left"
        );
        let late = say(
            en,
            IncidentType::DataBreach,
            &list[0],
            at("2026-12-05 08:30"),
        );
        assert!(late.urgent && late.passed.is_some(), "{late:?}");
        for page in catalogues.all() {
            let text = say(page, IncidentType::Ransomware, &list[0], now);
            assert!(!text.title.starts_with("deadline."), "{}", page.code);
            assert!(!text.body.starts_with("deadline."), "{}", page.code);
        }
    }
}
