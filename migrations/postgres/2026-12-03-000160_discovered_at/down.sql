ALTER TABLE intakes DROP COLUMN discovered_at;
