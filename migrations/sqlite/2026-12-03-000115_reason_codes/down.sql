-- The codes stay codes: the sentences they came from are not written back.
DROP TABLE data_steps;
ALTER TABLE intake_matches RENAME COLUMN reason_codes TO reasons;
