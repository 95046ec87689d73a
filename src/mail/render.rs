//! Two handlebars registries over `templates/email/`: HTML with escaping, text without.

use std::collections::BTreeSet;

use anyhow::{Context, bail};
use handlebars::Handlebars;
use serde_json::Value;

use crate::i18n::Lang;

/// A rendered email.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

pub struct Renderer {
    html: Handlebars<'static>,
    text: Handlebars<'static>,
    events: BTreeSet<String>,
}

const PARTS: [&str; 3] = ["subject", "txt", "html"];

/// The emails a victim reads: they exist in every [`Lang`]. Every other email goes to an expert
/// or a moderator and exists in the staff languages ([`Lang::STAFF`]).
pub const VICTIM_EVENTS: [&str; 5] = [
    "intake_received",
    "connected_victim",
    "matches_renewed",
    "feedback_invitation",
    "resilience_check",
];

impl Renderer {
    pub fn load() -> anyhow::Result<Self> {
        let mut html = Handlebars::new();
        html.set_strict_mode(true);
        let mut text = Handlebars::new();
        text.set_strict_mode(true);
        text.register_escape_fn(handlebars::no_escape);
        crate::templates::register_helpers(&mut html);
        crate::templates::register_helpers(&mut text);

        let mut events = BTreeSet::new();
        for (name, source) in crate::templates::under("email/") {
            let registry = if name.ends_with(".html") {
                &mut html
            } else {
                &mut text
            };
            registry
                .register_template_string(&name, source)
                .with_context(|| format!("email template {name} does not compile"))?;
            if !name.starts_with('_')
                && let Some(event) = name.split('.').next()
            {
                events.insert(event.to_owned());
            }
        }
        let renderer = Self { html, text, events };
        renderer.check_complete()?;
        Ok(renderer)
    }

    /// Every event has a subject, text and HTML part in every staff language, a victim's event
    /// in every language, and every language has a layout. No other language file may exist for
    /// an expert's event: it would never be sent.
    fn check_complete(&self) -> anyhow::Result<()> {
        for lang in Lang::ALL {
            for layout in ["txt", "html"] {
                let name = format!("_layout.{}.{layout}", lang.code());
                if !self.has(&name) {
                    bail!("email layout templates/email/{name}.hbs is missing");
                }
            }
            for event in &self.events {
                let needed = VICTIM_EVENTS.contains(&event.as_str()) || lang.staff() == lang;
                for part in PARTS {
                    let name = format!("{event}.{}.{part}", lang.code());
                    if needed && !self.has(&name) {
                        bail!("email template templates/email/{name}.hbs is missing");
                    }
                    if !needed && self.has(&name) {
                        bail!(
                            "email template templates/email/{name}.hbs is never sent: {event} \
                             goes to experts or moderators, who read {}",
                            Lang::STAFF.map(Lang::code).join(" and ")
                        );
                    }
                }
            }
        }
        Ok(())
    }

    fn has(&self, name: &str) -> bool {
        self.html.has_template(name) || self.text.has_template(name)
    }

    /// The events that have templates (`expert_verification`, …).
    pub fn events(&self) -> impl Iterator<Item = &str> {
        self.events.iter().map(String::as_str)
    }

    pub fn render(&self, event: &str, lang: Lang, data: &Value) -> anyhow::Result<Rendered> {
        if !self.events.contains(event) {
            bail!("no email template named {event}");
        }
        // An expert's or moderator's email is in their staff language (checked complete above).
        let lang = if VICTIM_EVENTS.contains(&event) {
            lang
        } else {
            lang.staff()
        };
        let code = lang.code();
        let name = |part: &str| format!("{event}.{code}.{part}");
        let subject = self
            .text
            .render(&name("subject"), data)
            .with_context(|| format!("rendering {}", name("subject")))?;
        let subject = subject.split_whitespace().collect::<Vec<_>>().join(" ");
        let text_body = self
            .text
            .render(&name("txt"), data)
            .with_context(|| format!("rendering {}", name("txt")))?;
        let html_body = self
            .html
            .render(&name("html"), data)
            .with_context(|| format!("rendering {}", name("html")))?;

        let wrap = |registry: &Handlebars<'static>, layout: &str, body: String| {
            let mut with_body = data.clone();
            if let Value::Object(map) = &mut with_body {
                map.insert("body".into(), Value::String(body));
                map.insert("subject".into(), Value::String(subject.clone()));
            }
            registry
                .render(&format!("_layout.{code}.{layout}"), &with_body)
                .with_context(|| format!("rendering the {layout} layout for {event}"))
        };
        Ok(Rendered {
            text: wrap(&self.text, "txt", text_body)?,
            html: wrap(&self.html, "html", html_body)?,
            subject,
        })
    }
}
