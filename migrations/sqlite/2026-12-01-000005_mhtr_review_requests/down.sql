DROP TABLE mhtr_review_requests;
