-- The case after matching: who the victim asked, who connected, step progress, feedback,
-- complaints. Personal free text (decline reasons excepted: they are the expert's) is nullable so
-- that erasure can blank it.
ALTER TABLE intakes ADD COLUMN connected_expert_id TEXT REFERENCES experts (id);
ALTER TABLE intakes ADD COLUMN connected_at TIMESTAMP;
ALTER TABLE intakes ADD COLUMN feedback_invited_at TIMESTAMP;
ALTER TABLE intakes ADD COLUMN resilience_invited_at TIMESTAMP;

-- Which intake an email is about, so that erasure can find it (NULL: not about an intake).
ALTER TABLE outbox ADD COLUMN intake_id TEXT;
CREATE INDEX outbox_by_intake ON outbox (intake_id);

-- A victim's request to one matched expert. pending → accepted | declined | withdrawn | expired;
-- accepted → completed (expert) | closed (victim closed or erased the case first).
CREATE TABLE help_requests (
    id TEXT PRIMARY KEY NOT NULL,
    intake_id TEXT NOT NULL REFERENCES intakes (id),
    expert_id TEXT NOT NULL REFERENCES experts (id),
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    responded_at TIMESTAMP,
    decline_reason TEXT,
    completed_at TIMESTAMP,
    summary TEXT,
    UNIQUE (intake_id, expert_id)
);
CREATE INDEX help_requests_by_expert ON help_requests (expert_id, created_at);
CREATE INDEX help_requests_due ON help_requests (status, expires_at);
-- The database's own guarantee: at most one request per intake ever connected it.
CREATE UNIQUE INDEX help_requests_one_connection ON help_requests (intake_id)
    WHERE status IN ('accepted', 'completed', 'closed');

-- Which first-aid steps the victim ticked done (step numbers from 1).
CREATE TABLE intake_steps (
    intake_id TEXT NOT NULL REFERENCES intakes (id),
    step INTEGER NOT NULL,
    done BOOLEAN NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (intake_id, step)
);

-- One-click links in the feedback invitation and the resilience check (hashed, one purpose each).
CREATE TABLE intake_link_tokens (
    token_hash TEXT PRIMARY KEY NOT NULL,
    intake_id TEXT NOT NULL REFERENCES intakes (id),
    purpose TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE intake_feedback (
    intake_id TEXT PRIMARY KEY NOT NULL REFERENCES intakes (id),
    helped INTEGER NOT NULL,
    resolved BOOLEAN NOT NULL,
    more_resilient BOOLEAN NOT NULL,
    comment TEXT,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE intake_resilience (
    intake_id TEXT PRIMARY KEY NOT NULL REFERENCES intakes (id),
    mfa_enabled BOOLEAN NOT NULL,
    offline_backups BOOLEAN NOT NULL,
    reported_to_police BOOLEAN NOT NULL,
    comment TEXT,
    created_at TIMESTAMP NOT NULL
);

-- A victim's complaint about its connected expert; moderation actions taken on it are linked.
CREATE TABLE complaints (
    id TEXT PRIMARY KEY NOT NULL,
    intake_id TEXT NOT NULL REFERENCES intakes (id),
    expert_id TEXT NOT NULL REFERENCES experts (id),
    reason TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX complaints_by_status ON complaints (status, created_at);
CREATE INDEX complaints_by_expert ON complaints (expert_id);

CREATE TABLE complaint_actions (
    complaint_id TEXT NOT NULL REFERENCES complaints (id),
    audit_id TEXT NOT NULL,
    PRIMARY KEY (complaint_id, audit_id)
);
