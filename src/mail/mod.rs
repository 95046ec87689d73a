//! Email: the only module that knows lettre and the email templates.
//!
//! Code that changes state calls [`Mailer::enqueue`] inside its transaction; the message is
//! rendered right away (a template error fails the change, not a send hours later) and stored in
//! the outbox, from which the worker delivers it.
//!
//! Templates live in `templates/email/` as `<event>.<lang>.subject.hbs`, `<event>.<lang>.txt.hbs`
//! and `<event>.<lang>.html.hbs` for every language in [`Lang::ALL`]; the layout
//! (`_layout.<lang>.txt.hbs` / `.html.hbs`) wraps each body and ends with the referral disclaimer,
//! so no email can go out without it. HTML is escaped (`{{ }}`), plain text and subjects are not;
//! both registries run in strict mode, so a missing variable is an error.
//!
//! Delivery: [`worker::Worker`] (started by `serve`) sends due outbox rows through a
//! [`transport::Transport`] (SMTP or `.eml` files). Call [`Mailer::wake`] after the transaction
//! that queued mail has committed, so it goes out at once instead of at the next poll.

pub mod alerts;
mod message;
mod render;
pub mod transport;
pub mod worker;

use std::sync::Arc;

use chrono::NaiveDateTime;
use lettre::message::Mailbox;
use serde_json::{Value, json};
use tokio::sync::Notify;

use crate::config::Settings;
use crate::db::{DbConn, models::outbox::OutboxMessage};
use crate::domain::{Email, IntakeId};
use crate::error::AppError;
use crate::i18n::Lang;
pub use message::{message_id, parse_recipient};
pub use render::{Rendered, Renderer, VICTIM_EVENTS};
use transport::Transport;

pub struct Mailer {
    renderer: Renderer,
    from: Mailbox,
    public_url: String,
    wake: Arc<Notify>,
}

impl Mailer {
    /// Loads and checks every template; an incomplete or broken set stops the start.
    pub fn new(settings: &Settings) -> anyhow::Result<Self> {
        Ok(Self {
            renderer: Renderer::load()?,
            from: settings.mail_from.clone(),
            public_url: settings
                .public_url
                .as_str()
                .trim_end_matches('/')
                .to_owned(),
            wake: Arc::new(Notify::new()),
        })
    }

    /// Tells this process's mail worker that new mail is waiting. The HTTP layer calls it after
    /// every mutating request; background jobs call it after the transaction that queued mail.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    pub(crate) fn wakeup(&self) -> Arc<Notify> {
        self.wake.clone()
    }

    pub fn from(&self) -> &Mailbox {
        &self.from
    }

    pub fn renderer(&self) -> &Renderer {
        &self.renderer
    }

    /// A recipient with an optional display name; control characters are dropped from the name.
    pub fn recipient(name: Option<&str>, email: &Email) -> Mailbox {
        let name = name
            .map(|n| n.chars().filter(|c| !c.is_control()).collect::<String>())
            .map(|n| n.trim().to_owned())
            .filter(|n| !n.is_empty());
        let address = email
            .as_str()
            .parse()
            .expect("an Email is always a valid address");
        Mailbox::new(name, address)
    }

    /// Renders `template` in `lang` with `data` (plus `public_url` and `lang`) and stores it in
    /// the outbox, due now. Call it inside the transaction of the change that causes the email.
    pub fn enqueue(
        &self,
        conn: &mut DbConn,
        template: &str,
        lang: Lang,
        to: &Mailbox,
        data: &Value,
        now: NaiveDateTime,
    ) -> Result<String, AppError> {
        let message = self.prepare(template, lang, to, data, now)?;
        Self::store(conn, &message, None)?;
        Ok(message.id)
    }

    /// Renders an email into its outbox row without storing it: render before a write
    /// transaction, then [`Mailer::store`] it inside, so the templates never run under the lock.
    pub fn prepare(
        &self,
        template: &str,
        lang: Lang,
        to: &Mailbox,
        data: &Value,
        now: NaiveDateTime,
    ) -> Result<OutboxMessage, AppError> {
        let rendered = self.render(template, lang, data)?;
        Ok(OutboxMessage {
            id: crate::db::new_id(),
            template: template.to_owned(),
            lang: lang.code().to_owned(),
            recipient: to.to_string(),
            subject: rendered.subject,
            text_body: rendered.text,
            html_body: rendered.html,
            created_at: now,
            next_attempt_at: now,
            attempts: 0,
            last_error: None,
            claimed_until: None,
            claimed_by: None,
            sent_at: None,
            gave_up_at: None,
            recipient_hash: Some(crate::db::models::outbox::recipient_hash(to.email.as_ref())),
        })
    }

    /// Queues a prepared email, tagged with the intake it is about (erasure finds it by that).
    pub fn store(
        conn: &mut DbConn,
        message: &OutboxMessage,
        intake_id: Option<&IntakeId>,
    ) -> Result<(), AppError> {
        crate::db::models::outbox::insert(conn, message, intake_id)?;
        tracing::info!(template = %message.template, lang = %message.lang, outbox_id = %message.id, "email queued");
        Ok(())
    }

    /// Renders without storing (previews and template tests).
    pub fn render(&self, template: &str, lang: Lang, data: &Value) -> Result<Rendered, AppError> {
        let mut data = data.clone();
        if let Value::Object(map) = &mut data {
            map.entry("public_url")
                .or_insert_with(|| Value::String(self.public_url.clone()));
            map.insert("lang".into(), Value::String(lang.code().into()));
        } else {
            return Err(AppError::internal(format!(
                "email data for {template} is not an object"
            )));
        }
        self.renderer
            .render(template, lang, &data)
            .map_err(AppError::Internal)
    }
}

/// Sends the `test_email` to `to` right away (not through the outbox), for an operator checking
/// the mail settings; returns a line saying where it went, or the transport's error.
pub async fn send_test_email(settings: &Settings, to: &str, lang: Lang) -> anyhow::Result<String> {
    let to = parse_recipient(to.trim()).map_err(|e| anyhow::anyhow!("{e}"))?;
    let mailer = Mailer::new(settings)?;
    let transport = Transport::from_settings(settings)?;
    let rendered = mailer.render(
        "test_email",
        lang,
        &json!({ "transport": transport.describe() }),
    )?;
    let now = crate::db::now();
    let row = OutboxMessage {
        id: crate::db::new_id(),
        template: "test_email".into(),
        lang: lang.code().into(),
        recipient: to.to_string(),
        subject: rendered.subject,
        text_body: rendered.text,
        html_body: rendered.html,
        created_at: now,
        next_attempt_at: now,
        attempts: 0,
        last_error: None,
        claimed_until: None,
        claimed_by: None,
        sent_at: None,
        gave_up_at: None,
        recipient_hash: None,
    };
    let host = settings.public_url.host_str().unwrap_or("localhost");
    let email = message::build(&row, &mailer.from, host).map_err(|e| anyhow::anyhow!("{e}"))?;
    let sent = transport
        .send(&email, &row.id, settings.mail_send_timeout)
        .await;
    transport.shutdown().await;
    sent.map_err(|e| {
        anyhow::anyhow!(
            "the test email to {to} was not sent through {}: {e}",
            transport.describe()
        )
    })?;
    Ok(match &transport {
        Transport::Files { dir } => format!(
            "the test email to {to} was written to {}",
            transport::eml_path(dir, &row.id).display()
        ),
        Transport::Smtp { .. } => format!(
            "the test email to {to} was accepted by the {}",
            transport.describe()
        ),
    })
}
