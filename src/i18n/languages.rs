//! Spoken languages (ISO 639-1) and their names in the platform's own languages, for match
//! reasons such as "spreekt Turks" / "speaks Turkish".

use super::Lang;

/// (code, Dutch name, English name) of the languages victims and experts list most.
const NAMES: &[(&str, &str, &str)] = &[
    ("nl", "Nederlands", "Dutch"),
    ("en", "Engels", "English"),
    ("de", "Duits", "German"),
    ("fr", "Frans", "French"),
    ("tr", "Turks", "Turkish"),
    ("ar", "Arabisch", "Arabic"),
    ("pl", "Pools", "Polish"),
    ("es", "Spaans", "Spanish"),
    ("it", "Italiaans", "Italian"),
    ("pt", "Portugees", "Portuguese"),
    ("ro", "Roemeens", "Romanian"),
    ("bg", "Bulgaars", "Bulgarian"),
    ("uk", "Oekraïens", "Ukrainian"),
    ("ru", "Russisch", "Russian"),
    ("zh", "Chinees", "Chinese"),
    ("hi", "Hindi", "Hindi"),
    ("fy", "Fries", "Frisian"),
    ("pap", "Papiaments", "Papiamento"),
    ("so", "Somalisch", "Somali"),
    ("ti", "Tigrinya", "Tigrinya"),
    ("fa", "Perzisch", "Persian"),
    ("ku", "Koerdisch", "Kurdish"),
    ("el", "Grieks", "Greek"),
    ("hu", "Hongaars", "Hungarian"),
    ("cs", "Tsjechisch", "Czech"),
    ("sk", "Slowaaks", "Slovak"),
    ("lt", "Litouws", "Lithuanian"),
    ("lv", "Lets", "Latvian"),
    ("vi", "Vietnamees", "Vietnamese"),
    ("id", "Indonesisch", "Indonesian"),
];

/// The name of a language in `lang`, or the code itself when we have no name for it.
pub fn language_name(code: &str, lang: Lang) -> String {
    NAMES
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, nl, en)| if lang == Lang::Nl { *nl } else { *en })
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
    }
}
