-- Caps that keep the platform from being turned into a mail cannon (issue 11).

-- Who an email is for, as the SHA-256 of the lower-cased address: the "intake received" cap
-- (3 per address per 24 hours) counts by it without parsing `recipient`, and it can stay for the
-- audit when bodies and addresses are blanked. Older rows have none and count for nobody.
ALTER TABLE outbox ADD COLUMN recipient_hash TEXT;
CREATE INDEX outbox_by_recipient ON outbox (recipient_hash, template, created_at);

-- Moderator alerts, one row per recipient: the first in a 15-minute window is emailed at once
-- (sent_at set when queued); the ones after it wait here (sent_at NULL) for one digest email.
CREATE TABLE moderator_alerts (
    id TEXT PRIMARY KEY NOT NULL,
    recipient TEXT NOT NULL,
    template TEXT NOT NULL,
    subject TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP
);
CREATE INDEX moderator_alerts_by_recipient ON moderator_alerts (recipient, sent_at);
CREATE INDEX moderator_alerts_waiting ON moderator_alerts (sent_at, recipient);

-- Pending help requests count toward an expert's capacity; matching counts them per candidate.
CREATE INDEX help_requests_pending_by_expert ON help_requests (expert_id) WHERE status = 'pending';
