//! Outcome measurement as workflows: the four resilience questions (offline backups, MFA, an
//! incident plan, automatic updates; yes/no/unknown) read from API and page input, also within
//! the 90-day check's input (which still takes the booleans of older clients), the baseline the
//! victim may give after the intake (never before help), and the report that the expert offered
//! paid services (from the feedback), which alerts the moderators naming the expert and the case,
//! never the victim.

use serde::Deserialize;
use serde_json::{Value, json};

use super::{Ctx, audit, wrong_state};
use crate::db::models::audit::Actor;
use crate::db::models::expert::ExpertRow;
use crate::db::models::intake::{self, IntakeRow};
use crate::db::models::outcomes::{self, Answer, Phase, Resilience};
use crate::db::{DbConn, write_tx};
use crate::domain::IntakeId;
use crate::error::{AppError, FieldErrors};

/// The four answers as a client sends them, each `"yes"`, `"no"` or `"unknown"`.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct AnswersInput {
    #[serde(default)]
    pub offline_backups: Option<String>,
    #[serde(default)]
    pub mfa: Option<String>,
    #[serde(default)]
    pub incident_plan: Option<String>,
    #[serde(default)]
    pub auto_updates: Option<String>,
}

/// Reads one answer; a missing or other value is recorded under `field`.
pub fn check_answer(errors: &mut FieldErrors, field: &str, raw: Option<&str>) -> Option<Answer> {
    let checked = match raw.map(str::trim) {
        None | Some("") => Err("is required: yes, no or unknown"),
        Some(text) => Answer::parse(text).ok_or("must be yes, no or unknown"),
    };
    errors.check(field, checked)
}

impl AnswersInput {
    /// Whether any of the four was sent.
    pub fn any(&self) -> bool {
        self.raw().iter().any(Option::is_some)
    }

    fn raw(&self) -> [Option<&str>; 4] {
        [
            self.offline_backups.as_deref(),
            self.mfa.as_deref(),
            self.incident_plan.as_deref(),
            self.auto_updates.as_deref(),
        ]
    }

    /// The four answers, each error recorded under `prefix` + the question's name.
    pub fn check(&self, prefix: &str, errors: &mut FieldErrors) -> Option<Resilience> {
        let mut answers = Resilience::QUESTIONS
            .iter()
            .zip(self.raw())
            .map(|(name, raw)| check_answer(errors, &format!("{prefix}{name}"), raw));
        let mut next = || answers.next().flatten();
        let (offline_backups, mfa, incident_plan, auto_updates) = (next(), next(), next(), next());
        Some(Resilience {
            offline_backups: offline_backups?,
            mfa: mfa?,
            incident_plan: incident_plan?,
            auto_updates: auto_updates?,
        })
    }

    /// [`Self::check`] as a whole: one 422 naming every bad answer.
    pub fn parse(&self, prefix: &str) -> Result<Resilience, AppError> {
        let mut errors = FieldErrors::default();
        let answers = self.check(prefix, &mut errors);
        errors.finish()?;
        answers.ok_or_else(|| AppError::internal("checked answers are missing"))
    }
}

/// The 90-day check. The four outcome questions (`offline_backups`, `mfa`, `incident_plan`,
/// `auto_updates`: yes/no/unknown, as at intake) are optional for clients from before them, who
/// send `mfa_enabled` and `offline_backups` as booleans; once any of the four is sent, all four
/// are required and the booleans follow from them.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ResilienceInput {
    #[serde(default)]
    pub mfa_enabled: Option<bool>,
    /// A boolean (before the four questions) or `yes`/`no`/`unknown`.
    #[serde(default)]
    #[schema(value_type = Option<serde_json::Value>)]
    pub offline_backups: Option<Value>,
    pub reported_to_police: bool,
    #[serde(default)]
    pub mfa: Option<String>,
    #[serde(default)]
    pub incident_plan: Option<String>,
    #[serde(default)]
    pub auto_updates: Option<String>,
    #[serde(default)]
    pub comment: Option<String>,
}

impl ResilienceInput {
    /// The legacy row's booleans and, when sent, the four answers.
    pub(super) fn answers(&self, errors: &mut FieldErrors) -> (bool, bool, Option<Resilience>) {
        let offline_text = self.offline_backups.as_ref().and_then(Value::as_str);
        let four = AnswersInput {
            offline_backups: offline_text.map(str::to_owned),
            mfa: self.mfa.clone(),
            incident_plan: self.incident_plan.clone(),
            auto_updates: self.auto_updates.clone(),
        };
        if four.any() {
            let answers = four.check("", errors);
            let yes = |a: Option<Answer>| a == Some(Answer::Yes);
            let mfa = self.mfa_enabled.unwrap_or(yes(answers.map(|r| r.mfa)));
            return (mfa, yes(answers.map(|r| r.offline_backups)), answers);
        }
        if self.mfa_enabled.is_none() {
            errors.add("mfa_enabled", "is required (or send the four answers)");
        }
        let offline = match &self.offline_backups {
            Some(Value::Bool(b)) => *b,
            Some(_) => {
                errors.add("offline_backups", "must be true, false, yes, no or unknown");
                false
            }
            None => {
                errors.add("offline_backups", "is required");
                false
            }
        };
        (self.mfa_enabled.unwrap_or(false), offline, None)
    }
}

/// The answers of one phase as the API and the export show them.
pub fn answers_json(answers: Option<&(Resilience, chrono::NaiveDateTime)>) -> Value {
    match answers {
        Some((r, at)) => json!({
            "offline_backups": r.offline_backups, "mfa": r.mfa,
            "incident_plan": r.incident_plan, "auto_updates": r.auto_updates,
            "answered_at": at,
        }),
        None => Value::Null,
    }
}

/// Stores the victim's baseline answers; a second answer replaces the first while the case has
/// not ended (closed or erased cases refuse with 409). Returns whether it replaced one, and when.
pub fn answer_baseline(
    conn: &mut DbConn,
    ctx: Ctx<'_>,
    intake_id: &IntakeId,
    answers: Resilience,
) -> Result<(bool, chrono::NaiveDateTime), AppError> {
    write_tx(conn, |conn| {
        let row = intake::lock(conn, intake_id)?;
        super::retention::ensure_kept(conn, intake_id)?;
        if !row.status.is_ongoing() {
            return Err(wrong_state(row.status));
        }
        let replaced = outcomes::answers_of(conn, intake_id, Phase::Baseline)?.is_some();
        outcomes::store(conn, intake_id, Phase::Baseline, &answers, ctx.now)?;
        let mut details = serde_json::to_value(answers).map_err(AppError::internal)?;
        details["replaced"] = json!(replaced);
        audit(
            conn,
            &ctx,
            Actor::Victim(intake_id),
            crate::db::models::audit_actions::INTAKE_RESILIENCE_BASELINE,
            ("intake", intake_id),
            None,
            details,
        )?;
        Ok((replaced, ctx.now))
    })
}

/// The victim said the expert offered paid services: audited against the expert and the
/// moderators alerted (at once, or in the digest within the alert window). Call it inside the
/// feedback's transaction.
pub fn report_paid_services(
    conn: &mut DbConn,
    ctx: &Ctx<'_>,
    row: &IntakeRow,
) -> Result<(), AppError> {
    let expert = match &row.connected_expert_id {
        Some(id) => crate::db::models::expert::find(conn, id)?,
        None => None,
    };
    let (kind, id) = match &expert {
        Some(e) => ("expert", e.id.as_str()),
        None => ("intake", row.id.as_str()),
    };
    audit(
        conn,
        ctx,
        Actor::Victim(&row.id),
        crate::db::models::audit_actions::FEEDBACK_PAID_SERVICES_REPORTED,
        (kind, id),
        None,
        json!({ "intake_id": row.id, "expert_id": expert.as_ref().map(|e| &e.id) }),
    )?;
    paid_services_reported(conn, ctx, &row.id, expert.as_ref())
}

/// Alerts the moderators that a victim says the expert offered paid services (the expert's
/// company and the case id; never the victim). Unlike other alerts about a case it is not tagged
/// with the intake: it holds nothing about the victim, and erasure (which drops a case's unsent
/// emails and blanks the sent ones) must not swallow the report of a victim who gives feedback
/// and then erases the case.
pub fn paid_services_reported(
    conn: &mut DbConn,
    ctx: &Ctx<'_>,
    intake_id: &IntakeId,
    expert: Option<&ExpertRow>,
) -> Result<(), AppError> {
    let data = json!({
        "intake_id": intake_id,
        "expert_id": expert.map(|e| &e.id),
        "expert_company": expert.map(|e| &e.company_name),
        "moderator_url": ctx.settings.link(&review_path(expert)),
    });
    let recipients = crate::intakes::notify::moderator_recipients(conn, *ctx)?;
    let alert = crate::mail::alerts::Alert {
        template: "paid_services_reported",
        data: &data,
        intake_id: None,
    };
    crate::mail::alerts::raise(conn, ctx.mailer, &recipients, alert, ctx.now)
}

/// Where the moderator sees the reported expert's review card (with its paid-services figure):
/// the expert list on the expert's current tab, searched by its KvK number (eight digits, so the
/// search finds that expert alone and the link holds no free text). Without an expert, the intake
/// list.
fn review_path(expert: Option<&ExpertRow>) -> String {
    match expert {
        Some(e) => {
            let query = url::form_urlencoded::Serializer::new(String::new())
                .append_pair("status", e.status.as_str())
                .append_pair("q", &e.kvk_number)
                .finish();
            format!("moderator/experts?{query}")
        }
        None => "moderator/intakes".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bad_answer_is_named_under_its_prefix() {
        let input = AnswersInput {
            offline_backups: Some("yes".into()),
            mfa: Some("maybe".into()),
            incident_plan: None,
            auto_updates: Some(" unknown ".into()),
        };
        let Err(AppError::Validation(list)) = input.parse("resilience.") else {
            panic!("expected a 422");
        };
        let fields: Vec<&str> = list.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["resilience.incident_plan", "resilience.mfa"]);
        let ok = AnswersInput {
            mfa: Some("no".into()),
            incident_plan: Some("unknown".into()),
            ..input
        };
        let parsed = ok.parse("").expect("valid");
        assert_eq!(
            parsed.answers(),
            [Answer::Yes, Answer::No, Answer::Unknown, Answer::Unknown]
        );
    }
}
