//! The `templates/` folder, embedded in release builds (read from disk in debug builds), so the
//! binary runs from anywhere.

use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "templates/"]
pub struct TemplateFiles;

/// Every template file below `prefix` (e.g. `email/`), as (path without prefix and `.hbs`, text).
pub fn under(prefix: &str) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = TemplateFiles::iter()
        .filter(|path| path.starts_with(prefix))
        .filter_map(|path| {
            let file = TemplateFiles::get(&path)?;
            let text = String::from_utf8(file.data.into_owned()).ok()?;
            let name = path[prefix.len()..].trim_end_matches(".hbs").to_owned();
            Some((name, text))
        })
        .collect();
    files.sort();
    files
}

/// `{{plural n "expert" "experts"}}`: the count with the singular or plural word ("1 expert",
/// "2 experts"), for page and email templates alike. Dutch and English use the singular for
/// exactly one only.
pub struct Plural;

impl handlebars::HelperDef for Plural {
    fn call_inner<'reg: 'rc, 'rc>(
        &self,
        h: &handlebars::Helper<'rc>,
        _: &'reg handlebars::Handlebars<'reg>,
        _: &'rc handlebars::Context,
        _: &mut handlebars::RenderContext<'reg, 'rc>,
    ) -> Result<handlebars::ScopedJson<'rc>, handlebars::RenderError> {
        use handlebars::RenderErrorReason::ParamNotFoundForIndex;
        let count = h
            .param(0)
            .and_then(|p| p.value().as_i64())
            .ok_or(ParamNotFoundForIndex("plural", 0))?;
        let word = |i: usize| {
            h.param(i)
                .and_then(|p| p.value().as_str())
                .ok_or(ParamNotFoundForIndex("plural", i))
        };
        let word = if count == 1 { word(1)? } else { word(2)? };
        Ok(handlebars::ScopedJson::Derived(serde_json::Value::String(
            format!("{count} {word}"),
        )))
    }
}

/// Registers the helpers every template registry shares.
pub fn register_helpers(registry: &mut handlebars::Handlebars<'_>) {
    registry.register_helper("plural", Box::new(Plural));
}

#[cfg(test)]
mod tests {
    #[test]
    fn plural_picks_the_word_by_count() {
        let mut hb = handlebars::Handlebars::new();
        super::register_helpers(&mut hb);
        let render = |n: i64| {
            hb.render_template(
                r#"{{plural n "gescreende expert" "gescreende experts"}}"#,
                &serde_json::json!({ "n": n }),
            )
            .unwrap()
        };
        assert_eq!(render(1), "1 gescreende expert");
        assert_eq!(render(2), "2 gescreende experts");
        assert_eq!(render(0), "0 gescreende experts");
    }
}
