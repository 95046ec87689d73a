//! The published referral policy: who can be matched and by which factors matches are ranked, in
//! every [`Lang`], so anyone can check that the platform refers neutrally. Loaded from
//! `templates/incidents/referral_policy.toml` (version, factor order, codes) and the language
//! files' `[policy]` (the words); the matching code implements these rules.

use std::collections::BTreeSet;

use anyhow::bail;
use serde::{Deserialize, Serialize};

use super::{
    Texts,
    text::{self, FactorText, PolicyText, RuleText},
};
use crate::i18n::{Lang, PerLang};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct FactorFile {
    order: u32,
    code: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    code: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyFile {
    version: String,
    factors: Vec<FactorFile>,
    rules: Vec<RuleFile>,
}

#[derive(Debug, Clone)]
struct Factor {
    order: u32,
    code: String,
    texts: PerLang<FactorText>,
}

#[derive(Debug, Clone)]
struct Rule {
    code: String,
    texts: PerLang<RuleText>,
}

#[derive(Debug, Clone)]
pub struct ReferralPolicy {
    pub version: String,
    intro: PerLang<PolicyText>,
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
    pub fn parse(text: &str, texts: &Texts) -> anyhow::Result<Self> {
        let file: PolicyFile = toml::from_str(text)?;
        let blank = |s: &str| s.trim().is_empty();
        if blank(&file.version) {
            bail!("the policy needs a version");
        }
        if file.factors.is_empty() || file.rules.is_empty() {
            bail!("the policy needs ranking factors and rules");
        }
        let mut codes = BTreeSet::new();
        for (i, factor) in file.factors.iter().enumerate() {
            if factor.order as usize != i + 1 {
                bail!("factor {} must have order {}", factor.code, i + 1);
            }
            if !codes.insert(factor.code.as_str()) {
                bail!("code {} is used twice", factor.code);
            }
        }
        for rule in &file.rules {
            if !codes.insert(rule.code.as_str()) {
                bail!("code {} is used twice", rule.code);
            }
        }
        let factor_codes: Vec<&str> = file.factors.iter().map(|f| f.code.as_str()).collect();
        let rule_codes: Vec<&str> = file.rules.iter().map(|r| r.code.as_str()).collect();
        let intro = texts.take(|_, all| {
            let policy = &all.policy;
            if blank(&policy.title) || blank(&policy.summary) {
                bail!("[policy] needs a title and a summary");
            }
            text::no_strays(&policy.factors, &factor_codes, "[policy.factors]")?;
            text::no_strays(&policy.rules, &rule_codes, "[policy.rules]")?;
            Ok(policy.clone())
        })?;
        let factors = file
            .factors
            .into_iter()
            .map(|f| {
                let texts = texts.take(|_, all| match all.policy.factors.get(&f.code) {
                    Some(t) if !blank(&t.name) && !blank(&t.explanation) => Ok(t.clone()),
                    _ => bail!(
                        "[policy.factors] {} needs a name and an explanation",
                        f.code
                    ),
                })?;
                Ok(Factor {
                    order: f.order,
                    code: f.code,
                    texts,
                })
            })
            .collect::<anyhow::Result<_>>()?;
        let rules = file
            .rules
            .into_iter()
            .map(|r| {
                let texts = texts.take(|_, all| match all.policy.rules.get(&r.code) {
                    Some(t) if !blank(&t.title) && !blank(&t.text) => Ok(t.clone()),
                    _ => bail!("[policy.rules] {} needs a title and a text", r.code),
                })?;
                Ok(Rule {
                    code: r.code,
                    texts,
                })
            })
            .collect::<anyhow::Result<_>>()?;
        Ok(Self {
            version: file.version,
            intro,
            factors,
            rules,
        })
    }

    /// The codes of the ranking factors, in order (the matching code follows this order).
    pub fn factor_codes(&self) -> Vec<&str> {
        self.factors.iter().map(|f| f.code.as_str()).collect()
    }

    pub fn view(&self, lang: Lang) -> PolicyView<'_> {
        let intro = self.intro.get(lang);
        PolicyView {
            version: &self.version,
            lang,
            title: &intro.title,
            summary: &intro.summary,
            factors: self
                .factors
                .iter()
                .map(|f| {
                    let text = f.texts.get(lang);
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
                    let text = r.texts.get(lang);
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
