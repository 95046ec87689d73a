//! Property tests over every parser of the domain: arbitrary strings (control characters,
//! direction overrides, zero-width characters, long runs of any Unicode) never make a parser
//! panic, and whatever a parser accepts holds no control character and no direction override,
//! so it can be stored on both databases and shown as typed.

use proptest::prelude::*;

use super::text::{is_direction_override, single_line};
use super::{
    Email, ExpertStatus, IncidentType, KvkNumber, Language, LocationInput, Password, Phone, Role,
    Urgency, Website, name,
};
use crate::domain::location::Location;

/// Text a careless or hostile client might send.
fn nasty_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[\\x00-\\x1f\\x7f\u{85}\u{2028}\u{202a}-\u{202e}\u{2066}-\u{2069}\u{200b}\u{feff}a-zA-Z0-9 @.+-]{0,40}",
        proptest::collection::vec(any::<char>(), 0..3000)
            .prop_map(|chars| chars.into_iter().collect::<String>()),
    ]
}

fn clean(accepted: &str) -> bool {
    single_line(accepted).is_ok()
        && !accepted
            .chars()
            .any(|c| c.is_control() || is_direction_override(c))
}

proptest! {
    // Failure seeds are kept beside this file (`props.regressions`), inside src/.
    #![proptest_config(ProptestConfig {
        cases: 256,
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::WithSource("regressions"),
        )),
        ..ProptestConfig::default()
    })]

    #[test]
    fn single_line_parsers_accept_only_clean_text(raw in nasty_text()) {
        if let Ok(v) = name(&raw) { prop_assert!(clean(&v), "name {v:?}"); }
        if let Ok(v) = Email::parse(&raw) { prop_assert!(clean(v.as_str()), "email {v:?}"); }
        if let Ok(v) = Phone::parse(&raw) { prop_assert!(clean(v.as_str()), "phone {v:?}"); }
        if let Ok(v) = Website::parse(&raw) { prop_assert!(clean(v.as_str()), "website {v:?}"); }
        if let Ok(v) = KvkNumber::parse(&raw) { prop_assert!(clean(v.as_str()), "kvk {v:?}"); }
        if let Ok(v) = Language::parse(&raw) { prop_assert!(clean(v.as_str()), "language {v:?}"); }
        if Password::parse(&raw).is_ok() { prop_assert!(clean(&raw), "password {raw:?}"); }
    }

    #[test]
    fn code_parsers_accept_only_their_codes(raw in nasty_text()) {
        for accepted in [
            IncidentType::parse(&raw).map(|v| v.as_str()),
            Urgency::parse(&raw).map(|v| v.as_str()),
            Role::parse(&raw).map(|v| v.as_str()),
            ExpertStatus::parse(&raw).map(|v| v.as_str()),
        ]
        .into_iter()
        .flatten()
        {
            prop_assert_eq!(accepted, raw.as_str());
        }
    }

    #[test]
    fn places_resolve_only_to_known_clean_names(raw in nasty_text()) {
        let geocoder = crate::geo::Gazetteer::shared();
        if let Ok(found) = Location::resolve(&LocationInput::Place { place: raw }, geocoder.as_ref()) {
            prop_assert!(clean(&found.place));
            prop_assert!(clean(&found.municipality));
        }
    }
}
