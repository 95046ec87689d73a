//! Example data for every email event, in ONE place: the template test renders each event in
//! every language with its fixture, and fails for an event in `templates/email/` without one.
//!
//! Adding an event? Add its fixture here with every variable its templates use, and nothing
//! else (the test fails on a key no template uses). Strict mode makes `{{x}}` without `x` an
//! error, but `{{#if x}}` treats a missing `x` as false: callers should always pass every key,
//! optional ones as `null`, and the fixture should give them a value so the branch is rendered.
//! Put some HTML-special characters in free text so escaping is exercised.

use serde_json::{Value, json};

/// The fixture for `event`, or `None` when nobody wrote one yet.
pub fn fixture(event: &str) -> Option<Value> {
    Some(match event {
        "test_email" => json!({ "transport": "SMTP server smtp://127.0.0.1:2525 <test>" }),
        "delivery_failed" => json!({
            "outbox_id": "01940000-0000-7000-8000-000000000001",
            "template": "intake_received",
            "recipient": "Jan de Vries <jan@bakkerij.nl>",
            "subject": "Uw melding <ransomware> is ontvangen",
            "queued_at": "23-11-2026 10:15 CET",
            "attempts": 7,
            "error": "permanent error (550): 5.1.1 <jan@bakkerij.nl> no such user",
        }),
        "expert_verification" => json!({
            "company_name": "Veilig & Snel <ICT> B.V.",
            "contact_name": "Eva de Boer",
            "valid_hours": 48,
            "verify_url": "http://localhost:8080/experts/verify?token=abc",
        }),
        "expert_pending_review" => json!({
            "company_name": "Veilig & Snel <ICT> B.V.",
            "expert_id": "01940000-0000-7000-8000-000000000002",
            "kvk_number": "12345678",
            "why": "changed",
        }),
        "expert_approved" | "expert_reinstated" => json!({
            "company_name": "Veilig & Snel <ICT> B.V.",
            "contact_name": "Eva de Boer",
        }),
        "code_of_conduct_updated" => json!({
            "company_name": "Veilig & Snel <ICT> B.V.",
            "contact_name": "Eva de Boer",
            "version": 2,
            "read_url": "https://hackhelpdesk.example/code-of-conduct",
            "profile_url": "https://hackhelpdesk.example/expert",
        }),
        "expert_rejected" | "expert_suspended" => json!({
            "company_name": "Veilig & Snel <ICT> B.V.",
            "contact_name": "Eva de Boer",
            "reason": "KvK-nummer hoort bij <een ander bedrijf>",
        }),
        "intake_received" => json!({
            "contact_name": "Jan de Vries <Bakkerij>",
            "incident_name": "Ransomware",
            "case_url": "http://localhost:8080/case/abc",
            "steps": [{ "number": 1, "title": "Zet de computer niet uit", "body": "Trek de <netwerkkabel> eruit." }],
            "match_count": 3,
            "has_matches": true,
        }),
        "moderator_digest" => json!({
            "count": 53,
            "since": "23-11-2026 10:15 CET",
            "items": [
                { "at": "23-11-2026 10:16 CET", "subject": "Geen expert gevonden: Ransomware <test> in Goes" },
                { "at": "23-11-2026 10:20 CET", "subject": "Klacht over Veilig & Snel <ICT>" },
            ],
            "more": 3,
            "has_more": true,
        }),
        "intake_unmatched" => json!({
            "intake_id": "01940000-0000-7000-8000-000000000003",
            "incident_name": "Ransomware <test>",
            "urgency": "acute",
            "municipality": "Bergen op Zoom",
            "province": "Noord-Brabant",
            "language": "nl",
            "needs_on_site": true,
        }),
        "help_request" => json!({
            "contact_name": "Eva de Boer",
            "incident_name": "Ransomware",
            "urgency": "acuut: het gebeurt nu",
            "municipality": "Bergen op Zoom",
            "province": "Noord-Brabant",
            "employees": 12,
            "sector": "bakkerij <brood>",
            "description": "Alles is versleuteld <script>alert(1)</script>",
            "language": "nl",
            "needs_on_site": true,
            "request_url": "http://localhost:8080/experts/requests/abc",
            "expires_at": "23-11-2026 12:15 CET",
        }),
        "request_withdrawn" => json!({
            "contact_name": "Eva de Boer",
            "incident_name": "Ransomware <x>",
            "municipality": "Bergen op Zoom",
            "other_expert": true,
        }),
        "connected_expert" => json!({
            "contact_name": "Eva de Boer",
            "incident_name": "Ransomware",
            "municipality": "Bergen op Zoom",
            "victim_name": "Jan de Vries <Bakker>",
            "victim_email": "jan@bakkerij.nl",
            "victim_phone": "+31 6 8765 4321",
            "victim_company": "Bakkerij & Zonen",
            "request_url": "http://localhost:8080/experts/requests/abc",
        }),
        "connected_victim" => json!({
            "contact_name": "Jan de Vries <Bakker>",
            "expert_company": "Veilig & Snel <ICT> B.V.",
            "expert_contact": "Eva de Boer",
            "expert_email": "eva@veilig.nl",
            "expert_phone": "+31 6 1234 5678",
            "expert_website": "https://veilig.nl",
        }),
        "request_expired" => json!({
            "request_id": "01940000-0000-7000-8000-000000000004",
            "intake_id": "01940000-0000-7000-8000-000000000003",
            "expert_id": "01940000-0000-7000-8000-000000000002",
            "expert_company": "Veilig & Snel <ICT> B.V.",
            "incident_name": "Ransomware",
            "urgency": "acute",
            "municipality": "Bergen op Zoom",
        }),
        "matches_renewed" => json!({
            "contact_name": "Jan de Vries <Bakker>",
            "case_url": "http://localhost:8080/case/abc",
            "match_count": 2,
            "has_matches": true,
        }),
        "case_ended" => json!({
            "contact_name": "Eva de Boer",
            "incident_name": "Ransomware <x>",
            "municipality": "Bergen op Zoom",
            "outcome": "opgelost",
        }),
        "feedback_invitation" | "resilience_check" => json!({
            "contact_name": "Jan de Vries <Bakker>",
            "url": "http://localhost:8080/feedback/abc",
        }),
        "complaint_received" => json!({
            "complaint_id": "01940000-0000-7000-8000-000000000005",
            "intake_id": "01940000-0000-7000-8000-000000000003",
            "expert_id": "01940000-0000-7000-8000-000000000002",
            "expert_company": "Veilig & Snel <ICT> B.V.",
        }),
        "paid_services_reported" => json!({
            "intake_id": "01940000-0000-7000-8000-000000000003",
            "expert_id": "01940000-0000-7000-8000-000000000002",
            "expert_company": "Veilig & Snel <ICT> B.V.",
            "moderator_url": "http://localhost:8080/moderator/intakes",
        }),
        _ => return None,
    })
}
