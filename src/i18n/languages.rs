//! Spoken languages (ISO 639-1) and their names in the platform's own languages ("Turks" /
//! "Turkish"). The names live in the message catalogues (`[language_name]` in
//! `templates/i18n/*.toml`), so every page language, Arabic included, has them.

use super::{Catalogues, Lang, PageLanguage};

/// The name of a language in `lang`, or the code itself when we have no name for it.
pub fn language_name(code: &str, lang: Lang) -> String {
    match Catalogues::shared() {
        Ok(catalogues) => match catalogues.get(lang.code()) {
            Some(page) => language_name_in(code, page),
            None => code.to_owned(),
        },
        Err(_) => code.to_owned(),
    }
}

/// The name of a language in the page language `page`, or the code when it has none.
pub fn language_name_in(code: &str, page: &PageLanguage) -> String {
    page.get(&format!("language_name.{code}"))
        .unwrap_or(code)
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_both_languages_and_the_code_when_unknown() {
        assert_eq!(language_name("tr", Lang::Nl), "Turks");
        assert_eq!(language_name("tr", Lang::En), "Turkish");
        assert_eq!(language_name("xx", Lang::En), "xx");
        let catalogues = Catalogues::shared().unwrap();
        assert_eq!(
            language_name_in("tr", catalogues.get("ar").unwrap()),
            "التركية"
        );
    }
}
