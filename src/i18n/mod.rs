//! Languages of user-facing text. Dutch is the default; English is always available. Emails and
//! content (step plans, triage, referral policy) pick their texts by [`Lang`]; web pages use the
//! message catalogues in [`catalogue`]. Both exist in every [`Lang`]; what only experts and
//! moderators read (their emails, the code of conduct) exists in [`Lang::STAFF`].

pub mod catalogue;
pub mod deadlines;
mod languages;
pub mod reasons;

pub use catalogue::{Catalogues, PageLanguage};

pub use languages::{language_name, language_name_in};
use serde::Serialize;

/// A language the platform writes its own texts in. Victims read every text in any of them;
/// experts and moderators work in the staff languages, Dutch and English ([`Lang::STAFF`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Nl,
    En,
    Tr,
    Pl,
    Ar,
}

impl Lang {
    /// Every language, Dutch first: the order of files, lists and API documents.
    pub const ALL: [Lang; 5] = [Lang::Nl, Lang::En, Lang::Tr, Lang::Pl, Lang::Ar];
    /// The languages experts and moderators read (their emails, the code of conduct).
    pub const STAFF: [Lang; 2] = [Lang::Nl, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Self::Nl => "nl",
            Self::En => "en",
            Self::Tr => "tr",
            Self::Pl => "pl",
            Self::Ar => "ar",
        }
    }

    /// The position in [`Lang::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// Text direction: Arabic is written right to left.
    pub fn dir(self) -> &'static str {
        match self {
            Self::Ar => "rtl",
            _ => "ltr",
        }
    }

    /// The staff language for a text that exists only in Dutch and English: this language when
    /// it is one of them, else English.
    pub fn staff(self) -> Self {
        match self {
            Self::Nl => Self::Nl,
            _ => Self::En,
        }
    }

    /// The text language for someone who speaks `code` (ISO 639-1): their own language when the
    /// platform writes in it, else English.
    pub fn for_speaker(code: &str) -> Self {
        Self::parse(code).unwrap_or(Self::En)
    }

    /// An exact match of a supported code, for `?lang=`.
    pub fn parse(code: &str) -> Option<Self> {
        let code = code.trim().to_ascii_lowercase();
        Self::ALL.into_iter().find(|lang| lang.code() == code)
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

/// U+2068 FIRST STRONG ISOLATE: opens a value put into a sentence.
pub const FSI: char = '\u{2068}';
/// U+2069 POP DIRECTIONAL ISOLATE: closes it.
pub const PDI: char = '\u{2069}';

/// `value` as it goes into a sentence: between Unicode isolates (FSI … PDI), so that a Latin
/// place, name or date keeps its own order inside a right-to-left sentence and an Arabic name
/// inside a left-to-right one ("13 km van 's-Hertogenbosch", "في موعد أقصاه 04-12-2026 09:30
/// CET"). The isolates are invisible and plain text, so HTML escaping stays as it is. A bare
/// count (digits only) cannot be reordered and is left as it is.
pub fn isolate(value: &str) -> std::borrow::Cow<'_, str> {
    if value.is_empty() || value.bytes().all(|b| b.is_ascii_digit()) {
        std::borrow::Cow::Borrowed(value)
    } else {
        std::borrow::Cow::Owned(format!("{FSI}{value}{PDI}"))
    }
}

/// `text` without the isolates of [`isolate`]: for tests and readers that compare words.
pub fn without_isolates(text: &str) -> String {
    text.chars().filter(|c| *c != FSI && *c != PDI).collect()
}

/// One value for each language in [`Lang::ALL`], complete by construction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PerLang<T>(Vec<T>);

impl<T> PerLang<T> {
    /// The values `make` gives for each language in [`Lang::ALL`], or its first error.
    pub fn try_build<E>(mut make: impl FnMut(Lang) -> Result<T, E>) -> Result<Self, E> {
        Lang::ALL
            .into_iter()
            .map(&mut make)
            .collect::<Result<Vec<T>, E>>()
            .map(Self)
    }

    pub fn get(&self, lang: Lang) -> &T {
        &self.0[lang.index()]
    }

    pub fn map<U>(&self, f: impl FnMut(&T) -> U) -> PerLang<U> {
        PerLang(self.0.iter().map(f).collect())
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
        assert_eq!(
            Lang::from_accept_language("tr-TR,tr;q=0.9,en;q=0.8"),
            Some(Lang::Tr)
        );
        assert_eq!(Lang::from_accept_language("ar-MA,fr;q=0.8"), Some(Lang::Ar));
        assert_eq!(Lang::from_accept_language("en;q=0,nl"), Some(Lang::Nl));
    }

    #[test]
    fn speakers_get_their_own_language_and_others_english() {
        assert_eq!(Lang::for_speaker("nl"), Lang::Nl);
        assert_eq!(Lang::for_speaker("tr"), Lang::Tr);
        assert_eq!(Lang::for_speaker("ar"), Lang::Ar);
        assert_eq!(Lang::for_speaker("de"), Lang::En);
    }

    #[test]
    fn the_index_is_the_place_in_all() {
        for (i, lang) in Lang::ALL.into_iter().enumerate() {
            assert_eq!(lang.index(), i);
            assert_eq!(Lang::parse(lang.code()), Some(lang));
        }
        assert_eq!(Lang::Ar.dir(), "rtl");
        assert_eq!(Lang::Pl.staff(), Lang::En);
    }

    #[test]
    fn values_are_isolated_except_bare_counts() {
        assert_eq!(
            super::isolate("Bergen op Zoom"),
            "\u{2068}Bergen op Zoom\u{2069}"
        );
        assert_eq!(super::isolate("41"), "41");
        assert_eq!(super::isolate(""), "");
        assert_eq!(
            super::without_isolates(&super::isolate("'s-Hertogenbosch")),
            "'s-Hertogenbosch"
        );
    }
}
