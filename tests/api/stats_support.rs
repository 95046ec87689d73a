//! The known history the statistics tests count: six intakes over two ISO weeks (2027-W09 and
//! W10) and two provinces (Noord-Brabant and Zeeland), one just before the period in Amsterdam
//! time, with acceptances at known minutes, a decline, an expiry, an unmatched intake, feedback,
//! resilience answers and a complaint. The clock is set to fixed moments, so weeks and minutes
//! are exact.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use crate::connect::number_of;
use crate::helpers::{MODERATOR_PASSWORD, TestApp, expert_body, intake_body, spawn_app_with};

pub struct History {
    pub app: TestApp,
    pub moderator: String,
    pub experts: Vec<String>,
    /// I1..I5 in the period (I0, before it, is not here).
    pub intakes: Vec<Value>,
    /// Per expert: (offered, first placed) over the period's intakes, as their answers showed.
    pub offers: HashMap<String, (u64, u64)>,
    /// Per expert: (requested, connected, declined, expired).
    pub answers: HashMap<String, [u64; 4]>,
    /// The expert of I1, whose victim said it offered paid services.
    pub paid_expert: String,
}

/// Moves the manual clock to `at` (RFC 3339).
pub fn set_clock(app: &TestApp, at: &str) {
    let target: DateTime<Utc> = at.parse().expect("RFC 3339");
    app.clock.advance(target - app.clock.now_utc());
}

fn intake(kind: &str, urgency: &str, place: &str, n: u32) -> Value {
    intake_with(kind, urgency, place, n, None)
}

/// An intake, with the optional resilience baseline (the four answers in order).
fn intake_with(
    kind: &str,
    urgency: &str,
    place: &str,
    n: u32,
    baseline: Option<[&str; 4]>,
) -> Value {
    let mut body = intake_body();
    if let Some(a) = baseline {
        body["resilience"] = json!({
            "offline_backups": a[0], "mfa": a[1], "incident_plan": a[2], "auto_updates": a[3],
        });
    }
    body["incident_type"] = json!(kind);
    body["urgency"] = json!(urgency);
    body["location"] = json!({ "place": place });
    body["contact"]["email"] = json!(format!("ondernemer{n}@example.nl"));
    body
}

impl History {
    fn offered(&mut self, matches: &[String]) {
        for (i, id) in matches.iter().enumerate() {
            let entry = self.offers.entry(id.clone()).or_default();
            entry.0 += 1;
            entry.1 += u64::from(i == 0);
        }
    }

    fn answered(&mut self, expert: &str, slot: usize) {
        let entry = self.answers.entry(expert.to_owned()).or_default();
        entry[0] += 1;
        if slot > 0 {
            entry[slot] += 1;
        }
    }

    async fn token(&self, expert: &str) -> String {
        self.app
            .expert_token(number_of(&self.app, expert).await)
            .await
    }

    /// Asks `expert` and lets it answer `action` (accept / decline) now.
    async fn ask_and(&mut self, created: &Value, expert: &str, action: &str) {
        let request = self.app.ask_ok(created, &[expert]).await.remove(0);
        let token = self.token(expert).await;
        let answered = self.app.respond(&request, action, &token, &json!({})).await;
        assert_eq!(answered.status(), 200, "{action}");
        self.answered(expert, if action == "accept" { 1 } else { 2 });
    }

    /// The 90-day check with the four questions, through the case token.
    async fn after_90_days(&self, created: &Value, a: [&str; 4]) {
        let body = json!({
            "offline_backups": a[0], "mfa": a[1], "incident_plan": a[2], "auto_updates": a[3],
            "reported_to_police": true,
        });
        let answered = self.app.victim_post(created, "resilience", &body).await;
        assert_eq!(answered.status(), 201, "{:?}", answered.text().await);
    }

    async fn feedback(&self, created: &Value, helped: u8, resolved: bool, paid: bool) {
        let body = json!({
            "helped": helped, "resolved": resolved, "more_resilient": true,
            "offered_paid_services": paid,
        });
        let given = self.app.victim_post(created, "feedback", &body).await;
        assert_eq!(given.status(), 201, "{:?}", given.text().await);
    }
}

/// Builds the history; the clock ends on Monday 2027-03-08 09:10 UTC.
pub async fn history() -> History {
    let app = spawn_app_with(&[("RATE_LIMITS", "off")]).await;
    set_clock(&app, "2027-02-28T09:00:00Z");
    let moderator = app.moderator_token().await;
    let mut experts = Vec::new();
    for n in 1..=3 {
        experts.push(app.approved_expert(&moderator, &expert_body(n)).await);
    }
    let mut h = History {
        app,
        moderator,
        experts,
        intakes: Vec::new(),
        offers: HashMap::new(),
        answers: HashMap::new(),
        paid_expert: String::new(),
    };
    // I0: Sunday 28 February 23:30 in Amsterdam, the evening before the period.
    set_clock(&h.app, "2027-02-28T22:30:00Z");
    h.app
        .intake(&intake("ransomware", "acute", "Bergen op Zoom", 0))
        .await;

    // Week 9. I1: acute ransomware in Bergen op Zoom, accepted after 30 minutes.
    set_clock(&h.app, "2027-03-01T09:00:00Z");
    let baseline = Some(["yes", "no", "no", "unknown"]);
    let i1 = h
        .app
        .intake(&intake_with(
            "ransomware",
            "acute",
            "Bergen op Zoom",
            1,
            baseline,
        ))
        .await;
    let i1_first = TestApp::match_ids(&i1)[0].clone();
    let i1_request = h.app.ask_ok(&i1, &[&i1_first]).await.remove(0);

    // I2: recent phishing in Goes; the first declines, the next accepts 90 minutes in.
    h.app.clock.advance(Duration::minutes(10));
    let baseline = Some(["no", "no", "no", "no"]);
    let i2 = h
        .app
        .intake(&intake_with("phishing", "recent", "Goes", 2, baseline))
        .await;
    h.ask_and(&i2, &TestApp::match_ids(&i2)[0].clone(), "decline")
        .await;
    let i2_renewed = TestApp::match_ids(&h.app.case(&i2).await);
    let i2_second = i2_renewed[0].clone();
    let i2_request = h.app.ask_ok(&i2, &[&i2_second]).await.remove(0);

    h.app.clock.advance(Duration::minutes(20));
    let token = h.token(&i1_first).await;
    assert_eq!(
        h.app
            .respond(&i1_request, "accept", &token, &json!({}))
            .await
            .status(),
        200
    );
    h.answered(&i1_first, 1);

    // I3: acute ransomware in Goes; the request expires after two hours.
    let i3 = h
        .app
        .intake(&intake("ransomware", "acute", "Goes", 3))
        .await;
    let i3_first = TestApp::match_ids(&i3)[0].clone();
    h.app.ask_ok(&i3, &[&i3_first]).await;
    h.answered(&i3_first, 0);

    h.app.clock.advance(Duration::minutes(70));
    let token = h.token(&i2_second).await;
    assert_eq!(
        h.app
            .respond(&i2_request, "accept", &token, &json!({}))
            .await
            .status(),
        200
    );
    h.answered(&i2_second, 1);

    h.app.clock.advance(Duration::minutes(60));
    assert_eq!(h.app.run_lifecycle().await.expired, 1);
    h.answers.get_mut(&i3_first).unwrap()[3] += 1;
    let i3_renewed = TestApp::match_ids(&h.app.case(&i3).await);

    for (created, outcome) in [(&i1, "resolved"), (&i2, "unresolved")] {
        let closed = h
            .app
            .victim_post(created, "close", &json!({ "outcome": outcome }))
            .await;
        assert_eq!(closed.status(), 200);
    }
    h.feedback(&i1, 5, true, true).await;
    h.feedback(&i2, 2, false, false).await;
    h.after_90_days(&i1, ["yes", "yes", "no", "yes"]).await;
    let reason =
        json!({ "expert_id": i1_first, "reason": "Wilde eerst een duur contract verkopen" });
    assert_eq!(
        h.app.victim_post(&i1, "complaints", &reason).await.status(),
        201
    );

    // Week 10. I4: acute ransomware in Bergen op Zoom, accepted after 10 minutes. I5: malware,
    // which none of the experts handles: unmatched.
    set_clock(&h.app, "2027-03-08T09:00:00Z");
    let i4 = h
        .app
        .intake(&intake("ransomware", "acute", "Bergen op Zoom", 4))
        .await;
    let i4_first = TestApp::match_ids(&i4)[0].clone();
    let i4_request = h.app.ask_ok(&i4, &[&i4_first]).await.remove(0);
    let i5 = h
        .app
        .intake(&intake("malware", "past", "Bergen op Zoom", 5))
        .await;
    assert_eq!(i5["status"], "unmatched");
    h.app.clock.advance(Duration::minutes(10));
    let token = h.token(&i4_first).await;
    assert_eq!(
        h.app
            .respond(&i4_request, "accept", &token, &json!({}))
            .await
            .status(),
        200
    );
    h.answered(&i4_first, 1);

    for matches in [
        TestApp::match_ids(&i1),
        i2_renewed,
        i3_renewed,
        TestApp::match_ids(&i4),
    ] {
        h.offered(&matches);
    }
    h.intakes = vec![i1, i2, i3, i4, i5];
    h.paid_expert = i1_first;
    // Sessions end; log in again at the end of the history.
    h.moderator = h
        .app
        .token_for("moderator@pvo.nl", MODERATOR_PASSWORD)
        .await;
    h
}
