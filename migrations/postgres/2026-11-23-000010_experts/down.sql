DROP TABLE login_throttle;
DROP TABLE code_of_conduct_versions;
DROP TABLE expert_verification_tokens;
DROP TABLE expert_expertise;
DROP TABLE experts;
