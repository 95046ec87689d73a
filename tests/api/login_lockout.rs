//! Login that cannot be turned against the owner: a stranger's wrong guesses lock the stranger's
//! client, never the owner's own; guesses from many clients only slow the account down.
//! Different clients are real connections from different loopback addresses.

use std::net::{IpAddr, Ipv4Addr};

use crate::helpers::{MODERATOR_PASSWORD, TestApp, spawn_app};
use serde_json::json;

fn client_from(last_octet: u8) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(IpAddr::V4(Ipv4Addr::new(127, 0, 0, last_octet)))
        .build()
        .expect("client")
}

async fn try_login(app: &TestApp, client: &reqwest::Client, password: &str) -> reqwest::Response {
    client
        .post(app.url("/api/v1/sessions"))
        .json(&json!({ "email": "moderator@pvo.nl", "password": password }))
        .send()
        .await
        .expect("request sent")
}

#[tokio::test]
async fn fifty_wrong_guesses_from_a_stranger_leave_the_owner_able_to_log_in() {
    let app = spawn_app().await;
    app.create_moderator("moderator@pvo.nl", MODERATOR_PASSWORD)
        .await;
    let stranger = client_from(2);
    let mut refused = 0;
    for _ in 0..50 {
        let answer = try_login(&app, &stranger, "not the password at all").await;
        match answer.status().as_u16() {
            401 => {}
            429 => {
                assert!(answer.headers().contains_key("retry-after"));
                refused += 1;
            }
            other => panic!("unexpected {other}"),
        }
    }
    assert!(
        refused >= 40,
        "the stranger is locked out: {refused} of 50 refused"
    );
    // Even the right password does not help the stranger's client now...
    let locked = try_login(&app, &stranger, MODERATOR_PASSWORD).await;
    assert_eq!(locked.status(), 429);
    // ...but the owner, on their own connection, logs in at once.
    let owner = client_from(1);
    let mine = try_login(&app, &owner, MODERATOR_PASSWORD).await;
    assert_eq!(mine.status(), 201, "{:?}", mine.text().await);
}

#[tokio::test]
async fn guesses_from_many_clients_never_lock_the_owner_out() {
    let app = spawn_app().await;
    app.create_moderator("moderator@pvo.nl", MODERATOR_PASSWORD)
        .await;
    // Six clients, two guesses each: a lockout per address would have locked it after ten.
    // (From 20 failures on every attempt also takes longer: `domain::lockout::account_slowdown`.)
    for octet in 10..16 {
        let client = client_from(octet);
        for _ in 0..2 {
            let answer = try_login(&app, &client, "wrong password, again").await;
            assert_eq!(answer.status(), 401);
        }
    }
    let mine = try_login(&app, &client_from(1), MODERATOR_PASSWORD).await;
    assert_eq!(mine.status(), 201, "{:?}", mine.text().await);
}
