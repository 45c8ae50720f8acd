ALTER TABLE sessions DROP COLUMN factor_checked_at;
DROP TABLE pending_sign_ins;
DROP TABLE recovery_codes;
DROP TABLE second_factors;
