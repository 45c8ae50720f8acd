//! The MHTR service's code lists, as `(code, label)` pairs like [`crate::domain::codes`]:
//! codes are stored and reported on, labels are what people read.

use crate::domain::codes::{AssessmentSection, CodeList};

/// Who referred the person to the MHTR team (docs/domain.md §7.3). Court L&D referrals arrive
/// inside the app; the others are entered by the practitioner with the referrer's details.
pub const REFERRAL_SOURCES: CodeList = &[
    ("court-ld", "Court liaison and diversion team (internal)"),
    ("court-probation", "Court-based probation"),
    ("primary-care-mhtr", "Primary care MHTR team"),
    ("judiciary", "Judiciary"),
    ("self", "Self-referral"),
];

/// The sections and free-text fields of the MHTR suitability assessment.
pub const ASSESSMENT_SECTIONS: &[AssessmentSection] = &[
    AssessmentSection {
        code: "presenting-needs",
        title: "Presenting needs",
        fields: &[
            ("needs", "Presenting needs"),
            ("current-support", "Current support and services involved"),
        ],
    },
    AssessmentSection {
        code: "mental-health-history",
        title: "Mental health history",
        fields: &[
            ("history", "Mental health history"),
            ("diagnoses-medication", "Diagnoses and medication"),
            ("previous-treatment", "Previous treatment and how it went"),
        ],
    },
    AssessmentSection {
        code: "risks",
        title: "Risks",
        fields: &[
            ("to-self", "Risk to self"),
            ("to-others", "Risk to others"),
            ("from-others", "Risk from others"),
        ],
    },
    AssessmentSection {
        code: "substance-use",
        title: "Substance use",
        fields: &[
            ("drugs-alcohol", "Drug and alcohol use"),
            ("substance-treatment", "Current or previous drug and alcohol treatment"),
        ],
    },
    AssessmentSection {
        code: "trauma-safeguarding",
        title: "Trauma and safeguarding",
        fields: &[
            ("trauma", "Trauma history"),
            (
                "safeguarding",
                "Safeguarding concerns, including children and domestic abuse",
            ),
        ],
    },
    AssessmentSection {
        code: "protective-factors",
        title: "Protective factors",
        fields: &[("protective-factors", "Protective factors and strengths")],
    },
    AssessmentSection {
        code: "motivation",
        title: "Motivation",
        fields: &[
            ("motivation", "Motivation to engage with treatment"),
            ("barriers", "Barriers to attending and how to overcome them"),
        ],
    },
];

/// The suitability assessment section with this code.
pub fn assessment_section(code: &str) -> Option<&'static AssessmentSection> {
    ASSESSMENT_SECTIONS.iter().find(|s| s.code == code)
}

/// The treatment proposed in the suitability report and named in the order.
pub const TREATMENT_TYPES: CodeList = &[
    (
        "primary-care-psychological-therapy",
        "Psychological therapy – primary care",
    ),
    (
        "secondary-care-coordination",
        "Care coordination – secondary care mental health team",
    ),
    ("psychiatric-treatment", "Psychiatric treatment"),
    ("other", "Other"),
];

/// How a contact with a secondary care team, Women's Centre or probation took place.
pub const CONTACT_METHODS: CodeList = &[
    ("phone", "Phone"),
    ("email", "Email"),
    ("meeting", "Meeting in person"),
    ("video", "Video call"),
];

/// Her decision about an MHTR: given or declined at consent, withdrawn later.
pub const CONSENT_DECISIONS: CodeList = &[
    ("given", "Consent given"),
    ("declined", "Consent declined"),
    ("withdrawn", "Consent withdrawn"),
];

/// What the consultant clinical psychologist decided about the proposed pathway.
pub const REVIEW_DECISIONS: CodeList = &[
    ("supported", "Supports the pathway"),
    ("not-supported", "Does not support the pathway"),
];

/// How the negotiation with secondary care ended.
pub const NEGOTIATION_OUTCOMES: CodeList = &[
    ("pathway-agreed", "Pathway agreed"),
    (
        "stepped-to-primary-care",
        "Not agreed – stepped to the primary care MHTR",
    ),
    ("signposted", "Not agreed – signposted to other support"),
];

/// What the court did at the sentencing hearing.
pub const COURT_OUTCOMES: CodeList = &[
    ("mhtr-made", "MHTR made"),
    ("other-sentence", "Another sentence"),
    ("adjourned", "Adjourned to a new date"),
];

/// The order the MHTR is attached to.
pub const ORDER_TYPES: CodeList = &[
    ("community-order", "Community order"),
    ("suspended-sentence-order", "Suspended sentence order"),
];

/// Whether a planned treatment session took place.
pub const ATTENDANCE: CodeList = &[
    ("attended", "Attended"),
    ("did-not-attend", "Did not attend"),
    ("cancelled-by-service", "Cancelled by the service"),
    ("cancelled-by-person", "Cancelled by the person"),
];

/// Compliance events during an order (docs/domain.md §7.12).
pub const COMPLIANCE_EVENTS: CodeList = &[
    (
        "non-attendance-reported",
        "Non-attendance reported to the responsible officer",
    ),
    ("warning", "Warning given"),
    ("breach-referred", "Referred for breach"),
    ("variation-requested", "Variation of the order requested"),
    ("revocation-requested", "Revocation of the order requested"),
];

/// Who an outreach or awareness session was for.
pub const OUTREACH_AUDIENCES: CodeList = &[
    ("secondary-care-clinicians", "Secondary care clinicians"),
    ("judiciary", "Judiciary"),
    ("probation", "Probation"),
    ("other", "Other"),
];

/// A scored outcome measure, recorded at the start and end of treatment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OutcomeMeasure {
    pub code: &'static str,
    pub name: &'static str,
    /// The lowest and highest possible total scores.
    pub min: i32,
    pub max: i32,
}

/// Every outcome measure a deployment may choose from (setting `mhtr_outcome_measures`), with
/// the published range of its total score.
pub const OUTCOME_MEASURES: &[OutcomeMeasure] = &[
    OutcomeMeasure {
        code: "core-10",
        name: "CORE-10",
        min: 0,
        max: 40,
    },
    OutcomeMeasure {
        code: "wemwbs",
        name: "WEMWBS",
        min: 14,
        max: 70,
    },
    OutcomeMeasure {
        code: "swemwbs",
        name: "SWEMWBS",
        min: 7,
        max: 35,
    },
    OutcomeMeasure {
        code: "phq-9",
        name: "PHQ-9",
        min: 0,
        max: 27,
    },
    OutcomeMeasure {
        code: "gad-7",
        name: "GAD-7",
        min: 0,
        max: 21,
    },
];

/// The measures a deployment records unless configured otherwise.
pub const DEFAULT_MEASURES: [&str; 2] = ["core-10", "wemwbs"];

/// The outcome measure with this code.
pub fn outcome_measure(code: &str) -> Option<&'static OutcomeMeasure> {
    OUTCOME_MEASURES.iter().find(|m| m.code == code)
}

/// The measures with these codes, in the order given; unknown codes are skipped (the
/// configuration is checked at start, so there are none in a running service).
pub fn measures_in_use(codes: &[String]) -> Vec<&'static OutcomeMeasure> {
    codes.iter().filter_map(|c| outcome_measure(c)).collect()
}

/// Why `score` cannot be a total for `measure`, or `None` when it can.
pub fn score_problem(measure: &OutcomeMeasure, score: i32) -> Option<String> {
    (score < measure.min || score > measure.max).then(|| {
        format!(
            "{} score must be between {} and {}",
            measure.name, measure.min, measure.max
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::codes::label_of;
    use proptest::prelude::*;

    const ALL_LISTS: &[(&str, CodeList)] = &[
        ("REFERRAL_SOURCES", REFERRAL_SOURCES),
        ("TREATMENT_TYPES", TREATMENT_TYPES),
        ("CONTACT_METHODS", CONTACT_METHODS),
        ("NEGOTIATION_OUTCOMES", NEGOTIATION_OUTCOMES),
        ("COURT_OUTCOMES", COURT_OUTCOMES),
        ("ORDER_TYPES", ORDER_TYPES),
        ("ATTENDANCE", ATTENDANCE),
        ("COMPLIANCE_EVENTS", COMPLIANCE_EVENTS),
        ("OUTREACH_AUDIENCES", OUTREACH_AUDIENCES),
        ("EXIT_REASONS", super::super::EXIT_REASONS),
        ("ELIGIBILITY_OUTCOMES", super::super::ELIGIBILITY_OUTCOMES),
        ("DEADLINE_KINDS", super::super::DEADLINE_KINDS),
        ("PLEAS", super::super::PLEAS),
        ("GP_STATUSES", super::super::GP_STATUSES),
    ];

    /// Non-empty, kebab-case codes that appear once, and non-empty labels.
    fn assert_well_formed(name: &str, list: &[(&str, &str)]) {
        assert!(!list.is_empty(), "{name} is empty");
        for (i, (code, label)) in list.iter().enumerate() {
            assert!(!code.is_empty() && !label.trim().is_empty(), "{name}: blank entry");
            assert!(
                code.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{name}: {code:?} is not kebab-case"
            );
            assert!(!code.starts_with('-') && !code.ends_with('-'), "{name}: {code:?}");
            assert!(
                list[i + 1..].iter().all(|(other, _)| other != code),
                "{name}: {code} appears twice"
            );
        }
    }

    #[test]
    fn every_list_is_well_formed() {
        for (name, list) in ALL_LISTS {
            assert_well_formed(name, list);
        }
    }

    #[test]
    fn lists_hold_what_the_service_records() {
        let codes = |list: CodeList| list.iter().map(|(code, _)| *code).collect::<Vec<_>>();
        assert_eq!(
            codes(REFERRAL_SOURCES),
            ["court-ld", "court-probation", "primary-care-mhtr", "judiciary", "self"]
        );
        assert_eq!(codes(COURT_OUTCOMES), ["mhtr-made", "other-sentence", "adjourned"]);
        assert_eq!(codes(ORDER_TYPES), ["community-order", "suspended-sentence-order"]);
        assert_eq!(
            codes(ATTENDANCE),
            [
                "attended",
                "did-not-attend",
                "cancelled-by-service",
                "cancelled-by-person"
            ]
        );
        assert_eq!(
            codes(COMPLIANCE_EVENTS),
            [
                "non-attendance-reported",
                "warning",
                "breach-referred",
                "variation-requested",
                "revocation-requested"
            ]
        );
        assert_eq!(codes(CONTACT_METHODS), ["phone", "email", "meeting", "video"]);
        assert_eq!(
            codes(NEGOTIATION_OUTCOMES),
            ["pathway-agreed", "stepped-to-primary-care", "signposted"]
        );
        assert_eq!(TREATMENT_TYPES.len(), 4);
        assert_eq!(OUTREACH_AUDIENCES.len(), 4);
        assert_eq!(
            label_of(REFERRAL_SOURCES, "court-ld"),
            Some("Court liaison and diversion team (internal)")
        );
        assert_eq!(label_of(COURT_OUTCOMES, "MHTR-made"), None);
    }

    #[test]
    fn assessment_sections_follow_the_issue_with_one_to_three_fields_each() {
        let titles: Vec<&str> = ASSESSMENT_SECTIONS.iter().map(|s| s.title).collect();
        assert_eq!(
            titles,
            [
                "Presenting needs",
                "Mental health history",
                "Risks",
                "Substance use",
                "Trauma and safeguarding",
                "Protective factors",
                "Motivation"
            ]
        );
        let sections: Vec<(&str, &str)> = ASSESSMENT_SECTIONS.iter().map(|s| (s.code, s.title)).collect();
        assert_well_formed("ASSESSMENT_SECTIONS", &sections);
        for section in ASSESSMENT_SECTIONS {
            assert!((1..=3).contains(&section.fields.len()), "{}", section.code);
            assert_well_formed(section.code, section.fields);
        }
        let risks = assessment_section("risks").unwrap();
        assert_eq!(risks.field_label("from-others"), Some("Risk from others"));
        assert!(assessment_section("mental-state-examination").is_none());
    }

    #[test]
    fn outcome_measures_have_their_published_ranges() {
        let core = outcome_measure("core-10").unwrap();
        assert_eq!((core.name, core.min, core.max), ("CORE-10", 0, 40));
        let wemwbs = outcome_measure("wemwbs").unwrap();
        assert_eq!((wemwbs.name, wemwbs.min, wemwbs.max), ("WEMWBS", 14, 70));
        assert!(outcome_measure("phq-10").is_none());
        let chosen = measures_in_use(&["gad-7".into(), "nope".into(), "core-10".into()]);
        assert_eq!(chosen.iter().map(|m| m.name).collect::<Vec<_>>(), ["GAD-7", "CORE-10"]);
        let measures: Vec<(&str, &str)> = OUTCOME_MEASURES.iter().map(|m| (m.code, m.name)).collect();
        assert_well_formed("OUTCOME_MEASURES", &measures);
    }

    #[test]
    fn scores_outside_the_range_are_explained() {
        let core = outcome_measure("core-10").unwrap();
        assert_eq!(score_problem(core, 0), None);
        assert_eq!(score_problem(core, 40), None);
        assert_eq!(
            score_problem(core, 41).as_deref(),
            Some("CORE-10 score must be between 0 and 40")
        );
        assert!(score_problem(core, -1).is_some());
        let wemwbs = outcome_measure("wemwbs").unwrap();
        assert_eq!(
            score_problem(wemwbs, 13).as_deref(),
            Some("WEMWBS score must be between 14 and 70")
        );
        assert_eq!(score_problem(wemwbs, 14), None);
        assert_eq!(score_problem(wemwbs, 70), None);
        assert!(score_problem(wemwbs, 71).is_some());
    }

    proptest! {
        #[test]
        fn a_score_is_accepted_exactly_when_it_is_in_range(index in 0..OUTCOME_MEASURES.len(), score in -200i32..200) {
            let measure = &OUTCOME_MEASURES[index];
            prop_assert_eq!(score_problem(measure, score).is_none(), (measure.min..=measure.max).contains(&score));
        }
    }
}
