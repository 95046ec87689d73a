//! Which language a request wants its texts in: `?lang=nl|en|tr|pl|ar` first, else `Accept-Language`,
//! else Dutch. An unsupported `?lang=` value falls back to Dutch rather than failing.

use actix_web::{HttpRequest, HttpResponse, http::header};
use serde::Serialize;

use crate::i18n::Lang;

/// The language of the texts in the answer to `req`.
pub fn request_lang(req: &HttpRequest) -> Lang {
    asked_lang(req).unwrap_or_default()
}

/// The language `req` asks for, if it asks (`?lang=`, else a supported `Accept-Language`); for
/// answers whose texts otherwise follow what they describe (a case: its victim's language).
pub fn asked_lang(req: &HttpRequest) -> Option<Lang> {
    let from_query = url::form_urlencoded::parse(req.query_string().as_bytes())
        .find(|(key, _)| key == "lang")
        .map(|(_, value)| Lang::parse(&value).unwrap_or_default());
    from_query.or_else(|| {
        req.headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .and_then(Lang::from_accept_language)
    })
}

/// A 200 JSON answer in `lang`: says its language, and tells caches it varies by the header.
pub fn localized_json(lang: Lang, body: impl Serialize) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_LANGUAGE, lang.code()))
        .insert_header((header::VARY, "Accept-Language"))
        .json(body)
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;

    #[test]
    fn query_beats_header_and_dutch_is_the_default() {
        let lang = |uri: &str, accept: Option<&str>| {
            let mut req = TestRequest::get().uri(uri);
            if let Some(accept) = accept {
                req = req.insert_header((header::ACCEPT_LANGUAGE, accept));
            }
            request_lang(&req.to_http_request())
        };
        assert_eq!(lang("/x", None), Lang::Nl);
        assert_eq!(lang("/x", Some("en-GB,en;q=0.9")), Lang::En);
        assert_eq!(lang("/x?lang=nl", Some("en")), Lang::Nl);
        assert_eq!(lang("/x?lang=EN", None), Lang::En);
        assert_eq!(lang("/x?lang=de", Some("en")), Lang::Nl);
        assert_eq!(lang("/x", Some("de,fr")), Lang::Nl);
        let asked = |uri: &str| asked_lang(&TestRequest::get().uri(uri).to_http_request());
        assert_eq!(asked("/x"), None);
        assert_eq!(asked("/x?lang=en"), Some(Lang::En));
    }
}
