-- Back to the earlier list where a code has one earlier equivalent; codes new to the shared
-- list have none and stay as they are (the earlier build shows an unknown code as itself).
DROP INDEX episodes_site_alert;
DROP INDEX episodes_alert;

UPDATE screenings SET vulnerabilities = btrim(replace(',' || vulnerabilities || ',', ',autism,', ',neurodiversity,'), ',')
WHERE ',' || vulnerabilities || ',' LIKE '%,autism,%';
UPDATE screenings SET vulnerabilities = btrim(replace(',' || vulnerabilities || ',', ',learning-difficulty,', ',communication-needs,'), ',')
WHERE ',' || vulnerabilities || ',' LIKE '%,learning-difficulty,%';
UPDATE screenings SET vulnerabilities = btrim(replace(',' || vulnerabilities || ',', ',drug-misuse,', ',substance-misuse,'), ',')
WHERE ',' || vulnerabilities || ',' LIKE '%,drug-misuse,%';
UPDATE screenings SET vulnerabilities = btrim(replace(',' || vulnerabilities || ',', ',suicide-self-harm,', ',self-harm-suicidal-thoughts,'), ',')
WHERE ',' || vulnerabilities || ',' LIKE '%,suicide-self-harm,%';
UPDATE screenings SET vulnerabilities = btrim(replace(',' || vulnerabilities || ',', ',domestic-abuse-victim,', ',trauma-abuse,'), ',')
WHERE ',' || vulnerabilities || ',' LIKE '%,domestic-abuse-victim,%';
UPDATE screenings SET vulnerabilities = btrim(replace(',' || vulnerabilities || ',', ',accommodation,', ',housing,'), ',')
WHERE ',' || vulnerabilities || ',' LIKE '%,accommodation,%';
UPDATE screenings SET vulnerabilities = btrim(replace(',' || vulnerabilities || ',', ',parenting,', ',pregnancy-parenting,'), ',')
WHERE ',' || vulnerabilities || ',' LIKE '%,parenting,%';

UPDATE report_sections SET answers = replace(answers, '"autism"', '"neurodiversity"')
WHERE code IN ('vulnerabilities', 'health-context') AND answers LIKE '%"autism"%'
    AND (SELECT status FROM reports WHERE reports.id = report_sections.report_id) <> 'final';
UPDATE report_sections SET answers = replace(answers, '"learning-difficulty"', '"communication-needs"')
WHERE code IN ('vulnerabilities', 'health-context') AND answers LIKE '%"learning-difficulty"%'
    AND (SELECT status FROM reports WHERE reports.id = report_sections.report_id) <> 'final';
UPDATE report_sections SET answers = replace(answers, '"drug-misuse"', '"substance-misuse"')
WHERE code IN ('vulnerabilities', 'health-context') AND answers LIKE '%"drug-misuse"%'
    AND (SELECT status FROM reports WHERE reports.id = report_sections.report_id) <> 'final';
UPDATE report_sections SET answers = replace(answers, '"suicide-self-harm"', '"self-harm-suicidal-thoughts"')
WHERE code IN ('vulnerabilities', 'health-context') AND answers LIKE '%"suicide-self-harm"%'
    AND (SELECT status FROM reports WHERE reports.id = report_sections.report_id) <> 'final';
UPDATE report_sections SET answers = replace(answers, '"domestic-abuse-victim"', '"trauma-abuse"')
WHERE code IN ('vulnerabilities', 'health-context') AND answers LIKE '%"domestic-abuse-victim"%'
    AND (SELECT status FROM reports WHERE reports.id = report_sections.report_id) <> 'final';
UPDATE report_sections SET answers = replace(answers, '"accommodation"', '"housing"')
WHERE code IN ('vulnerabilities', 'health-context') AND answers LIKE '%"accommodation"%'
    AND (SELECT status FROM reports WHERE reports.id = report_sections.report_id) <> 'final';
UPDATE report_sections SET answers = replace(answers, '"parenting"', '"pregnancy-parenting"')
WHERE code IN ('vulnerabilities', 'health-context') AND answers LIKE '%"parenting"%'
    AND (SELECT status FROM reports WHERE reports.id = report_sections.report_id) <> 'final';

ALTER TABLE episodes DROP COLUMN not_seen_reason;
ALTER TABLE episodes DROP COLUMN cj_stage;
