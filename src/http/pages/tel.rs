//! `{{tel text}}`: the text HTML-escaped, with the emergency and police numbers in it (112 and
//! 0900-8844) as `tel:` links, so that a victim on a phone taps instead of typing. Used wherever
//! a page shows them: the emergency notice, the first-aid step texts and the case page's "while
//! you wait" box.

use handlebars::{
    Context, Handlebars, Helper, HelperDef, HelperResult, Output, RenderContext, RenderErrorReason,
    html_escape,
};

/// The numbers that become links, as written in the texts, with what is dialled.
const NUMBERS: [(&str, &str); 2] = [("0900-8844", "09008844"), ("112", "112")];

pub struct TelLinks;

impl HelperDef for TelLinks {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        _: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let text = h
            .param(0)
            .and_then(|p| p.value().as_str())
            .ok_or(RenderErrorReason::ParamNotFoundForIndex("tel", 0))?;
        out.write(&linked(text))?;
        Ok(())
    }
}

/// `text` escaped for HTML, each number of [`NUMBERS`] that stands on its own made a link.
pub fn linked(text: &str) -> String {
    let mut html = String::with_capacity(text.len() + 64);
    let mut rest = text;
    while !rest.is_empty() {
        let found = NUMBERS
            .iter()
            .filter_map(|(shown, dialled)| {
                find_alone(text, rest, shown).map(|at| (at, *shown, *dialled))
            })
            .min_by_key(|(at, _, _)| *at);
        let Some((at, shown, dialled)) = found else {
            html.push_str(&html_escape(rest));
            break;
        };
        html.push_str(&html_escape(&rest[..at]));
        html.push_str(&format!(r#"<a href="tel:{dialled}">{shown}</a>"#));
        rest = &rest[at + shown.len()..];
    }
    html
}

/// Where `number` first occurs in `rest` (a tail of `whole`) as a number of its own: not part of
/// a longer number, such as "1120" or "0900-88445".
fn find_alone(whole: &str, rest: &str, number: &str) -> Option<usize> {
    let offset = whole.len() - rest.len();
    let part_of_number = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit() || c == '-');
    let mut from = 0;
    while let Some(at) = rest[from..].find(number).map(|i| i + from) {
        let before = whole[..offset + at].chars().next_back();
        let after = rest[at + number.len()..].chars().next();
        if !part_of_number(before) && !part_of_number(after) {
            return Some(at);
        }
        from = at + number.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::linked;

    #[test]
    fn the_emergency_numbers_become_links_and_the_rest_stays_escaped_text() {
        assert_eq!(
            linked("Gevaar? Bel 112. Aangifte: bel 0900-8844 <nu>."),
            "Gevaar? Bel <a href=\"tel:112\">112</a>. Aangifte: bel \
             <a href=\"tel:09008844\">0900-8844</a> &lt;nu&gt;."
        );
    }

    #[test]
    fn numbers_inside_longer_numbers_stay_text() {
        assert_eq!(linked("bel 1120 of 0112"), "bel 1120 of 0112");
        assert_eq!(linked("nr 0900-88445"), "nr 0900-88445");
        assert_eq!(linked("geen nummer"), "geen nummer");
        assert_eq!(linked(""), "");
    }
}
