-- When the victim discovered the incident (issue 16): the start of legal and practical clocks such
-- as the 72-hour notification of a data breach to the Autoriteit Persoonsgegevens (AVG art. 33).
-- The deadlines themselves are computed from it, never stored. Intakes from before this column
-- keep NULL and are read as discovered when they were reported (`created_at`).
ALTER TABLE intakes ADD COLUMN discovered_at TIMESTAMP;
