//! Place suggestions for location fields.

use crate::helpers::{assert_problem, problem_fields, spawn_app};
use serde_json::Value;

#[tokio::test]
async fn suggestions_come_with_municipality_province_and_coordinates() {
    let app = spawn_app().await;
    let response = app.get("/api/v1/places?q=berg").await;
    assert_eq!(response.status(), 200);
    let places: Vec<Value> = response.json().await.unwrap();
    assert_eq!(places.len(), 10, "at most 10");
    let boz = places
        .iter()
        .find(|p| p["name"] == "Bergen op Zoom")
        .expect("Bergen op Zoom suggested");
    assert_eq!(boz["municipality"], "Bergen op Zoom");
    assert_eq!(boz["province"], "Noord-Brabant");
    assert!((boz["lat"].as_f64().unwrap() - 51.495).abs() < 0.001);
    assert!((boz["lon"].as_f64().unwrap() - 4.2917).abs() < 0.001);
}

#[tokio::test]
async fn short_forms_and_accents_find_the_place() {
    let app = spawn_app().await;
    let places: Vec<Value> = app
        .get("/api/v1/places?q=Den%20Bosch")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(places[0]["name"], "'s-Hertogenbosch");
    let places: Vec<Value> = app
        .get("/api/v1/places?q=s%C3%BAdwest")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(places[0]["province"], "Fryslân");
}

#[tokio::test]
async fn a_missing_query_is_a_422_on_q_and_nonsense_finds_nothing() {
    let app = spawn_app().await;
    let body = assert_problem(app.get("/api/v1/places").await, 422).await;
    assert_eq!(problem_fields(&body), ["q"]);
    let places: Vec<Value> = app
        .get("/api/v1/places?q=qqqzzz")
        .await
        .json()
        .await
        .unwrap();
    assert!(places.is_empty());
}
