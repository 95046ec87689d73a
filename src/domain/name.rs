//! Names of people and companies as they are typed: shown to moderators, experts and victims,
//! so they must read as typed — no control characters, no text-direction tricks, not invisible.

/// A name as people type it: trimmed, 2 to 200 characters of which at least 2 visible, no
/// control characters and no text-direction overrides (which make a name read differently in
/// the moderators' queue, in emails and to victims than it was typed).
pub fn name(raw: &str) -> Result<String, &'static str> {
    let trimmed = raw.trim();
    if trimmed
        .chars()
        .any(|c| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}'))
    {
        return Err("must not contain control characters or line breaks");
    }
    if trimmed
        .chars()
        .any(|c| is_bidi_control(c) || super::text::is_direction_override(c))
    {
        return Err("must not contain characters that change the text direction");
    }
    let visible = trimmed
        .chars()
        .filter(|c| !c.is_whitespace() && !is_zero_width(*c))
        .count();
    match (visible, trimmed.chars().count()) {
        (0, _) => Err("is required"),
        (1, _) => Err("is too short"),
        (_, 201..) => Err("is longer than 200 characters"),
        _ => Ok(trimmed.to_owned()),
    }
}

/// Unicode's explicit direction marks, embeddings, overrides and isolates.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Characters that take no space: they may join letters but never make a name on their own.
fn is_zero_width(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{200B}'..='\u{200D}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}')
}
