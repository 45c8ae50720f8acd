DROP TABLE person_merge_moves;
DROP TABLE person_merges;
ALTER TABLE people DROP COLUMN merged_into;
