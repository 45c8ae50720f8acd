//! Code lists for selects, checkboxes and radios, as `(code, label)` pairs. Codes are what we
//! store and report on; national codes (NHS Data Dictionary / MHSDS, docs/domain.md §9) are used
//! where one exists so that returns need no translation. Labels are what people read.

mod assessment;

pub use assessment::{ASSESSMENT_SECTIONS, AssessmentSection, assessment_section};

use crate::domain::measures::NONE_IDENTIFIED;

/// A code list: `(code, label)` in the order to show them.
pub type CodeList = &'static [(&'static str, &'static str)];

/// The label for a code, or `None` when the code is not in the list.
pub fn label_of<'a>(list: &'a [(&'a str, &'a str)], code: &str) -> Option<&'a str> {
    list.iter().find(|(c, _)| *c == code).map(|(_, label)| *label)
}

/// Where a practitioner works (points of operation).
pub const SITE_KINDS: CodeList = &[
    ("custody-suite", "Police custody suite"),
    ("voluntary-attendance", "Voluntary attendance at a police station"),
    ("magistrates-court", "Magistrates' court"),
    ("youth-court", "Youth court"),
    ("crown-court", "Crown Court"),
    ("probation", "Probation office"),
    ("youth-offending-team", "Youth offending team"),
    ("community", "Community or other"),
];

/// Where L&D met the person (RETURNS-AND-DASHBOARDS.md, local codes). Derived from the site's
/// kind and the voluntary-attendance flag by [`point_of_contact`].
pub const POINTS_OF_CONTACT: CodeList = &[
    ("police-custody", "Police custody"),
    ("voluntary-attendance", "Voluntary attendance"),
    ("magistrates-court", "Magistrates' court"),
    ("youth-court", "Youth court"),
    ("crown-court", "Crown Court"),
    ("probation", "Probation"),
    ("youth-offending-team", "Youth offending team"),
    ("community-other", "Community or other"),
];

/// The point of contact for an episode at a site of this kind.
pub fn point_of_contact(site_kind: &str, voluntary_attendance: bool) -> &'static str {
    match site_kind {
        _ if voluntary_attendance => "voluntary-attendance",
        "custody-suite" => "police-custody",
        "voluntary-attendance" => "voluntary-attendance",
        "magistrates-court" => "magistrates-court",
        "youth-court" => "youth-court",
        "crown-court" => "crown-court",
        "probation" => "probation",
        "youth-offending-team" => "youth-offending-team",
        _ => "community-other",
    }
}

/// Where the person is in the criminal justice process when L&D is alerted.
pub const CJ_STAGES: CodeList = &[
    ("pre-charge", "Pre-charge"),
    ("post-charge-pre-plea", "Charged, before plea"),
    ("post-plea-pre-sentence", "After plea, before sentence"),
    ("sentenced", "Sentenced"),
];

/// The stage to offer first at a site of this kind: custody is before charge, court after.
pub fn default_cj_stage(site_kind: &str) -> &'static str {
    match site_kind {
        "custody-suite" | "voluntary-attendance" | "community" => "pre-charge",
        // Probation meets people for the pre-sentence report.
        "probation" => "post-plea-pre-sentence",
        _ => "post-charge-pre-plea",
    }
}

/// Why an episode closed before anyone screened the person.
pub const NOT_SEEN_REASONS: CodeList = &[
    ("released-before-seen", "Released before seen"),
    ("unfit-or-intoxicated", "Unfit or intoxicated (review later)"),
    ("declined", "Declined"),
    ("transferred", "Transferred"),
    ("no-cover", "No cover or out of hours"),
    ("already-known", "Already known, no L&D need"),
    ("insufficient-information", "Insufficient information"),
    ("other", "Other"),
];

/// Vulnerabilities recorded at screening (multi-select), the shared list of
/// RETURNS-AND-DASHBOARDS.md. "None identified" is last and is ticked on its own.
pub const VULNERABILITIES: CodeList = &[
    ("mental-health", "Mental health"),
    ("learning-disability", "Learning disability"),
    ("learning-difficulty", "Learning difficulty"),
    ("autism", "Autism"),
    ("adhd", "ADHD"),
    ("drug-misuse", "Drug misuse"),
    ("alcohol-misuse", "Alcohol misuse"),
    ("suicide-self-harm", "Suicide or self-harm risk"),
    ("physical-health", "Physical health"),
    ("acquired-brain-injury", "Acquired brain injury"),
    ("accommodation", "Accommodation"),
    ("finance-debt", "Finance or debt"),
    ("education-training-employment", "Education, training or employment"),
    ("domestic-abuse-victim", "Domestic abuse (victim)"),
    ("domestic-abuse-perpetrator", "Domestic abuse (perpetrator)"),
    ("sexual-exploitation", "Sexual exploitation"),
    ("modern-slavery-trafficking", "Modern slavery or trafficking"),
    ("gangs-county-lines", "Gangs or county lines"),
    ("veteran", "Veteran"),
    ("care-leaver", "Care leaver"),
    ("parenting", "Parenting responsibilities"),
    ("bereavement", "Bereavement"),
    (NONE_IDENTIFIED, "None identified"),
];

/// Codes of the earlier vulnerability list, kept only so that a final report that ticked them
/// (sent, so never rewritten) still reads in words. Screenings and drafts were moved to
/// [`VULNERABILITIES`] by the migration `return_fields`.
pub const RETIRED_VULNERABILITIES: CodeList = &[
    ("neurodiversity", "Autism, ADHD or other neurodiversity"),
    ("communication-needs", "Speech, language and communication needs"),
    ("substance-misuse", "Substance misuse (drugs)"),
    ("self-harm-suicidal-thoughts", "Self-harm or suicidal thoughts"),
    ("trauma-abuse", "Trauma, including domestic or sexual abuse"),
    ("housing", "Housing problems or no fixed abode"),
    ("pregnancy-parenting", "Pregnancy or parenting"),
    ("charge-related-risk", "Risk linked to the charge"),
];

/// Who raised the concern. Two-character codes are MHSDS source of referral codes (P1 is
/// "internal referral", used for L&D's own check of the custody list); the three-letter
/// codes are local, for sources the national list does not have, and cannot collide with it.
pub const REFERRAL_SOURCES: CodeList = &[
    ("E1", "Police or custody staff"),
    ("E2", "Court"),
    ("E3", "Probation"),
    ("E4", "Prison"),
    ("E5", "Court liaison and diversion service"),
    ("E6", "Youth offending team"),
    ("A1", "GP"),
    ("B1", "Self-referral"),
    ("B2", "Carer or relative"),
    ("C1", "Social services"),
    ("CPS", "Crown Prosecution Service"),
    ("DEF", "Defence solicitor"),
    ("ESC", "Escort service"),
    ("P1", "L&D proactive identification"),
];

/// NHS Data Dictionary ethnic category.
pub const ETHNIC_CATEGORIES: CodeList = &[
    ("A", "White – British"),
    ("B", "White – Irish"),
    ("C", "White – Any other White background"),
    ("D", "Mixed – White and Black Caribbean"),
    ("E", "Mixed – White and Black African"),
    ("F", "Mixed – White and Asian"),
    ("G", "Mixed – Any other mixed background"),
    ("H", "Asian or Asian British – Indian"),
    ("J", "Asian or Asian British – Pakistani"),
    ("K", "Asian or Asian British – Bangladeshi"),
    ("L", "Asian or Asian British – Any other Asian background"),
    ("M", "Black or Black British – Caribbean"),
    ("N", "Black or Black British – African"),
    ("P", "Black or Black British – Any other Black background"),
    ("R", "Other ethnic groups – Chinese"),
    ("S", "Other ethnic groups – Any other ethnic group"),
    ("Z", "Not stated"),
    ("99", "Not known"),
];

/// The groups the equality tables use, in order (RETURNS-AND-DASHBOARDS.md).
pub const ETHNIC_GROUPS: [&str; 7] = [
    "White",
    "Mixed",
    "Asian or Asian British",
    "Black or Black British",
    "Other",
    "Not stated",
    "Not known",
];

/// The equality group of an ethnic category; unrecorded is "Not known".
pub fn ethnic_group(category: Option<&str>) -> &'static str {
    match category.unwrap_or("99") {
        "A" | "B" | "C" => "White",
        "D" | "E" | "F" | "G" => "Mixed",
        "H" | "J" | "K" | "L" => "Asian or Asian British",
        "M" | "N" | "P" => "Black or Black British",
        "R" | "S" => "Other",
        "Z" => "Not stated",
        _ => "Not known",
    }
}

/// NHS Data Dictionary gender identity code. Recorded separately from [`SEX`].
pub const GENDER_IDENTITY: CodeList = &[
    ("1", "Male"),
    ("2", "Female"),
    ("3", "Non-binary"),
    ("4", "Other (not listed)"),
    ("X", "Not known"),
    ("Z", "Not stated"),
];

/// Sex as stated by the person.
pub const SEX: CodeList = &[("M", "Male"), ("F", "Female"), ("X", "Not known"), ("Z", "Not stated")];

/// How a screening ended.
pub const SCREENING_OUTCOMES: CodeList = &[
    ("no-further-action", "No further action"),
    ("signposted", "Signposted to other support"),
    ("full-assessment-needed", "Full assessment needed"),
    ("unable-to-engage", "Unable to engage, for example intoxicated"),
    ("declined", "Declined"),
    ("released-before-seen", "Released before seen"),
];

/// Why an episode was closed.
pub const CLOSURE_OUTCOMES: CodeList = &[
    ("care-pathway-complete", "Care pathway complete"),
    ("referred-on", "Referred on to other services"),
    ("no-further-action", "No further action"),
    ("declined", "Declined"),
    ("unable-to-engage", "Unable to engage"),
    ("released-before-seen", "Released before seen"),
    ("transferred-to-another-ld-team", "Transferred to another L&D team"),
    ("transferred-to-court", "Transferred to court"),
    ("other", "Other"),
];

/// Who acted as appropriate adult for an under-18 (PACE Code C).
pub const APPROPRIATE_ADULT_RELATIONSHIPS: CodeList = &[
    ("parent", "Parent"),
    ("guardian", "Guardian"),
    ("social-worker", "Social worker"),
    ("yot", "Youth offending team worker"),
    ("other", "Other responsible adult"),
];

pub const RISK_LEVELS: CodeList = &[("low", "Low"), ("medium", "Medium"), ("high", "High")];

#[cfg(test)]
mod tests {
    use super::*;

    const ALL_LISTS: &[(&str, CodeList)] = &[
        ("SITE_KINDS", SITE_KINDS),
        ("POINTS_OF_CONTACT", POINTS_OF_CONTACT),
        ("CJ_STAGES", CJ_STAGES),
        ("NOT_SEEN_REASONS", NOT_SEEN_REASONS),
        ("VULNERABILITIES", VULNERABILITIES),
        ("RETIRED_VULNERABILITIES", RETIRED_VULNERABILITIES),
        ("REFERRAL_SOURCES", REFERRAL_SOURCES),
        ("ETHNIC_CATEGORIES", ETHNIC_CATEGORIES),
        ("GENDER_IDENTITY", GENDER_IDENTITY),
        ("SEX", SEX),
        ("SCREENING_OUTCOMES", SCREENING_OUTCOMES),
        ("CLOSURE_OUTCOMES", CLOSURE_OUTCOMES),
        ("APPROPRIATE_ADULT_RELATIONSHIPS", APPROPRIATE_ADULT_RELATIONSHIPS),
        ("RISK_LEVELS", RISK_LEVELS),
    ];

    pub(super) fn assert_unique_codes(name: &str, list: &[(&str, &str)]) {
        for (i, (code, label)) in list.iter().enumerate() {
            assert!(!code.is_empty() && !label.is_empty(), "{name}: blank entry");
            assert_eq!(code.trim(), *code, "{name}: {code:?} has spaces");
            assert!(
                list[i + 1..].iter().all(|(other, _)| other != code),
                "{name}: {code} appears twice"
            );
        }
    }

    #[test]
    fn codes_are_unique_within_each_list() {
        for (name, list) in ALL_LISTS {
            assert_unique_codes(name, list);
        }
    }

    #[test]
    fn every_site_kind_has_its_point_of_contact_and_stage() {
        for (kind, _) in SITE_KINDS {
            let point = point_of_contact(kind, false);
            assert!(label_of(POINTS_OF_CONTACT, point).is_some(), "{kind}");
            assert_eq!(point == "community-other", *kind == "community", "{kind}");
            assert!(label_of(CJ_STAGES, default_cj_stage(kind)).is_some(), "{kind}");
        }
        assert_eq!(point_of_contact("custody-suite", true), "voluntary-attendance");
        assert_eq!(default_cj_stage("custody-suite"), "pre-charge");
        assert_eq!(default_cj_stage("crown-court"), "post-charge-pre-plea");
    }

    #[test]
    fn every_ethnic_category_falls_in_a_listed_group() {
        for (code, label) in ETHNIC_CATEGORIES {
            let group = ethnic_group(Some(code));
            assert!(ETHNIC_GROUPS.contains(&group), "{code}");
            let stem = label.split(" – ").next().unwrap();
            assert!(
                stem.starts_with(group.split(' ').next().unwrap()) || group.starts_with("Not") || group == "Other",
                "{code}: {label} in {group}"
            );
        }
        assert_eq!(ethnic_group(None), "Not known");
    }

    #[test]
    fn lists_have_the_expected_sizes() {
        assert_eq!(VULNERABILITIES.len(), 23);
        assert_eq!(ETHNIC_CATEGORIES.len(), 18);
        assert_eq!(REFERRAL_SOURCES.len(), 14);
        assert_eq!(GENDER_IDENTITY.len(), 6);
    }

    #[test]
    fn none_identified_ends_the_vulnerabilities_and_retired_codes_are_not_reused() {
        assert_eq!(VULNERABILITIES.last().map(|(c, _)| *c), Some(NONE_IDENTIFIED));
        assert_eq!(label_of(VULNERABILITIES, "none-identified"), Some("None identified"));
        for (code, _) in RETIRED_VULNERABILITIES {
            assert!(label_of(VULNERABILITIES, code).is_none(), "{code} is retired");
        }
        for (code, _) in VULNERABILITIES {
            assert!(
                code.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{code} is kebab-case"
            );
        }
    }

    #[test]
    fn label_of_finds_labels_and_refuses_unknown_codes() {
        assert_eq!(label_of(REFERRAL_SOURCES, "E1"), Some("Police or custody staff"));
        assert_eq!(label_of(ETHNIC_CATEGORIES, "99"), Some("Not known"));
        assert_eq!(label_of(SITE_KINDS, "youth-court"), Some("Youth court"));
        assert_eq!(label_of(SITE_KINDS, "Youth-Court"), None);
        assert_eq!(label_of(RISK_LEVELS, ""), None);
    }
}
