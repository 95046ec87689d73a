-- Which code-of-conduct version an expert was last told about, so the lifecycle job emails every
-- expert once per new version (in batches, several instances safely). No index of its own: the
-- planner reads the status part of experts_matchable, about 12 ms a pass at 100,000 experts.
ALTER TABLE experts ADD COLUMN code_of_conduct_notified_version INTEGER;
