//! Message catalogues for the web pages: one TOML file per language under `templates/i18n/`
//! (`nl.toml`, `en.toml`, `ar.toml`, …). The page languages are discovered from those files, so
//! adding a language is adding a file. Each file has a `[meta]` table (`name` in the language
//! itself, `dir` = `ltr`|`rtl`, `reviewed` = whether a native speaker has checked the texts,
//! `false` when left out) and nested tables of strings, flattened to dotted keys
//! (`[home] title = "…"` → `home.title`). Every catalogue must have exactly the keys of the Dutch
//! one; a missing or extra key stops the start with the file and the key named. The moderators'
//! statistics page lists every language with its review state.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, OnceLock};

use anyhow::{Context, anyhow, bail};

use super::Lang;

/// Folder of the catalogues below `templates/`.
pub const FOLDER: &str = "i18n/";
/// The language pages fall back to.
pub const DEFAULT: &str = "nl";

/// One page language with its strings.
#[derive(Debug)]
pub struct PageLanguage {
    pub code: String,
    /// The language's name in itself, for the switch ("Nederlands", "English", "العربية").
    pub name: String,
    /// `ltr` or `rtl`.
    pub dir: &'static str,
    /// Whether a native speaker has reviewed the texts (`[meta] reviewed`); texts written without
    /// one stay marked as pending review for the moderators.
    pub reviewed: bool,
    messages: BTreeMap<String, String>,
}

impl PageLanguage {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.messages.get(key).map(String::as_str)
    }

    /// The message `key` with its `{name}` placeholders filled, each value between Unicode
    /// isolates ([`super::isolate`]); the key itself when missing.
    pub fn fill(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut text = self.get(key).unwrap_or(key).to_owned();
        for (name, value) in args {
            text = text.replace(&format!("{{{name}}}"), &super::isolate(value));
        }
        text
    }

    /// The message `key` with words of this same catalogue (an incident or language name) in its
    /// `{name}` placeholders, as they are: they need no isolates.
    pub fn fill_words(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut text = self.get(key).unwrap_or(key).to_owned();
        for (name, value) in args {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        text
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.messages.keys().map(String::as_str)
    }

    /// The language of the first-aid content (step plans, triage, policy) on this page: the page
    /// language when the platform writes in it, else English.
    pub fn content_lang(&self) -> Lang {
        Lang::parse(&self.code).unwrap_or(Lang::En)
    }

    /// Whether content shown in this language is a fallback to another language.
    pub fn content_is_fallback(&self) -> bool {
        Lang::parse(&self.code).is_none()
    }

    /// Whether what exists only in the staff languages (the code of conduct, the expert's
    /// registration texts) is shown here in another language than the page's.
    pub fn staff_is_fallback(&self) -> bool {
        self.content_lang().staff() != self.content_lang()
    }
}

/// Every page language, Dutch first, then English, then the others by code.
#[derive(Debug)]
pub struct Catalogues {
    languages: Vec<PageLanguage>,
}

impl Catalogues {
    /// The catalogues of this process (compiled in; they never change while it runs).
    pub fn shared() -> anyhow::Result<Arc<Self>> {
        static SHARED: OnceLock<Result<Arc<Catalogues>, String>> = OnceLock::new();
        SHARED
            .get_or_init(|| {
                Self::from_files(&crate::templates::under(FOLDER))
                    .map(Arc::new)
                    .map_err(|e| format!("{e:#}"))
            })
            .clone()
            .map_err(|e| anyhow!(e))
    }

    /// Builds the catalogues from (file name, TOML text) pairs.
    pub fn from_files(files: &[(String, String)]) -> anyhow::Result<Self> {
        let mut languages = Vec::new();
        for (name, text) in files {
            let context = || format!("message catalogue templates/{FOLDER}{name}");
            let code = name
                .strip_suffix(".toml")
                .filter(|c| {
                    (2..=3).contains(&c.len()) && c.chars().all(|ch| ch.is_ascii_lowercase())
                })
                .ok_or_else(|| anyhow!("name catalogues <ISO 639-1 code>.toml"))
                .with_context(context)?;
            languages.push(parse(code, text).with_context(context)?);
        }
        languages.sort_by_key(|l| (rank(&l.code), l.code.clone()));
        let reference = languages
            .iter()
            .find(|l| l.code == DEFAULT)
            .ok_or_else(|| anyhow!("templates/{FOLDER}{DEFAULT}.toml is missing"))?;
        let expected: BTreeSet<&str> = reference.keys().collect();
        for lang in &languages {
            let keys: BTreeSet<&str> = lang.keys().collect();
            if let Some(missing) = expected.difference(&keys).next() {
                bail!(
                    "templates/{FOLDER}{}.toml lacks the key {missing}",
                    lang.code
                );
            }
            if let Some(extra) = keys.difference(&expected).next() {
                bail!(
                    "templates/{FOLDER}{}.toml has the key {extra}, which {DEFAULT}.toml lacks",
                    lang.code
                );
            }
        }
        Ok(Self { languages })
    }

    pub fn all(&self) -> &[PageLanguage] {
        &self.languages
    }

    pub fn get(&self, code: &str) -> Option<&PageLanguage> {
        let code = code.trim().to_ascii_lowercase();
        self.languages.iter().find(|l| l.code == code)
    }

    pub fn default_language(&self) -> &PageLanguage {
        self.get(DEFAULT)
            .expect("the Dutch catalogue was checked at load")
    }

    /// The best catalogue language in an `Accept-Language` header, by quality.
    pub fn from_accept_language(&self, header: &str) -> Option<&PageLanguage> {
        let mut ranked: Vec<(f32, usize, &PageLanguage)> = header
            .split(',')
            .enumerate()
            .filter_map(|(position, part)| {
                let mut pieces = part.trim().split(';');
                let primary = pieces.next()?.trim().split('-').next()?;
                let quality = pieces
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .and_then(|q| q.parse::<f32>().ok())
                    .unwrap_or(1.0);
                let lang = self.get(primary)?;
                (quality > 0.0).then_some((quality, position, lang))
            })
            .collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        ranked.first().map(|(_, _, lang)| *lang)
    }
}

fn rank(code: &str) -> u8 {
    match code {
        "nl" => 0,
        "en" => 1,
        _ => 2,
    }
}

fn parse(code: &str, text: &str) -> anyhow::Result<PageLanguage> {
    let mut table: toml::Table = toml::from_str(text)?;
    let meta = table
        .remove("meta")
        .and_then(|m| m.as_table().cloned())
        .ok_or_else(|| anyhow!("needs a [meta] table with name and dir"))?;
    let name = meta
        .get("name")
        .and_then(|v| v.as_str())
        .filter(|n| !n.trim().is_empty())
        .ok_or_else(|| anyhow!("[meta] needs a name"))?
        .to_owned();
    let dir = match meta.get("dir").and_then(|v| v.as_str()) {
        Some("ltr") => "ltr",
        Some("rtl") => "rtl",
        _ => bail!("[meta] dir must be \"ltr\" or \"rtl\""),
    };
    let reviewed = match meta.get("reviewed") {
        None => false,
        Some(toml::Value::Boolean(reviewed)) => *reviewed,
        Some(_) => bail!("[meta] reviewed must be true or false"),
    };
    let mut messages = BTreeMap::new();
    flatten("", &table, &mut messages)?;
    Ok(PageLanguage {
        code: code.to_owned(),
        name,
        dir,
        reviewed,
        messages,
    })
}

fn flatten(
    prefix: &str,
    table: &toml::Table,
    out: &mut BTreeMap<String, String>,
) -> anyhow::Result<()> {
    for (key, value) in table {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            toml::Value::String(text) if !text.trim().is_empty() => {
                out.insert(path, text.clone());
            }
            toml::Value::Table(inner) => flatten(&path, inner, out)?,
            _ => bail!("{path} must be a non-empty string or a table"),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(extra: &str) -> Vec<(String, String)> {
        vec![
            (
                "nl.toml".into(),
                "[meta]\nname = \"Nederlands\"\ndir = \"ltr\"\n[home]\ntitle = \"Hulp\"\n".into(),
            ),
            (
                "ar.toml".into(),
                format!(
                    "[meta]\nname = \"العربية\"\ndir = \"rtl\"\n[home]\ntitle = \"مساعدة\"\n{extra}"
                ),
            ),
        ]
    }

    #[test]
    fn languages_are_discovered_and_nested_keys_flattened() {
        let cats = Catalogues::from_files(&files("")).expect("loads");
        let codes: Vec<&str> = cats.all().iter().map(|l| l.code.as_str()).collect();
        assert_eq!(codes, ["nl", "ar"]);
        let ar = cats.get("AR").expect("ar");
        assert_eq!(ar.dir, "rtl");
        assert_eq!(ar.get("home.title"), Some("مساعدة"));
        assert_eq!(ar.content_lang(), Lang::Ar);
        assert!(!ar.content_is_fallback());
        assert!(ar.staff_is_fallback());
        assert!(!cats.get("nl").unwrap().staff_is_fallback());
    }

    #[test]
    fn a_catalogue_with_an_extra_or_missing_key_is_refused() {
        let err = Catalogues::from_files(&files("[x]\ny = \"z\"\n")).unwrap_err();
        assert!(format!("{err:#}").contains("x.y"), "{err:#}");
        let mut missing = files("");
        missing[1].1 = "[meta]\nname = \"العربية\"\ndir = \"rtl\"\n".into();
        let err = Catalogues::from_files(&missing).unwrap_err();
        assert!(
            format!("{err:#}").contains("lacks the key home.title"),
            "{err:#}"
        );
    }

    #[test]
    fn the_reviewed_mark_is_read_and_missing_means_pending() {
        let mut marked = files("");
        marked[0].1 = marked[0]
            .1
            .replace("dir = \"ltr\"\n", "dir = \"ltr\"\nreviewed = true\n");
        let cats = Catalogues::from_files(&marked).expect("loads");
        assert!(cats.get("nl").unwrap().reviewed, "reviewed = true is read");
        assert!(!cats.get("ar").unwrap().reviewed, "no mark: pending review");
        marked[1].1 = marked[1]
            .1
            .replace("dir = \"rtl\"\n", "dir = \"rtl\"\nreviewed = \"yes\"\n");
        let err = Catalogues::from_files(&marked).unwrap_err();
        assert!(
            format!("{err:#}").contains("reviewed must be true or false"),
            "{err:#}"
        );
    }

    #[test]
    fn the_shipped_catalogues_say_which_texts_a_native_speaker_checked() {
        let cats = Catalogues::shared().expect("the shipped catalogues load");
        let state: Vec<(&str, bool)> = cats
            .all()
            .iter()
            .map(|l| (l.code.as_str(), l.reviewed))
            .collect();
        assert_eq!(
            state,
            [
                ("nl", true),
                ("en", true),
                ("ar", false),
                ("pl", false),
                ("tr", false)
            ]
        );
        assert_eq!(cats.get("tr").unwrap().name, "Türkçe");
        assert_eq!(cats.get("pl").unwrap().name, "Polski");
    }

    #[test]
    fn accept_language_picks_the_best_catalogue() {
        let cats = Catalogues::from_files(&files("")).expect("loads");
        let pick = |h: &str| cats.from_accept_language(h).map(|l| l.code.as_str());
        assert_eq!(pick("ar-MA,nl;q=0.5"), Some("ar"));
        assert_eq!(pick("de,nl;q=0.3,ar;q=0.2"), Some("nl"));
        assert_eq!(pick("de,fr"), None);
    }
}
