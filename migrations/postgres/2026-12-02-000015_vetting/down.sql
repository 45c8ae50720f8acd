DROP TABLE vetting_clearances;
