DROP TRIGGER expert_changes_code_of_conduct ON code_of_conduct_versions;
DROP TRIGGER expert_changes_request_written ON help_requests;
DROP TRIGGER expert_changes_expertise_written ON expert_expertise;
DROP TRIGGER expert_changes_expert_updated ON experts;
DROP TRIGGER expert_changes_expert_written ON experts;
DROP FUNCTION expert_changes_all();
DROP FUNCTION expert_changes_by_expert_id();
DROP FUNCTION expert_changes_by_id();
DROP TABLE expert_changes;
