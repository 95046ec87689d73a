//! The logs of a whole flow, from the real binary at the most talkative level of our own code,
//! in both formats, hold no secret and no personal data: no case, verification, one-click or
//! session token, no victim's name, email, phone or description, no expert's email. Guessed
//! tokens become one summary line, not a line each, and a malformed request is no ERROR.

use std::io::{Read, Write};
use std::time::Duration;

use reqwest::Client;
use serde_json::json;

use crate::helpers::{
    EXPERT_PASSWORD, MODERATOR_PASSWORD, TestDb, csrf_token, expert_body, intake_body, run_cli,
};
use crate::logs_support::{cookie_client, json_of, random_token, start, token_in_mail};

const GUESSES: usize = 40;
const DESCRIPTION: &str = "Onze kassa toont een losgeldbericht van de Zwarte Kraai groep.";

#[tokio::test]
async fn text_logs_of_a_whole_flow_hold_no_secrets() {
    flow_leaves_no_secrets_in_the_log("text").await;
}

#[tokio::test]
async fn json_logs_of_a_whole_flow_hold_no_secrets() {
    flow_leaves_no_secrets_in_the_log("json").await;
}

async fn flow_leaves_no_secrets_in_the_log(format: &str) {
    let db = TestDb::new();
    let moderator = run_cli(
        &["create-moderator", "moderator@pvo.nl"],
        &[("DATABASE_URL", db.url.as_str())],
        &db.dir(),
        MODERATOR_PASSWORD,
    )
    .await;
    assert_eq!(moderator.code, Some(0), "{}", moderator.stderr);
    let mut server = start(&db, format).await;
    let (base, api) = (server.base.clone(), Client::new());
    let url = |path: &str| format!("{base}{path}");
    let mail_dir = db.dir().join("mail");
    let mut secrets: Vec<(String, String)> = Vec::new();

    // An expert registers, confirms through the page link, and is approved.
    let expert = expert_body(1);
    let registered = api
        .post(url("/api/v1/experts"))
        .json(&expert)
        .send()
        .await
        .unwrap();
    let expert_id = json_of(registered, 201, "registration").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let verification = token_in_mail(&mail_dir, "token=").await;
    let verify_page = api
        .get(url(&format!("/experts/verify?token={verification}")))
        .send()
        .await
        .unwrap();
    assert_eq!(verify_page.status(), 200);
    let verified = api
        .post(url("/api/v1/experts/verify"))
        .json(&json!({ "token": verification }))
        .send()
        .await
        .unwrap();
    assert_eq!(verified.status(), 200);
    let login = |email: &'static str, password: &'static str| {
        api.post(url("/api/v1/sessions"))
            .json(&json!({ "email": email, "password": password }))
            .send()
    };
    let moderator = json_of(
        login("moderator@pvo.nl", MODERATOR_PASSWORD).await.unwrap(),
        201,
        "login",
    )
    .await["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let approved = api
        .post(url(&format!(
            "/api/v1/moderation/experts/{expert_id}/approve"
        )))
        .bearer_auth(&moderator)
        .send()
        .await
        .unwrap();
    assert_eq!(approved.status(), 200);

    // A victim asks for help and uses the case page.
    let mut intake = intake_body();
    intake["description"] = json!(DESCRIPTION);
    let created = api
        .post(url("/api/v1/intakes"))
        .json(&intake)
        .send()
        .await
        .unwrap();
    let created = json_of(created, 201, "intake").await;
    let (intake_id, case_token) = (
        created["id"].as_str().unwrap().to_owned(),
        created["access_token"].as_str().unwrap().to_owned(),
    );
    let victim = cookie_client();
    let case_path = format!("/case/{case_token}");
    let page = victim.get(url(&case_path)).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let csrf = csrf_token(&page.text().await.unwrap());
    let step = victim
        .post(url(&format!("{case_path}/steps/1")))
        .form(&[("csrf_token", csrf.as_str()), ("done", "true")])
        .send()
        .await
        .unwrap();
    assert_eq!(step.status(), 303, "step ticked");
    let asked = victim
        .post(url(&format!("{case_path}/ask")))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("expert_ids", expert_id.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(asked.status(), 303, "asked through the page");

    // Someone guesses tokens.
    let mut guesses = Vec::new();
    for n in 0..GUESSES {
        let guess = random_token(n);
        let path = match n % 4 {
            0 | 1 => format!("/case/{guess}"),
            2 => format!("/feedback/{guess}"),
            _ => format!("/resilience/{guess}"),
        };
        assert_eq!(api.get(url(&path)).send().await.unwrap().status(), 404);
        guesses.push(guess);
    }
    let bearer_guess = random_token(GUESSES);
    let by_bearer = api
        .get(url(&format!("/api/v1/intakes/{intake_id}")))
        .bearer_auth(&bearer_guess)
        .send()
        .await
        .unwrap();
    assert_eq!(by_bearer.status(), 404);
    let verify_guess = random_token(GUESSES + 1);
    let bad_verify = api
        .post(url("/api/v1/experts/verify"))
        .json(&json!({ "token": verify_guess }))
        .send()
        .await
        .unwrap();
    assert_eq!(bad_verify.status(), 422);
    guesses.extend([bearer_guess, verify_guess]);

    // The expert accepts; the victim closes and gives feedback through the email's link.
    let expert_session = json_of(
        login("info1@veilig-it.nl", EXPERT_PASSWORD).await.unwrap(),
        201,
        "login",
    )
    .await["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let requests = api
        .get(url("/api/v1/experts/me/requests"))
        .bearer_auth(&expert_session)
        .send()
        .await
        .unwrap();
    let requests = json_of(requests, 200, "requests").await;
    let request_id = requests
        .as_array()
        .or_else(|| requests["requests"].as_array())
        .and_then(|r| r.first())
        .and_then(|r| r["id"].as_str())
        .expect("one request")
        .to_owned();
    let accepted = api
        .post(url(&format!("/api/v1/requests/{request_id}/accept")))
        .bearer_auth(&expert_session)
        .send()
        .await
        .unwrap();
    assert_eq!(accepted.status(), 200, "accepted");
    let closed = api
        .post(url(&format!("/api/v1/intakes/{intake_id}/close")))
        .bearer_auth(&case_token)
        .json(&json!({ "outcome": "resolved" }))
        .send()
        .await
        .unwrap();
    assert_eq!(closed.status(), 200, "closed");
    let feedback_token = token_in_mail(&mail_dir, "/feedback/").await;
    let feedback_page = api
        .get(url(&format!("/feedback/{feedback_token}")))
        .send()
        .await
        .unwrap();
    assert_eq!(feedback_page.status(), 200);
    let feedback = api
        .post(url(&format!("/api/v1/intakes/{intake_id}/feedback")))
        .bearer_auth(&feedback_token)
        .json(&json!({ "helped": 5, "resolved": true, "more_resilient": true, "comment": DESCRIPTION }))
        .send()
        .await
        .unwrap();
    assert_eq!(feedback.status(), 201, "feedback");

    // A malformed request.
    let address = base.trim_start_matches("http://").to_owned();
    let answer = tokio::task::spawn_blocking(move || {
        let mut stream = std::net::TcpStream::connect(address).unwrap();
        stream
            .write_all(b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n")
            .unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let mut answer = String::new();
        let _ = stream.read_to_string(&mut answer);
        answer
    })
    .await
    .unwrap();
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");

    // Stop, and read everything the process wrote.
    let pid = server.child.id().unwrap().to_string();
    assert!(
        std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let status = tokio::time::timeout(Duration::from_secs(20), server.child.wait())
        .await
        .expect("stops in time")
        .unwrap();
    assert!(status.success(), "exit status {status:?}");
    let log = server.output.await.unwrap();

    secrets.extend([
        ("case token".into(), case_token),
        ("verification token".into(), verification),
        ("feedback token".into(), feedback_token),
        ("moderator session".into(), moderator),
        ("expert session".into(), expert_session),
        ("expert email".into(), "info1@veilig-it.nl".into()),
        ("expert phone".into(), "1234 5678".into()),
        ("victim name".into(), "Jan de Vries".into()),
        ("victim email".into(), "jan@bakkerij-devries.nl".into()),
        ("victim phone".into(), "8765 4321".into()),
        ("description".into(), "Zwarte Kraai".into()),
    ]);
    for (what, secret) in &secrets {
        assert!(
            !log.contains(secret.as_str()),
            "the log holds the {what}:\n{log}"
        );
    }
    for guess in &guesses {
        assert!(
            !log.contains(guess.as_str()),
            "the log holds a guessed token:\n{log}"
        );
    }
    // Enough was logged to be sure the flow was seen (and at the levels asked for).
    assert!(log.contains("email queued"), "{log}");
    assert!(
        log.contains("[redacted]"),
        "the requests are in the log, redacted:\n{log}"
    );

    let summaries: Vec<&str> = log.lines().filter(|l| l.contains("wrong case")).collect();
    assert_eq!(
        summaries.len(),
        1,
        "one summary line for {} guesses:\n{log}",
        guesses.len()
    );
    let summary = summaries[0];
    for expected in [
        field(format, "case", GUESSES / 2 + 1),
        field(format, "link", GUESSES / 2),
        field(format, "verification", 1),
    ] {
        assert!(summary.contains(&expected), "{expected} in {summary}");
    }
    let not_found_lines = log
        .lines()
        .filter(|l| l.contains("404") || l.contains("Not found"))
        .count();
    assert!(
        not_found_lines < GUESSES,
        "{not_found_lines} lines about 404s:\n{log}"
    );
    let errors: Vec<&str> = log
        .lines()
        .filter(|l| l.contains(" ERROR ") || l.contains("\"level\":\"ERROR\""))
        .collect();
    assert!(errors.is_empty(), "no ERROR lines: {errors:?}");
    assert!(
        log.lines()
            .any(|l| l.contains("malformed HTTP requests") && l.contains("WARN")),
        "the malformed request is summarised at WARN:\n{log}"
    );
}

fn field(format: &str, name: &str, value: usize) -> String {
    if format == "json" {
        format!("\"{name}\":{value}")
    } else {
        format!("{name}={value}")
    }
}
