DROP TABLE mhtr_outreach;
