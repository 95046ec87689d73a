DROP TABLE intake_matches;
DROP TABLE intake_tokens;
DROP TABLE intakes;
