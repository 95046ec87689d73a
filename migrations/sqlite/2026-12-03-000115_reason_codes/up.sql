-- Match reasons are stored as codes with parameters, no longer as finished sentences (issue 15):
-- `[{"code":"distance","km":12,"place":"Bergen op Zoom"}, {"code":"speaks","language":"nl"}]`.
-- The column says so by its name. Its old rows hold Dutch or English sentences, which SQL cannot
-- read back portably; the one-time data step `reason_codes` (src/db/data_steps.rs) turns them into
-- codes at the next start and records itself in `data_steps`, so it runs once. Audit entries
-- written before keep their sentences: the log is hash-chained and is never rewritten.
ALTER TABLE intake_matches RENAME COLUMN reasons TO reason_codes;

-- One-time data steps done in Rust after the migrations, by name.
CREATE TABLE data_steps (
    name TEXT PRIMARY KEY NOT NULL,
    ran_at TIMESTAMP NOT NULL
);
