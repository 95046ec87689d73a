DROP INDEX help_requests_pending_by_expert;
DROP TABLE moderator_alerts;
DROP INDEX outbox_by_recipient;
ALTER TABLE outbox DROP COLUMN recipient_hash;
