-- The change log of everything matching reads about an expert (issue 14). Every instance keeps an
-- in-memory candidate index; it reads this log to learn which experts changed, in its own process
-- and in others, and reloads just those. Triggers write it, so no workflow can forget to.
-- AUTOINCREMENT: a sequence number is never reused, even after the oldest rows are pruned.
CREATE TABLE expert_changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    -- NULL: something every expert depends on changed (a new code of conduct): reload them all.
    expert_id TEXT,
    changed_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TRIGGER expert_changes_expert_inserted AFTER INSERT ON experts
BEGIN
    INSERT INTO expert_changes (expert_id) VALUES (NEW.id);
END;

CREATE TRIGGER expert_changes_expert_updated
AFTER UPDATE OF status, paused, company_name, kvk_number, email, base_lat, base_lon, radius_km,
    remote, languages, capacity, open_cases, available_24_7, code_of_conduct_version,
    last_referral_at ON experts
BEGIN
    INSERT INTO expert_changes (expert_id) VALUES (NEW.id);
END;

CREATE TRIGGER expert_changes_expert_deleted AFTER DELETE ON experts
BEGIN
    INSERT INTO expert_changes (expert_id) VALUES (OLD.id);
END;

CREATE TRIGGER expert_changes_expertise_inserted AFTER INSERT ON expert_expertise
BEGIN
    INSERT INTO expert_changes (expert_id) VALUES (NEW.expert_id);
END;

CREATE TRIGGER expert_changes_expertise_deleted AFTER DELETE ON expert_expertise
BEGIN
    INSERT INTO expert_changes (expert_id) VALUES (OLD.expert_id);
END;

-- Waiting requests count against an expert's capacity.
CREATE TRIGGER expert_changes_request_inserted AFTER INSERT ON help_requests
BEGIN
    INSERT INTO expert_changes (expert_id) VALUES (NEW.expert_id);
END;

CREATE TRIGGER expert_changes_request_updated AFTER UPDATE OF status ON help_requests
BEGIN
    INSERT INTO expert_changes (expert_id) VALUES (NEW.expert_id);
END;

CREATE TRIGGER expert_changes_code_of_conduct AFTER INSERT ON code_of_conduct_versions
BEGIN
    INSERT INTO expert_changes (expert_id) VALUES (NULL);
END;
