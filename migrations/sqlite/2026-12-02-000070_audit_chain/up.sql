-- A hash chain over the audit log (see README "Audit log integrity"). `seq` is assigned under a
-- lock as max(seq)+1; `hash` = SHA-256(prev_hash || canonical entry). Entries written before
-- this migration keep all three NULL: together they form the chain's genesis, folded into the
-- `prev_hash` of the first chained entry. No UPDATE is needed, so the append-only triggers stay.
ALTER TABLE audit_log ADD COLUMN seq BIGINT;
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;
CREATE UNIQUE INDEX audit_log_by_seq ON audit_log (seq);
