//! The outbox: queueing emails, reading what was queued, one-click links in them.

use hackhelpdesk::{
    db::models::outbox::{self, OutboxMessage},
    i18n::Lang,
};
use serde_json::Value;

use super::TestApp;

impl TestApp {
    /// Queues `count` emails from `template` in one transaction, then wakes the mail worker.
    pub async fn enqueue_emails(
        &self,
        template: &str,
        lang: Lang,
        to: &[&str],
        data: Value,
    ) -> Vec<String> {
        let mailer = self.state.mailer.clone();
        let (template, now) = (template.to_owned(), self.clock.now());
        let to: Vec<_> = to
            .iter()
            .map(|t| hackhelpdesk::mail::parse_recipient(t).expect("one address"))
            .collect();
        let ids = self
            .state
            .db
            .run(move |conn| {
                hackhelpdesk::db::write_tx(conn, |conn| {
                    to.iter()
                        .map(|to| mailer.enqueue(conn, &template, lang, to, &data, now))
                        .collect::<Result<Vec<_>, _>>()
                })
            })
            .await
            .expect("queued");
        self.state.mailer.wake();
        ids
    }

    pub async fn outbox_row(&self, id: &str) -> OutboxMessage {
        let id = id.to_owned();
        self.state
            .db
            .run(move |conn| outbox::find(conn, &id))
            .await
            .expect("query")
            .expect("outbox row exists")
    }

    /// Waits (up to 20 s) until every row in `ids` satisfies `done`; returns the rows.
    pub async fn wait_for_outbox(
        &self,
        ids: &[String],
        done: impl Fn(&OutboxMessage) -> bool,
    ) -> Vec<OutboxMessage> {
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            let mut rows = Vec::new();
            for id in ids {
                rows.push(self.outbox_row(id).await);
            }
            if rows.iter().all(&done) {
                return rows;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "outbox rows did not reach the expected state: {rows:#?}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    /// The templates of the emails queued for `address`, oldest first.
    pub async fn emails_to(
        &self,
        address: &str,
    ) -> Vec<hackhelpdesk::db::models::outbox::OutboxMessage> {
        let address = address.to_owned();
        self.state
            .db
            .run(move |conn| hackhelpdesk::db::models::outbox::for_recipient(conn, &address))
            .await
            .expect("outbox readable")
    }

    /// The emails queued with `template`, oldest first.
    pub async fn emails_with(&self, template: &str) -> Vec<OutboxMessage> {
        use diesel::prelude::*;
        use hackhelpdesk::db::schema::outbox;
        let template = template.to_owned();
        self.state
            .db
            .run(move |conn| {
                Ok(outbox::table
                    .filter(outbox::template.eq(template))
                    .order((outbox::created_at.asc(), outbox::id.asc()))
                    .select(OutboxMessage::as_select())
                    .load(conn)?)
            })
            .await
            .expect("outbox readable")
    }
}

/// The token at the end of a one-click link (`…/feedback/<token>`) in an email's text.
pub fn link_token(mail: &OutboxMessage, path: &str) -> String {
    let marker = format!("/{path}/");
    let start = mail.text_body.find(&marker).expect("link in email") + marker.len();
    mail.text_body[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}
