-- A victim's request for help. Personal fields (contact_*, company_name, description) are
-- nullable because erasure blanks them; type, urgency, region, week and outcome stay for the
-- statistics.
CREATE TABLE intakes (
    id TEXT PRIMARY KEY NOT NULL,
    status TEXT NOT NULL,
    incident_type TEXT NOT NULL,
    urgency TEXT NOT NULL,
    description TEXT,
    place TEXT NOT NULL,
    municipality TEXT NOT NULL,
    province TEXT NOT NULL,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    needs_on_site BOOLEAN NOT NULL,
    language TEXT NOT NULL,
    contact_name TEXT,
    contact_email TEXT,
    contact_phone TEXT,
    company_name TEXT,
    company_kvk TEXT,
    company_employees INTEGER,
    company_sector TEXT,
    disclaimer_version TEXT NOT NULL,
    consented_at TIMESTAMP NOT NULL,
    idempotency_key TEXT UNIQUE,
    request_fingerprint TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    closed_at TIMESTAMP,
    outcome TEXT,
    erased_at TIMESTAMP
);
CREATE INDEX intakes_by_status ON intakes (status, created_at);

-- Case links: each is 256 random bits, stored hashed. An idempotent retry of the same intake
-- gets a token of its own (the first one may never have reached the victim).
CREATE TABLE intake_tokens (
    token_hash TEXT PRIMARY KEY NOT NULL,
    intake_id TEXT NOT NULL REFERENCES intakes (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX intake_tokens_by_intake ON intake_tokens (intake_id);

-- The experts offered to an intake, in rank order, with the reasons shown to the victim.
CREATE TABLE intake_matches (
    intake_id TEXT NOT NULL REFERENCES intakes (id),
    expert_id TEXT NOT NULL REFERENCES experts (id),
    rank INTEGER NOT NULL,
    mode TEXT NOT NULL,
    distance_km REAL NOT NULL,
    reasons TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (intake_id, expert_id)
);
CREATE INDEX intake_matches_by_expert ON intake_matches (expert_id);
