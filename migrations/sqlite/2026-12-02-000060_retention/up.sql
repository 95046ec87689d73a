-- Retention (issue 12): the lifecycle job pseudonymises intakes RETENTION_DAYS after they ended
-- and drops the text of sent emails after 30 days.

-- When the intake's personal data was removed by the retention job (NULL: not yet). The claim
-- `UPDATE ... WHERE pseudonymised_at IS NULL` makes every intake count once, on any instance.
ALTER TABLE intakes ADD COLUMN pseudonymised_at TIMESTAMP;
-- The due query reads only intakes not yet pseudonymised, by status and age.
CREATE INDEX intakes_retention_due ON intakes (status, updated_at) WHERE pseudonymised_at IS NULL;
-- Case links of pseudonymised intakes are deleted some time after it.
CREATE INDEX intakes_pseudonymised ON intakes (pseudonymised_at) WHERE pseudonymised_at IS NOT NULL;

-- Sent emails whose text is still there (a dropped one has an empty recipient), by send time.
CREATE INDEX outbox_text_kept ON outbox (sent_at) WHERE recipient <> '';

-- Expired sessions and verification links, found by expiry.
CREATE INDEX sessions_by_expiry ON sessions (expires_at);
CREATE INDEX expert_verification_tokens_by_expiry ON expert_verification_tokens (expires_at);
CREATE INDEX login_throttle_by_time ON login_throttle (last_failed_at);
