//! Pages as a browser sees them: cookies, HTML, forms with their CSRF token, redirects.

use super::TestApp;

/// A browser-like client: keeps cookies, does not follow redirects, asks for HTML.
pub struct PageClient {
    pub client: reqwest::Client,
    pub base: String,
}

impl TestApp {
    pub fn page_client(&self, accept_language: &str) -> PageClient {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("accept", "text/html".parse().expect("header"));
        headers.insert("accept-language", accept_language.parse().expect("header"));
        PageClient {
            client: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .default_headers(headers)
                .build()
                .expect("client"),
            base: self.address.clone(),
        }
    }
}

impl TestApp {
    /// A browser whose reader picked its language with the switch (kept in its cookie), so a
    /// case's pages answer in it whatever language the case was reported in (without a choice,
    /// a case's pages follow the language the victim chose in the intake).
    pub async fn reader(&self, accept_language: &str) -> PageClient {
        let client = self.page_client(accept_language);
        let lang = accept_language
            .split([',', ';', '-'])
            .next()
            .unwrap_or(accept_language);
        client.page(&format!("/?lang={lang}")).await;
        client
    }
}

impl PageClient {
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("request sent")
    }

    /// GET a page; returns status and HTML as a reader sees its words: without the invisible
    /// Unicode isolates around values in sentences (`tests/api/browser_rtl.rs` checks those;
    /// [`PageClient::get`] gives the body as sent).
    pub async fn page(&self, path: &str) -> (u16, String) {
        let response = self.get(path).await;
        let status = response.status().as_u16();
        let html = response.text().await.expect("body");
        (status, hackhelpdesk::i18n::without_isolates(&html))
    }

    /// POSTs a form with the CSRF token of the page `form_page` (fetched first).
    pub async fn submit(
        &self,
        form_page: &str,
        action: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let (_, html) = self.page(form_page).await;
        let token = csrf_token(&html);
        let mut all: Vec<(&str, &str)> = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        self.post_form(action, &all).await
    }

    pub async fn post_form(&self, action: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        self.client
            .post(format!("{}{action}", self.base))
            .form(fields)
            .send()
            .await
            .expect("request sent")
    }
}

/// The CSRF token in a page's forms.
pub fn csrf_token(html: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html
        .find(marker)
        .expect("the page has a form with a CSRF token")
        + marker.len();
    html[start..].chars().take_while(|c| *c != '"').collect()
}

/// The location of a redirect.
pub fn location(response: &reqwest::Response) -> String {
    response.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned()
}
