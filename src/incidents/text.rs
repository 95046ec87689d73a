//! The texts of the first-aid catalogue, one file per language under `templates/incidents/text/`
//! (`nl.toml`, `en.toml`, `tr.toml`, `pl.toml`, `ar.toml`), so a translator works in one file:
//! the incident types' names, descriptions and step plans, the triage questions and the referral
//! policy. Each file has a `[meta] reviewed` mark (shown to moderators) and must hold exactly the
//! keys the structure files name: a missing or a stray text stops the start with the file and key.

use std::collections::BTreeMap;

use anyhow::{Context, bail};
use serde::Deserialize;

use super::{FOLDER, LocalizedInfo};
use crate::i18n::{Lang, PerLang};

/// The folder of the language files below [`FOLDER`].
pub const TEXT_FOLDER: &str = "text/";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    /// Whether a native speaker reviewed this language's texts.
    pub reviewed: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FactorText {
    pub name: String,
    pub explanation: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleText {
    pub title: String,
    pub text: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyText {
    pub title: String,
    pub summary: String,
    pub factors: BTreeMap<String, FactorText>,
    pub rules: BTreeMap<String, RuleText>,
}

/// One language file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LangTexts {
    pub meta: Meta,
    pub policy: PolicyText,
    /// Question id → the question.
    pub triage: BTreeMap<String, String>,
    /// Incident type code → its texts.
    pub incident: BTreeMap<String, LocalizedInfo>,
}

/// Every language's file, complete: one per [`Lang`], no other.
#[derive(Debug)]
pub struct Texts(PerLang<LangTexts>);

impl Texts {
    /// The language files among the catalogue's (file name, TOML text) pairs.
    pub fn from_files(files: &[(String, String)]) -> anyhow::Result<Self> {
        for (name, _) in files {
            let Some(file) = name.strip_prefix(TEXT_FOLDER) else {
                continue;
            };
            let known = file
                .strip_suffix(".toml")
                .and_then(Lang::parse)
                .is_some_and(|lang| file == format!("{}.toml", lang.code()));
            if !known {
                bail!(
                    "incident catalogue: templates/{FOLDER}{name}: not a language the platform \
                     writes; the files are {}",
                    Lang::ALL.map(|l| format!("{}.toml", l.code())).join(", ")
                );
            }
        }
        PerLang::try_build(|lang| {
            let name = format!("{TEXT_FOLDER}{}.toml", lang.code());
            let context = || format!("incident catalogue: templates/{FOLDER}{name}");
            let (_, text) = files
                .iter()
                .find(|(file, _)| *file == name)
                .ok_or_else(|| anyhow::anyhow!("{} is missing", context()))?;
            toml::from_str::<LangTexts>(text)
                .map_err(anyhow::Error::from)
                .with_context(context)
        })
        .map(Self)
    }

    pub fn get(&self, lang: Lang) -> &LangTexts {
        self.0.get(lang)
    }

    /// The `reviewed` mark of every language.
    pub fn reviewed(&self) -> PerLang<bool> {
        self.0.map(|texts| texts.meta.reviewed)
    }

    /// `what` taken from every language file, each failure named with its file.
    pub fn take<T>(
        &self,
        mut what: impl FnMut(Lang, &LangTexts) -> anyhow::Result<T>,
    ) -> anyhow::Result<PerLang<T>> {
        PerLang::try_build(|lang| {
            what(lang, self.get(lang)).with_context(|| {
                format!(
                    "incident catalogue: templates/{FOLDER}{TEXT_FOLDER}{}.toml",
                    lang.code()
                )
            })
        })
    }
}

/// Fails naming the first key of `section` the structure does not know (`what` names the kind).
pub fn no_strays<V>(
    section: &BTreeMap<String, V>,
    known: &[&str],
    what: &str,
) -> anyhow::Result<()> {
    match section.keys().find(|key| !known.contains(&key.as_str())) {
        Some(stray) => bail!("{what} {stray} is not in the catalogue; remove it or add it to all"),
        None => Ok(()),
    }
}
