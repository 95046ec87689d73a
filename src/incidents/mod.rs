//! The first-aid catalogue: for each incident type its name, description, whether remote help is
//! possible and a step plan in every [`Lang`], plus the triage question tree and the published
//! referral policy. All of it is data under `templates/incidents/`, embedded in the binary and
//! validated once at start-up: a bad file stops the service with a message naming the file. The
//! structure (codes, triage answers, policy factors) lives in one file per incident type,
//! `triage.toml` and `referral_policy.toml`; the words in one file per language under `text/`.

pub mod links;
pub mod policy;
#[cfg(test)]
mod tests;
pub mod text;
pub mod triage;

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use anyhow::{Context, anyhow, bail};
use serde::{Deserialize, Serialize};

use crate::{
    domain::IncidentType,
    i18n::{Lang, PerLang},
};
pub use policy::ReferralPolicy;
pub use text::Texts;
pub use triage::TriageTree;

/// Folder of the catalogue below `templates/`.
pub const FOLDER: &str = "incidents/";
pub const TRIAGE_FILE: &str = "triage.toml";
pub const POLICY_FILE: &str = "referral_policy.toml";
pub const MIN_STEPS: usize = 4;
pub const MAX_STEPS: usize = 8;

/// One first-aid step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub title: String,
    pub body: String,
    #[serde(default)]
    pub links: Vec<String>,
}

/// An incident type's texts in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocalizedInfo {
    pub name: String,
    pub description: String,
    pub steps: Vec<Step>,
}

/// An incident type's file: its code and whether remote help is possible; its words are in the
/// language files.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
struct IncidentFile {
    code: IncidentType,
    remote_possible: bool,
}

/// Everything the platform says about one incident type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentInfo {
    pub code: IncidentType,
    /// Whether an expert can help without coming over.
    pub remote_possible: bool,
    texts: PerLang<LocalizedInfo>,
}

impl IncidentInfo {
    pub fn text(&self, lang: Lang) -> &LocalizedInfo {
        self.texts.get(lang)
    }

    /// The texts of `file`'s incident type in every language, checked.
    fn with_texts(file: IncidentFile, texts: &Texts) -> anyhow::Result<Self> {
        let code = file.code.as_str();
        let texts = texts.take(|_, all| {
            let text = all
                .incident
                .get(code)
                .ok_or_else(|| anyhow!("[incident.{code}] is missing"))?;
            validate(code, text)?;
            Ok(text.clone())
        })?;
        let dutch = texts.get(Lang::Nl).steps.len();
        for lang in Lang::ALL {
            let steps = texts.get(lang).steps.len();
            if steps != dutch {
                bail!(
                    "incident catalogue: templates/{FOLDER}{}{}.toml: [incident.{code}] has \
                     {steps} steps but nl.toml has {dutch}; every language needs the same plan",
                    text::TEXT_FOLDER,
                    lang.code()
                );
            }
        }
        Ok(Self {
            code: file.code,
            remote_possible: file.remote_possible,
            texts,
        })
    }
}

/// One language's texts of incident type `code`: a name, a description, 4 to 8 steps with a
/// title and a body each, links only to the allow-list.
fn validate(code: &str, text: &LocalizedInfo) -> anyhow::Result<()> {
    let at = |what: &str| format!("[incident.{code}] {what}");
    if text.name.trim().is_empty() || text.description.trim().is_empty() {
        bail!("{}", at("needs a name and a description"));
    }
    if !(MIN_STEPS..=MAX_STEPS).contains(&text.steps.len()) {
        bail!(
            "{}",
            at(&format!(
                "has {} steps; {MIN_STEPS} to {MAX_STEPS} are required",
                text.steps.len()
            ))
        );
    }
    for (i, step) in text.steps.iter().enumerate() {
        let at_step = |what: &str| at(&format!("step {}: {what}", i + 1));
        if step.title.trim().is_empty() || step.body.trim().is_empty() {
            bail!("{}", at_step("needs a title and a body"));
        }
        for link in &step.links {
            links::check(link).map_err(|e| anyhow!("{}", at_step(&e)))?;
        }
    }
    Ok(())
}

/// The whole catalogue, loaded once per process.
#[derive(Debug)]
pub struct Catalogue {
    types: BTreeMap<IncidentType, IncidentInfo>,
    pub triage: TriageTree,
    pub policy: ReferralPolicy,
    reviewed: PerLang<bool>,
}

impl Catalogue {
    /// The one catalogue of this process (the data is compiled in and never changes).
    pub fn shared() -> anyhow::Result<Arc<Self>> {
        static SHARED: OnceLock<Result<Arc<Catalogue>, String>> = OnceLock::new();
        SHARED
            .get_or_init(|| Self::load().map(Arc::new).map_err(|e| format!("{e:#}")))
            .clone()
            .map_err(|e| anyhow!(e))
    }

    /// Reads and validates the embedded files under `templates/incidents/`.
    pub fn load() -> anyhow::Result<Self> {
        Self::from_files(&crate::templates::under(FOLDER))
    }

    /// Builds the catalogue from (file name, TOML text) pairs: every incident type once,
    /// [`TRIAGE_FILE`], [`POLICY_FILE`] and one language file per [`Lang`] under `text/`.
    pub fn from_files(files: &[(String, String)]) -> anyhow::Result<Self> {
        let texts = Texts::from_files(files)?;
        let mut types = BTreeMap::new();
        let (mut triage, mut policy) = (None, None);
        for (name, text) in files {
            let context = || format!("incident catalogue: templates/{FOLDER}{name}");
            match name.as_str() {
                _ if name.starts_with(text::TEXT_FOLDER) => {}
                TRIAGE_FILE => triage = Some(text),
                POLICY_FILE => {
                    policy = Some(ReferralPolicy::parse(text, &texts).with_context(context)?)
                }
                _ if name.ends_with(".toml") => {
                    let info = parse_incident(name, text, &texts).with_context(context)?;
                    if let Some(previous) = types.insert(info.code, info) {
                        bail!(
                            "{}: incident type {} is described twice",
                            context(),
                            previous.code.as_str()
                        );
                    }
                }
                _ => bail!("{}: only .toml files belong here", context()),
            }
        }
        let missing: Vec<&str> = IncidentType::ALL
            .into_iter()
            .filter(|t| !types.contains_key(t))
            .map(IncidentType::as_str)
            .collect();
        if !missing.is_empty() {
            bail!(
                "incident catalogue: no file for incident type(s) {}",
                missing.join(", ")
            );
        }
        let codes: Vec<&str> = IncidentType::ALL.iter().map(|t| t.as_str()).collect();
        texts.take(|_, all| text::no_strays(&all.incident, &codes, "incident type"))?;
        let triage = triage
            .ok_or_else(|| anyhow!("incident catalogue: {TRIAGE_FILE} is missing"))
            .and_then(|text| TriageTree::parse(text, &texts))
            .with_context(|| format!("incident catalogue: templates/{FOLDER}{TRIAGE_FILE}"))?;
        let policy =
            policy.ok_or_else(|| anyhow!("incident catalogue: {POLICY_FILE} is missing"))?;
        Ok(Self {
            types,
            triage,
            policy,
            reviewed: texts.reviewed(),
        })
    }

    pub fn get(&self, code: IncidentType) -> &IncidentInfo {
        self.types
            .get(&code)
            .expect("the catalogue was checked at load to describe every incident type")
    }

    /// Whether a native speaker reviewed the texts in `lang` (the language file's mark).
    pub fn reviewed(&self, lang: Lang) -> bool {
        *self.reviewed.get(lang)
    }

    /// Every incident type in [`IncidentType::ALL`] order.
    pub fn all(&self) -> impl Iterator<Item = &IncidentInfo> {
        IncidentType::ALL.into_iter().map(|code| self.get(code))
    }
}

fn parse_incident(name: &str, text: &str, texts: &Texts) -> anyhow::Result<IncidentInfo> {
    let file: IncidentFile = toml::from_str(text)?;
    let expected = format!("{}.toml", file.code.as_str());
    if name != expected {
        bail!("describes {}; name the file {expected}", file.code.as_str());
    }
    IncidentInfo::with_texts(file, texts)
}
