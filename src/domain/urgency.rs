//! How urgent an intake is: `acute` (happening now, business at a standstill), `recent` (last
//! days), `past`.

use super::code::codes;

codes! {
    /// How urgent an intake is.
    pub enum Urgency {
        Acute => "acute",
        Recent => "recent",
        Past => "past",
    }
}

#[cfg(test)]
mod tests {
    use super::Urgency;

    #[test]
    fn codes_round_trip_and_match_serde() {
        for u in Urgency::ALL {
            assert_eq!(Urgency::parse(u.as_str()), Some(u));
            assert_eq!(
                serde_json::to_value(u).unwrap(),
                serde_json::json!(u.as_str())
            );
        }
        assert_eq!(Urgency::parse("urgent"), None);
    }
}
