-- What a commissioner return needs from every episode, captured in the existing journeys
-- (RETURNS-AND-DASHBOARDS.md; issue 14): the criminal justice stage when L&D was alerted,
-- and why an episode closed before anyone saw the person. The reason stays NULL on an open or
-- a screened episode.
ALTER TABLE episodes ADD COLUMN cj_stage TEXT;
ALTER TABLE episodes ADD COLUMN not_seen_reason TEXT;

-- Existing episodes take the stage a site of their kind starts from (codes::default_cj_stage).
UPDATE episodes SET cj_stage = CASE (SELECT kind FROM sites WHERE sites.id = episodes.site_id)
    WHEN 'custody-suite' THEN 'pre-charge'
    WHEN 'voluntary-attendance' THEN 'pre-charge'
    ELSE 'post-charge-pre-plea'
END;

-- Episodes closed before screening started: the reason from how they closed.
UPDATE episodes SET not_seen_reason = CASE closure_outcome
    WHEN 'released-before-seen' THEN 'released-before-seen'
    WHEN 'declined' THEN 'declined'
    WHEN 'unable-to-engage' THEN 'unfit-or-intoxicated'
    WHEN 'transferred-to-another-ld-team' THEN 'transferred'
    WHEN 'transferred-to-court' THEN 'transferred'
    ELSE 'other'
END
WHERE closed_at IS NOT NULL AND screening_started_at IS NULL;

-- Vulnerabilities move to the shared list (codes::VULNERABILITIES). On screenings they are
-- stored comma-separated: each earlier code becomes its new one, and 'charge-related-risk'
-- (a risk, not a vulnerability) goes.
UPDATE screenings SET vulnerabilities = btrim(replace(',' || vulnerabilities || ',', ',neurodiversity,', ',autism,'), ',')
WHERE ',' || vulnerabilities || ',' LIKE '%,neurodiversity,%';
UPDATE screenings SET vulnerabilities = btrim(replace(',' || vulnerabilities || ',', ',communication-needs,', ',learning-difficulty,'), ',')
WHERE ',' || vulnerabilities || ',' LIKE '%,communication-needs,%';
UPDATE screenings SET vulnerabilities = btrim(replace(',' || vulnerabilities || ',', ',substance-misuse,', ',drug-misuse,'), ',')
WHERE ',' || vulnerabilities || ',' LIKE '%,substance-misuse,%';
UPDATE screenings SET vulnerabilities = btrim(replace(',' || vulnerabilities || ',', ',self-harm-suicidal-thoughts,', ',suicide-self-harm,'), ',')
WHERE ',' || vulnerabilities || ',' LIKE '%,self-harm-suicidal-thoughts,%';
UPDATE screenings SET vulnerabilities = btrim(replace(',' || vulnerabilities || ',', ',trauma-abuse,', ',domestic-abuse-victim,'), ',')
WHERE ',' || vulnerabilities || ',' LIKE '%,trauma-abuse,%';
UPDATE screenings SET vulnerabilities = btrim(replace(',' || vulnerabilities || ',', ',housing,', ',accommodation,'), ',')
WHERE ',' || vulnerabilities || ',' LIKE '%,housing,%';
UPDATE screenings SET vulnerabilities = btrim(replace(',' || vulnerabilities || ',', ',pregnancy-parenting,', ',parenting,'), ',')
WHERE ',' || vulnerabilities || ',' LIKE '%,pregnancy-parenting,%';
UPDATE screenings SET vulnerabilities = btrim(replace(',' || vulnerabilities || ',', ',charge-related-risk,', ','), ',')
WHERE ',' || vulnerabilities || ',' LIKE '%,charge-related-risk,%';

-- Report answers tick the same list (the custody summary's 'vulnerabilities' and the CPS
-- information's 'health-context', JSON). A draft moves with the screenings; a final report is
-- what was sent and stays as it was (its triggers refuse any change), its earlier codes still
-- read by their labels (codes::RETIRED_VULNERABILITIES).
UPDATE report_sections SET answers = replace(answers, '"neurodiversity"', '"autism"')
WHERE code IN ('vulnerabilities', 'health-context') AND answers LIKE '%"neurodiversity"%'
    AND (SELECT status FROM reports WHERE reports.id = report_sections.report_id) <> 'final';
UPDATE report_sections SET answers = replace(answers, '"communication-needs"', '"learning-difficulty"')
WHERE code IN ('vulnerabilities', 'health-context') AND answers LIKE '%"communication-needs"%'
    AND (SELECT status FROM reports WHERE reports.id = report_sections.report_id) <> 'final';
UPDATE report_sections SET answers = replace(answers, '"substance-misuse"', '"drug-misuse"')
WHERE code IN ('vulnerabilities', 'health-context') AND answers LIKE '%"substance-misuse"%'
    AND (SELECT status FROM reports WHERE reports.id = report_sections.report_id) <> 'final';
UPDATE report_sections SET answers = replace(answers, '"self-harm-suicidal-thoughts"', '"suicide-self-harm"')
WHERE code IN ('vulnerabilities', 'health-context') AND answers LIKE '%"self-harm-suicidal-thoughts"%'
    AND (SELECT status FROM reports WHERE reports.id = report_sections.report_id) <> 'final';
UPDATE report_sections SET answers = replace(answers, '"trauma-abuse"', '"domestic-abuse-victim"')
WHERE code IN ('vulnerabilities', 'health-context') AND answers LIKE '%"trauma-abuse"%'
    AND (SELECT status FROM reports WHERE reports.id = report_sections.report_id) <> 'final';
UPDATE report_sections SET answers = replace(answers, '"housing"', '"accommodation"')
WHERE code IN ('vulnerabilities', 'health-context') AND answers LIKE '%"housing"%'
    AND (SELECT status FROM reports WHERE reports.id = report_sections.report_id) <> 'final';
UPDATE report_sections SET answers = replace(answers, '"pregnancy-parenting"', '"parenting"')
WHERE code IN ('vulnerabilities', 'health-context') AND answers LIKE '%"pregnancy-parenting"%'
    AND (SELECT status FROM reports WHERE reports.id = report_sections.report_id) <> 'final';
UPDATE report_sections SET answers = replace(answers, '"charge-related-risk",', '')
WHERE code IN ('vulnerabilities', 'health-context') AND answers LIKE '%"charge-related-risk",%'
    AND (SELECT status FROM reports WHERE reports.id = report_sections.report_id) <> 'final';
UPDATE report_sections SET answers = replace(answers, ',"charge-related-risk"', '')
WHERE code IN ('vulnerabilities', 'health-context') AND answers LIKE '%,"charge-related-risk"%'
    AND (SELECT status FROM reports WHERE reports.id = report_sections.report_id) <> 'final';
UPDATE report_sections SET answers = replace(answers, '"charge-related-risk"', '')
WHERE code IN ('vulnerabilities', 'health-context') AND answers LIKE '%"charge-related-risk"%'
    AND (SELECT status FROM reports WHERE reports.id = report_sections.report_id) <> 'final';

-- Dashboards read a period by alert time, across sites and at one site.
CREATE INDEX episodes_alert ON episodes(alert_at);
CREATE INDEX episodes_site_alert ON episodes(site_id, alert_at);
