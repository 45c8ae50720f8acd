DROP TABLE data_returns;
DROP FUNCTION data_returns_refuse_locked_change();
