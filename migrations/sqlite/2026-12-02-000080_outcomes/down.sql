DROP TABLE resilience_answers;
ALTER TABLE intake_feedback DROP COLUMN offered_paid_services;
