DROP TABLE mhtr_case_events;
DROP TABLE mhtr_cases;
