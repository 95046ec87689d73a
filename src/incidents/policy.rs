//! The published referral policy: who can be matched and by which factors matches are ranked, in
//! Dutch and English, so anyone can check that the platform refers neutrally. Loaded from
//! `templates/incidents/referral_policy.toml`; the matching code implements these rules.

use std::collections::BTreeSet;

use anyhow::bail;
use serde::{Deserialize, Serialize};

use crate::i18n::Lang;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Intro {
    title: String,
    summary: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct FactorText {
    name: String,
    explanation: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Factor {
    order: u32,
    code: String,
    nl: FactorText,
    en: FactorText,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleText {
    title: String,
    text: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Rule {
    code: String,
    nl: RuleText,
    en: RuleText,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferralPolicy {
    pub version: String,
    nl: Intro,
    en: Intro,
    factors: Vec<Factor>,
    rules: Vec<Rule>,
}

/// The policy in one language, as the API serves it.
#[derive(Debug, Serialize)]
pub struct PolicyView<'a> {
    pub version: &'a str,
    pub lang: Lang,
    pub title: &'a str,
    pub summary: &'a str,
    pub factors: Vec<FactorView<'a>>,
    pub rules: Vec<RuleView<'a>>,
}

#[derive(Debug, Serialize)]
pub struct FactorView<'a> {
    pub order: u32,
    pub code: &'a str,
    pub name: &'a str,
    pub explanation: &'a str,
}

#[derive(Debug, Serialize)]
pub struct RuleView<'a> {
    pub code: &'a str,
    pub title: &'a str,
    pub text: &'a str,
}

impl ReferralPolicy {
    pub fn parse(text: &str) -> anyhow::Result<Self> {
        let policy: Self = toml::from_str(text)?;
        policy.validate()?;
        Ok(policy)
    }

    fn validate(&self) -> anyhow::Result<()> {
        let blank = |s: &str| s.trim().is_empty();
        if blank(&self.version) || [&self.nl, &self.en].iter().any(|i| blank(&i.title)) {
            bail!("the policy needs a version and a title in nl and en");
        }
        if self.factors.is_empty() || self.rules.is_empty() {
            bail!("the policy needs ranking factors and rules");
        }
        let mut codes = BTreeSet::new();
        for (i, factor) in self.factors.iter().enumerate() {
            if factor.order as usize != i + 1 {
                bail!("factor {} must have order {}", factor.code, i + 1);
            }
            let texts = [&factor.nl.name, &factor.nl.explanation, &factor.en.name];
            if texts.iter().any(|t| blank(t)) || blank(&factor.en.explanation) {
                bail!(
                    "factor {} needs a name and an explanation in nl and en",
                    factor.code
                );
            }
            if !codes.insert(factor.code.as_str()) {
                bail!("code {} is used twice", factor.code);
            }
        }
        for rule in &self.rules {
            let texts = [&rule.nl.title, &rule.nl.text, &rule.en.title, &rule.en.text];
            if texts.iter().any(|t| blank(t)) {
                bail!("rule {} needs a title and a text in nl and en", rule.code);
            }
            if !codes.insert(rule.code.as_str()) {
                bail!("code {} is used twice", rule.code);
            }
        }
        Ok(())
    }

    /// The codes of the ranking factors, in order (the matching code follows this order).
    pub fn factor_codes(&self) -> Vec<&str> {
        self.factors.iter().map(|f| f.code.as_str()).collect()
    }

    pub fn view(&self, lang: Lang) -> PolicyView<'_> {
        let intro = pick(lang, &self.nl, &self.en);
        PolicyView {
            version: &self.version,
            lang,
            title: &intro.title,
            summary: &intro.summary,
            factors: self
                .factors
                .iter()
                .map(|f| {
                    let text = pick(lang, &f.nl, &f.en);
                    FactorView {
                        order: f.order,
                        code: &f.code,
                        name: &text.name,
                        explanation: &text.explanation,
                    }
                })
                .collect(),
            rules: self
                .rules
                .iter()
                .map(|r| {
                    let text = pick(lang, &r.nl, &r.en);
                    RuleView {
                        code: &r.code,
                        title: &text.title,
                        text: &text.text,
                    }
                })
                .collect(),
        }
    }
}

fn pick<'a, T>(lang: Lang, nl: &'a T, en: &'a T) -> &'a T {
    match lang {
        Lang::Nl => nl,
        Lang::En => en,
    }
}
