-- Outcomes (issue 13): the same four resilience questions at intake (baseline) and at the 90-day
-- check, and whether the expert offered paid services (asked in the feedback).

-- NULL for feedback given before the question existed.
ALTER TABLE intake_feedback ADD COLUMN offered_paid_services BOOLEAN;

-- Not personal data: retention and erasure keep these rows, the statistics keep counting them.
CREATE TABLE resilience_answers (
    intake_id TEXT NOT NULL REFERENCES intakes (id),
    phase TEXT NOT NULL CHECK (phase IN ('baseline', 'after_90_days')),
    offline_backups TEXT NOT NULL CHECK (offline_backups IN ('yes', 'no', 'unknown')),
    mfa TEXT NOT NULL CHECK (mfa IN ('yes', 'no', 'unknown')),
    incident_plan TEXT NOT NULL CHECK (incident_plan IN ('yes', 'no', 'unknown')),
    auto_updates TEXT NOT NULL CHECK (auto_updates IN ('yes', 'no', 'unknown')),
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (intake_id, phase)
);
