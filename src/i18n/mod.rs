//! Languages of user-facing text. Dutch is the default; English is always available. Emails and
//! content (step plans, triage, code of conduct) pick their texts by [`Lang`]; web pages use the
//! message catalogues in [`catalogue`], whose languages are discovered from files.

pub mod catalogue;
pub mod deadlines;
mod languages;
pub mod reasons;

pub use catalogue::{Catalogues, PageLanguage};

pub use languages::{language_name, language_name_in};
use serde::Serialize;

/// A language the platform writes its own texts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Nl,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Nl, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Self::Nl => "nl",
            Self::En => "en",
        }
    }

    /// The text language for someone who speaks `code` (ISO 639-1): Dutch for Dutch, English for
    /// every other language until it has texts of its own.
    pub fn for_speaker(code: &str) -> Self {
        if code.trim().eq_ignore_ascii_case("nl") {
            Self::Nl
        } else {
            Self::En
        }
    }

    /// An exact match of a supported code, for `?lang=`.
    pub fn parse(code: &str) -> Option<Self> {
        match code.trim().to_ascii_lowercase().as_str() {
            "nl" => Some(Self::Nl),
            "en" => Some(Self::En),
            _ => None,
        }
    }

    /// The first supported language in an `Accept-Language` header, by quality.
    pub fn from_accept_language(header: &str) -> Option<Self> {
        let mut ranked: Vec<(f32, Self)> = header
            .split(',')
            .filter_map(|part| {
                let mut pieces = part.trim().split(';');
                let tag = pieces.next()?.trim();
                let quality = pieces
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .and_then(|q| q.parse::<f32>().ok())
                    .unwrap_or(1.0);
                let primary = tag.split('-').next()?;
                Self::parse(primary).map(|lang| (quality, lang))
            })
            .filter(|(q, _)| *q > 0.0)
            .collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
        ranked.first().map(|(_, lang)| *lang)
    }
}

#[cfg(test)]
mod tests {
    use super::Lang;

    #[test]
    fn accept_language_picks_the_best_supported_language() {
        assert_eq!(
            Lang::from_accept_language("en-GB,en;q=0.9,nl;q=0.8"),
            Some(Lang::En)
        );
        assert_eq!(
            Lang::from_accept_language("de-DE,nl;q=0.5,en;q=0.4"),
            Some(Lang::Nl)
        );
        assert_eq!(Lang::from_accept_language("de-DE,fr"), None);
        assert_eq!(Lang::from_accept_language("en;q=0,nl"), Some(Lang::Nl));
    }

    #[test]
    fn speakers_of_other_languages_get_english() {
        assert_eq!(Lang::for_speaker("nl"), Lang::Nl);
        assert_eq!(Lang::for_speaker("tr"), Lang::En);
    }
}
