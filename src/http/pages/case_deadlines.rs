//! The "what cannot wait" block of the case page (`templates/partials/case_deadlines.hbs`): the
//! case's deadlines in the page language, with the time left on the platform's clock.

use serde_json::{Value, json};

use crate::cases::view::CaseData;
use crate::clock::for_people;
use crate::http::AppState;
use crate::i18n::{PageLanguage, deadlines::say_all};

/// Template data: `items` (empty: the block is not shown) and when the incident was discovered.
pub fn deadlines(data: &CaseData, state: &AppState, page: &PageLanguage) -> Value {
    let items = say_all(
        page,
        data.row.incident_type,
        &data.deadlines(),
        state.clock.now(),
    );
    let discovered = for_people(data.discovered_at);
    json!({
        "items": items,
        "discovered": page.fill("deadline.discovered", &[("at", &discovered)]),
    })
}
