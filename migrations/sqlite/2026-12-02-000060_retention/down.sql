DROP INDEX login_throttle_by_time;
DROP INDEX expert_verification_tokens_by_expiry;
DROP INDEX sessions_by_expiry;
DROP INDEX outbox_text_kept;
DROP INDEX intakes_pseudonymised;
DROP INDEX intakes_retention_due;
ALTER TABLE intakes DROP COLUMN pseudonymised_at;
