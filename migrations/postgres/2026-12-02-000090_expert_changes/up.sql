-- The change log of everything matching reads about an expert (issue 14). Every instance keeps an
-- in-memory candidate index; it reads this log to learn which experts changed, in its own process
-- and in others, and reloads just those. Triggers write it, so no workflow can forget to.
CREATE TABLE expert_changes (
    seq BIGSERIAL PRIMARY KEY,
    -- NULL: something every expert depends on changed (a new code of conduct): reload them all.
    expert_id TEXT,
    changed_at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'utc')
);

CREATE FUNCTION expert_changes_by_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO expert_changes (expert_id) VALUES (OLD.id);
    ELSE
        INSERT INTO expert_changes (expert_id) VALUES (NEW.id);
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION expert_changes_by_expert_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO expert_changes (expert_id) VALUES (OLD.expert_id);
    ELSE
        INSERT INTO expert_changes (expert_id) VALUES (NEW.expert_id);
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION expert_changes_all() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO expert_changes (expert_id) VALUES (NULL);
    RETURN NULL;
END $$;

CREATE TRIGGER expert_changes_expert_written AFTER INSERT OR DELETE ON experts
    FOR EACH ROW EXECUTE FUNCTION expert_changes_by_id();

CREATE TRIGGER expert_changes_expert_updated
AFTER UPDATE OF status, paused, company_name, kvk_number, email, base_lat, base_lon, radius_km,
    remote, languages, capacity, open_cases, available_24_7, code_of_conduct_version,
    last_referral_at ON experts
    FOR EACH ROW EXECUTE FUNCTION expert_changes_by_id();

CREATE TRIGGER expert_changes_expertise_written AFTER INSERT OR DELETE ON expert_expertise
    FOR EACH ROW EXECUTE FUNCTION expert_changes_by_expert_id();

-- Waiting requests count against an expert's capacity.
CREATE TRIGGER expert_changes_request_written AFTER INSERT OR UPDATE OF status ON help_requests
    FOR EACH ROW EXECUTE FUNCTION expert_changes_by_expert_id();

CREATE TRIGGER expert_changes_code_of_conduct AFTER INSERT ON code_of_conduct_versions
    FOR EACH ROW EXECUTE FUNCTION expert_changes_all();
