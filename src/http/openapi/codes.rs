//! Schemas of the code lists (incident types, urgencies, expert statuses, languages, roles),
//! made from the domain's own lists so the document never names a code the service does not
//! know. Status fields of intakes, requests and complaints are documented as plain strings.

use std::borrow::Cow;

use utoipa::openapi::{
    RefOr,
    schema::{ObjectBuilder, OneOfBuilder, Schema, Type},
};

use crate::domain::{ExpertStatus, IncidentType, Urgency};
use crate::i18n::Lang;

fn string_enum(description: &str, values: Vec<&'static str>) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(description))
        .enum_values(Some(values))
        .into()
}

macro_rules! code_schema {
    ($name:ident, $description:expr, $values:expr) => {
        #[doc = $description]
        pub struct $name;

        impl utoipa::PartialSchema for $name {
            fn schema() -> RefOr<Schema> {
                string_enum($description, $values)
            }
        }

        impl utoipa::ToSchema for $name {
            fn name() -> Cow<'static, str> {
                Cow::Borrowed(stringify!($name))
            }
        }
    };
}

code_schema!(
    IncidentCode,
    "An incident type's code.",
    IncidentType::ALL.iter().map(|t| t.as_str()).collect()
);
code_schema!(
    UrgencyCode,
    "How urgent an incident is: acute (happening now), recent (last days) or past.",
    Urgency::ALL.iter().map(|u| u.as_str()).collect()
);
code_schema!(
    ExpertStatusCode,
    "An expert's vetting status.",
    ExpertStatus::ALL.iter().map(|s| s.as_str()).collect()
);
code_schema!(
    LangCode,
    "A language the platform's texts are written in.",
    Lang::ALL.iter().map(|l| l.code()).collect()
);
code_schema!(RoleCode, "Who is logged in.", vec!["expert", "moderator"]);
code_schema!(
    AnswerCode,
    "An answer to a triage question.",
    vec!["yes", "no"]
);

/// Where a triage answer leads: the next question, or the suggested incident type.
pub struct TriageOutcome;

impl utoipa::PartialSchema for TriageOutcome {
    fn schema() -> RefOr<Schema> {
        let next = ObjectBuilder::new()
            .property("next", ObjectBuilder::new().schema_type(Type::String))
            .required("next");
        let incident = ObjectBuilder::new()
            .property("incident_type", IncidentCode::schema())
            .required("incident_type");
        OneOfBuilder::new()
            .item(next)
            .item(incident)
            .description(Some(
                "Where an answer leads: the next question or the suggested incident type.",
            ))
            .into()
    }
}

impl utoipa::ToSchema for TriageOutcome {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("TriageOutcome")
    }
}
