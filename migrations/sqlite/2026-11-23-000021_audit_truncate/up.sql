-- SQLite has no TRUNCATE (a DELETE without WHERE is already refused by audit_log_no_delete);
-- this version exists so both backends share the same migration versions.
SELECT 1;
