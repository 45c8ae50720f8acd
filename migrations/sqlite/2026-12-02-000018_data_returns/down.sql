DROP TABLE data_returns;
