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
