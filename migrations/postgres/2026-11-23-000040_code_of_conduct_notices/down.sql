ALTER TABLE experts DROP COLUMN code_of_conduct_notified_version;
