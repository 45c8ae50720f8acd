-- PostgreSQL has no REPLACE: an insert on a taken id fails on the primary key, and the
-- update and delete triggers cover the rest. Kept for the two trees' lockstep.
SELECT 1;
