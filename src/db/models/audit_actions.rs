//! Every audit action code the platform writes, in one place: entries store the code, pages
//! put it into words (`audit_action.<code>` in each message catalogue). A test checks that
//! every code here has a label in every catalogue, and that no code is written as a literal
//! elsewhere.

pub const DEMO_SEEDED: &str = "demo.seeded";
pub const REQUEST_WITHDRAWN: &str = "request.withdrawn";
pub const REQUEST_SENT: &str = "request.sent";
pub const REQUEST_ACCEPTED: &str = "request.accepted";
pub const REQUEST_DECLINED: &str = "request.declined";
pub const REQUEST_COMPLETED: &str = "request.completed";
pub const REQUEST_EXPIRED: &str = "request.expired";
pub const REQUEST_CLOSED: &str = "request.closed";
pub const REFERRAL_OFFERED: &str = "referral.offered";
pub const INTAKE_UNMATCHED: &str = "intake.unmatched";
pub const INTAKE_FEEDBACK: &str = "intake.feedback";
pub const INTAKE_RESILIENCE_ANSWERED: &str = "intake.resilience_answered";
pub const INTAKE_CONNECTED: &str = "intake.connected";
/// The victim asked for the next matches instead of waiting for the pending requests to expire.
pub const INTAKE_ASKED_NEXT: &str = "intake.asked_next";
pub const INTAKE_STEP_MARKED: &str = "intake.step_marked";
pub const INTAKE_CLOSED: &str = "intake.closed";
pub const INTAKE_ERASED: &str = "intake.erased";
pub const INTAKE_PSEUDONYMISED: &str = "intake.pseudonymised";
pub const INTAKE_CREATED: &str = "intake.created";
pub const INTAKE_FEEDBACK_INVITED: &str = "intake.feedback_invited";
pub const INTAKE_RESILIENCE_INVITED: &str = "intake.resilience_invited";
pub const COMPLAINT_FILED: &str = "complaint.filed";
pub const COMPLAINT_HANDLED: &str = "complaint.handled";
pub const CODE_OF_CONDUCT_PUBLISHED: &str = "code_of_conduct.published";
pub const EXPERT_REGISTERED: &str = "expert.registered";
pub const EXPERT_REGISTRATION_LAPSED: &str = "expert.registration_lapsed";
pub const EXPERT_VERIFIED: &str = "expert.verified";
pub const EXPERT_APPROVED: &str = "expert.approved";
pub const EXPERT_REJECTED: &str = "expert.rejected";
pub const EXPERT_SUSPENDED: &str = "expert.suspended";
pub const EXPERT_REINSTATED: &str = "expert.reinstated";
pub const EXPERT_BACK_TO_REVIEW: &str = "expert.back_to_review";
pub const EXPERT_PAUSED: &str = "expert.paused";
pub const EXPERT_RESUMED: &str = "expert.resumed";
pub const EXPERT_CODE_OF_CONDUCT_ACCEPTED: &str = "expert.code_of_conduct_accepted";
pub const EXPERT_RESUBMITTED: &str = "expert.resubmitted";
pub const INTAKE_RESILIENCE_BASELINE: &str = "intake.resilience_baseline";
pub const FEEDBACK_PAID_SERVICES_REPORTED: &str = "feedback.paid_services_reported";

/// All of them, for the label check and the audit page's action filter.
pub const ALL: [&str; 38] = [
    INTAKE_ASKED_NEXT,
    DEMO_SEEDED,
    REQUEST_WITHDRAWN,
    REFERRAL_OFFERED,
    INTAKE_UNMATCHED,
    INTAKE_FEEDBACK,
    INTAKE_RESILIENCE_ANSWERED,
    COMPLAINT_FILED,
    REQUEST_SENT,
    REQUEST_ACCEPTED,
    INTAKE_CONNECTED,
    REQUEST_DECLINED,
    REQUEST_COMPLETED,
    REQUEST_EXPIRED,
    INTAKE_STEP_MARKED,
    REQUEST_CLOSED,
    INTAKE_CLOSED,
    INTAKE_ERASED,
    INTAKE_PSEUDONYMISED,
    CODE_OF_CONDUCT_PUBLISHED,
    INTAKE_CREATED,
    INTAKE_FEEDBACK_INVITED,
    INTAKE_RESILIENCE_INVITED,
    EXPERT_REGISTERED,
    EXPERT_REGISTRATION_LAPSED,
    EXPERT_VERIFIED,
    EXPERT_APPROVED,
    EXPERT_REJECTED,
    EXPERT_SUSPENDED,
    EXPERT_REINSTATED,
    EXPERT_BACK_TO_REVIEW,
    EXPERT_PAUSED,
    EXPERT_RESUMED,
    EXPERT_CODE_OF_CONDUCT_ACCEPTED,
    EXPERT_RESUBMITTED,
    COMPLAINT_HANDLED,
    INTAKE_RESILIENCE_BASELINE,
    FEEDBACK_PAID_SERVICES_REPORTED,
];

#[cfg(test)]
mod tests {
    use super::ALL;

    #[test]
    fn every_action_has_a_label_in_every_catalogue() {
        let catalogues = crate::i18n::Catalogues::shared().expect("catalogues");
        for lang in catalogues.all() {
            let missing: Vec<&str> = ALL
                .iter()
                .copied()
                .filter(|code| lang.get(&format!("audit_action.{code}")).is_none())
                .collect();
            assert!(
                missing.is_empty(),
                "{}.toml lacks labels for {missing:?}",
                lang.code
            );
        }
        let nl = catalogues.get("nl").expect("nl");
        assert_eq!(
            nl.get("audit_action.expert.approved"),
            Some("Expert goedgekeurd")
        );
        let en = catalogues.get("en").expect("en");
        assert_eq!(
            en.get("audit_action.expert.approved"),
            Some("Expert approved")
        );
    }

    #[test]
    fn codes_are_unique_and_not_written_out_elsewhere() {
        let unique: std::collections::BTreeSet<&str> = ALL.iter().copied().collect();
        assert_eq!(unique.len(), ALL.len());
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut stack = vec![root];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("src") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs")
                    && !path.ends_with("audit_actions.rs")
                {
                    let text = std::fs::read_to_string(&path).expect("source");
                    for code in ALL {
                        assert!(
                            !text.contains(&format!("\"{code}\"")),
                            "{} writes {code:?} instead of its constant",
                            path.display()
                        );
                    }
                }
            }
        }
    }
}
