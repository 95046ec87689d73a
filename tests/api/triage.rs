//! Triage: yes/no questions that lead a victim to the right first-aid plan.

use std::collections::{BTreeMap, BTreeSet};

use crate::helpers::{assert_problem, problem_fields, spawn_app};
use hackhelpdesk::domain::IncidentType;
use serde_json::{Value, json};

/// Every leaf of the served tree: the answers leading there and the suggested code.
fn leaves(tree: &Value) -> Vec<(BTreeMap<String, String>, String)> {
    let questions: BTreeMap<&str, &Value> = tree["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| (q["id"].as_str().unwrap(), q))
        .collect();
    let mut found = Vec::new();
    let mut todo = vec![(tree["start"].as_str().unwrap(), BTreeMap::new())];
    while let Some((id, answers)) = todo.pop() {
        assert!(answers.len() <= questions.len(), "the tree loops at {id}");
        for answer in ["yes", "no"] {
            let mut answers = answers.clone();
            answers.insert(id.to_owned(), answer.to_owned());
            let outcome = &questions[id][answer];
            match (outcome["next"].as_str(), outcome["incident_type"].as_str()) {
                (Some(next), None) => todo.push((next, answers)),
                (None, Some(code)) => found.push((answers, code.to_owned())),
                _ => panic!("answer {answer} to {id} leads nowhere: {outcome}"),
            }
        }
    }
    found
}

#[tokio::test]
async fn every_leaf_of_the_tree_suggests_its_incident_type_and_plan() {
    let app = spawn_app().await;
    let tree: Value = app
        .get("/api/v1/triage?lang=en")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(tree["lang"], "en");
    let leaves = leaves(&tree);
    let mut reached = BTreeSet::new();
    for (answers, code) in &leaves {
        let response = app.post_triage("?lang=en", &json!(answers)).await;
        assert_eq!(response.status(), 200, "{answers:?}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["incident_type"], code.as_str(), "{answers:?}");
        assert_eq!(body["path"].as_array().unwrap().len(), answers.len());
        let plan: Value = app
            .get(body["steps_url"].as_str().unwrap())
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(plan["steps"], body["steps"]);
        reached.insert(code.clone());
    }
    let all: BTreeSet<String> = IncidentType::ALL
        .iter()
        .map(|t| t.as_str().to_owned())
        .collect();
    assert_eq!(reached, all, "every incident type can be reached");
}

#[tokio::test]
async fn a_victim_who_sees_a_ransom_note_lands_on_the_ransomware_plan_in_dutch() {
    let app = spawn_app().await;
    let tree: Value = app.get("/api/v1/triage").await.json().await.unwrap();
    assert_eq!(tree["start"], "ransom_note");
    assert!(
        tree["questions"][0]["text"]
            .as_str()
            .unwrap()
            .contains("betalen")
    );
    // Answers off the path are ignored: a chatbot may send all it asked.
    let response = app
        .post_triage("", &json!({"ransom_note": "yes", "threat": "no"}))
        .await;
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["incident_type"], "ransomware");
    assert_eq!(body["name"], "Ransomware");
    assert_eq!(body["steps"][0]["title"], "Zet de computer niet uit");
    assert_eq!(
        body["path"],
        json!([{"question": "ransom_note", "text": tree["questions"][0]["text"], "answer": "yes"}])
    );
}

#[tokio::test]
async fn incomplete_answers_name_the_next_question() {
    let app = spawn_app().await;
    let body = assert_problem(app.post_triage("", &json!({})).await, 422).await;
    assert_eq!(problem_fields(&body), ["answers.ransom_note"]);
    let response = app
        .post_triage(
            "?lang=en",
            &json!({"ransom_note": "no", "changed_bank_account": "no"}),
        )
        .await;
    let body = assert_problem(response, 422).await;
    assert_eq!(problem_fields(&body), ["answers.fake_helpdesk"]);
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("Microsoft")
    );
}

#[tokio::test]
async fn unknown_questions_and_answers_other_than_yes_or_no_are_422() {
    let app = spawn_app().await;
    let response = app
        .post_triage("", &json!({"ransom_note": "no", "bogus": "yes"}))
        .await;
    let body = assert_problem(response, 422).await;
    assert_eq!(problem_fields(&body), ["answers.bogus"]);
    let response = app.post_triage("", &json!({"ransom_note": "maybe"})).await;
    let body = assert_problem(response, 422).await;
    assert_eq!(problem_fields(&body), ["answers.ransom_note"]);
    let response = app.post_json("/api/v1/triage", &json!({})).await;
    let body = assert_problem(response, 422).await;
    assert_eq!(problem_fields(&body), ["answers"]);
}
