//! Data-subject exports: `GET /api/v1/intakes/{id}/export` (case token) and
//! `GET /api/v1/experts/me/export` (expert session) hold exactly their subject's data, refuse
//! everyone else, and still work (without personal data) for an erased intake. The page routes
//! are in `exports_pages.rs`.

use serde_json::{Value, json};

use crate::connect::{VICTIM_IDENTITY, number_of};
use crate::exports_support::{OTHER_IDENTITY, download, two_cases};
use crate::helpers::{case_of, intake_body};

fn assert_absent(text: &str, parts: &[&str]) {
    for part in parts {
        assert!(!text.contains(part), "the export holds {part:?}");
    }
}

fn templates(export: &Value) -> Vec<&str> {
    export["emails"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["template"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn the_victim_export_holds_its_own_case_and_nobody_elses() {
    let app = crate::helpers::spawn_app().await;
    let cases = two_cases(&app).await;
    let (id, token) = case_of(&cases.a);
    let (b_id, b_token) = case_of(&cases.b);
    let (export, text) = download(&app, &format!("/api/v1/intakes/{id}/export"), token).await;

    assert_eq!(export["subject"], json!({ "kind": "intake", "id": id }));
    assert!(export["exported_at"].is_string());
    let case = &export["case"];
    assert_eq!(case["contact"]["name"], "Jan de Vries");
    assert_eq!(case["status"], "closed");
    assert_eq!(case["outcome"], "resolved");
    assert_eq!(case["steps_done"], json!([1]));
    let matches = case["matches"].as_array().unwrap();
    assert_eq!(matches.len(), 3);
    assert!(
        matches
            .iter()
            .all(|m| !m["reasons"].as_array().unwrap().is_empty())
    );
    let statuses: Vec<&str> = case["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses.len(), 2);
    assert!(statuses.contains(&"withdrawn"), "{statuses:?}");
    let connected = number_of(&app, &cases.ids[0]).await;
    assert_eq!(
        case["expert"]["email"],
        format!("info{connected}@veilig-it.nl")
    );
    assert_eq!(export["feedback"]["helped"], 4);
    assert_eq!(export["feedback"]["comment"], "Fijne hulp, dank");
    assert_eq!(export["complaints"][0]["expert_id"], cases.ids[0].as_str());
    let templates = templates(&export);
    assert!(templates.contains(&"intake_received"), "{templates:?}");
    assert!(export["emails"].as_array().unwrap().iter().all(|m| {
        m["recipient"]
            .as_str()
            .unwrap()
            .contains("jan@bakkerij-devries.nl")
    }));
    let received = &export["emails"][0];
    assert!(
        received["text_body"]
            .as_str()
            .unwrap()
            .contains("Jan de Vries")
    );
    assert!(
        received["text_body"]
            .as_str()
            .unwrap()
            .contains("[token removed]")
    );

    // Nobody else: not the other victim, not the experts it was not connected to, no secrets.
    assert_absent(&text, &OTHER_IDENTITY);
    assert_absent(
        &text,
        &[b_id, b_token, token, "password", "$argon2", "hash"],
    );
    for other in &cases.ids[1..] {
        let n = number_of(&app, other).await;
        assert_absent(
            &text,
            &[&format!("info{n}@"), &format!("{:08}", 12_340_000 + n)],
        );
    }
}

#[tokio::test]
async fn the_victim_export_refuses_every_other_token() {
    let app = crate::helpers::spawn_app().await;
    let cases = two_cases(&app).await;
    let (id, _) = case_of(&cases.a);
    let (_, b_token) = case_of(&cases.b);
    let path = format!("/api/v1/intakes/{id}/export");
    assert_eq!(app.get_auth(&path, b_token).await.status(), 404);
    assert_eq!(app.get(&path).await.status(), 401);
    assert_eq!(app.get_auth(&path, &cases.tokens[0]).await.status(), 404);
    let moderator = app
        .token_for("moderator@pvo.nl", crate::helpers::MODERATOR_PASSWORD)
        .await;
    assert_eq!(app.get_auth(&path, &moderator).await.status(), 404);
}

#[tokio::test]
async fn the_expert_export_holds_its_own_record_and_no_other_victim_or_expert() {
    let app = crate::helpers::spawn_app().await;
    let cases = two_cases(&app).await;
    let me = &cases.ids[0];
    let n = number_of(&app, me).await;
    let path = "/api/v1/experts/me/export";
    let (export, text) = download(&app, path, &cases.tokens[0]).await;

    assert_eq!(export["subject"], json!({ "kind": "expert", "id": me }));
    assert_eq!(export["profile"]["email"], format!("info{n}@veilig-it.nl"));
    assert_eq!(
        export["profile"]["kvk_number"],
        format!("{:08}", 12_340_000 + n)
    );
    let mut codes: Vec<&str> = export["expertise"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    codes.sort_unstable();
    assert_eq!(codes, ["phishing", "ransomware"]);
    let requests = export["requests"].as_array().unwrap();
    assert_eq!(requests.len(), 2);
    let (a_id, _) = case_of(&cases.a);
    let (b_id, _) = case_of(&cases.b);
    let to_a = requests.iter().find(|r| r["intake_id"] == a_id).unwrap();
    let to_b = requests.iter().find(|r| r["intake_id"] == b_id).unwrap();
    assert_eq!(to_a["victim"]["name"], "Jan de Vries");
    assert_eq!(to_b["status"], "withdrawn");
    assert!(to_b["victim"].is_null());
    let complaint = &export["complaints"][0];
    assert_eq!(complaint["reason"], "Kwam twee keer te laat op de afspraak");
    assert_eq!(complaint["status"], "open");
    let actions: Vec<&str> = export["audit"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for action in [
        "expert.registered",
        "expert.verified",
        "expert.approved",
        "request.accepted",
    ] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }
    let approved = export["audit"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "expert.approved")
        .unwrap();
    assert_eq!(approved["actor_kind"], "moderator");
    assert!(approved["actor_id"].is_null(), "no moderator's id");

    // Not the victim it was not connected to, not the other experts, no secrets.
    assert_absent(&text, &OTHER_IDENTITY[..4]);
    assert_absent(&text, &["password", "$argon2", "hash", "token"]);
    for other in &cases.ids[1..] {
        let m = number_of(&app, other).await;
        assert_absent(
            &text,
            &[other, &format!("info{m}@"), &format!("Veilig IT {m} B.V.")],
        );
    }
    // The other expert's export has victim B, never victim A.
    let (_, other_text) = download(&app, path, &cases.tokens[1]).await;
    assert!(other_text.contains("Piet Jansen"));
    assert_absent(&other_text, &VICTIM_IDENTITY);
}

#[tokio::test]
async fn the_expert_export_is_for_experts_only() {
    let app = crate::helpers::spawn_app().await;
    let moderator = app.moderator_token().await;
    let path = "/api/v1/experts/me/export";
    assert_eq!(app.get_auth(path, &moderator).await.status(), 403);
    assert_eq!(app.get(path).await.status(), 401);
    let created = app.intake(&intake_body()).await;
    let (_, case_token) = case_of(&created);
    assert_eq!(app.get_auth(path, case_token).await.status(), 401);
}

#[tokio::test]
async fn an_erased_intake_still_exports_its_erased_state_without_personal_data() {
    let app = crate::helpers::spawn_app_driven(&[]).await;
    let cases = two_cases(&app).await;
    let (id, token) = case_of(&cases.a);
    // Send the intake email first: erasure keeps sent mail, blanked.
    let received: Vec<String> = app
        .emails_with("intake_received")
        .await
        .into_iter()
        .filter(|m| m.recipient.contains("jan@bakkerij-devries.nl"))
        .map(|m| m.id)
        .collect();
    app.deliver_all(&received).await;
    let erased = app
        .delete_auth(&format!("/api/v1/intakes/{id}"), token)
        .await;
    assert_eq!(erased.status(), 204);
    let (export, text) = download(&app, &format!("/api/v1/intakes/{id}/export"), token).await;
    assert_eq!(export["case"]["status"], "erased");
    assert!(export["erased_at"].is_string());
    assert!(export["case"]["contact"]["email"].is_null());
    assert!(export["case"]["description"].is_null());
    assert!(export["feedback"]["comment"].is_null());
    assert_eq!(export["feedback"]["helped"], 4);
    assert!(export["complaints"][0]["reason"].is_null());
    assert!(templates(&export).contains(&"intake_received"));
    assert!(
        export["emails"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["recipient"] == "erased")
    );
    assert_absent(&text, &VICTIM_IDENTITY);
    assert_absent(
        &text,
        &["Fijne hulp", "Kwam twee keer", "versleuteld en er staat"],
    );
    // The expert's export no longer shows the erased victim either.
    let (_, expert_text) = download(&app, "/api/v1/experts/me/export", &cases.tokens[0]).await;
    assert_absent(&expert_text, &VICTIM_IDENTITY);
    assert_absent(&expert_text, &["Kwam twee keer"]);
}
