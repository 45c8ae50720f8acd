//! The sections and free-text fields of a full L&D assessment (docs/domain.md §3.5): mental
//! state examination, risk and background history, then formulation and care pathway.

/// One section of the assessment form, with its fields as `(code, label)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AssessmentSection {
    pub code: &'static str,
    pub title: &'static str,
    pub fields: &'static [(&'static str, &'static str)],
}

pub const ASSESSMENT_SECTIONS: &[AssessmentSection] = &[
    AssessmentSection {
        code: "mental-state-examination",
        title: "Mental state examination",
        fields: &[
            ("appearance-behaviour", "Appearance and behaviour"),
            ("speech", "Speech"),
            ("mood-affect", "Mood and affect"),
            ("thought-form", "Thought form"),
            ("thought-content", "Thought content"),
            ("perception", "Perception"),
            ("cognition", "Cognition"),
            ("insight-judgement", "Insight and judgement"),
        ],
    },
    AssessmentSection {
        code: "risk",
        title: "Risk",
        fields: &[
            ("to-self", "Risk to self"),
            ("to-self-rationale", "Reasons for the risk to self rating"),
            ("to-others", "Risk to others"),
            ("to-others-rationale", "Reasons for the risk to others rating"),
            ("from-others", "Risk from others"),
            ("from-others-rationale", "Reasons for the risk from others rating"),
        ],
    },
    AssessmentSection {
        code: "background",
        title: "Background history",
        fields: &[
            ("psychiatric", "Psychiatric history"),
            ("forensic", "Forensic history"),
            ("substance-use", "Drug and alcohol use"),
            ("social", "Social circumstances, including housing and finance"),
            ("physical-health", "Physical health"),
            ("neurodiversity", "Learning disability, autism and neurodiversity"),
        ],
    },
    AssessmentSection {
        code: "formulation",
        title: "Formulation",
        fields: &[
            ("formulation", "Formulation"),
            ("clinical-judgement", "Clinical judgement"),
        ],
    },
    AssessmentSection {
        code: "care-pathway",
        title: "Care pathway",
        fields: &[("plan", "Plan")],
    },
];

/// The section with this code, or `None` when there is no such section.
pub fn assessment_section(code: &str) -> Option<&'static AssessmentSection> {
    ASSESSMENT_SECTIONS.iter().find(|s| s.code == code)
}

impl AssessmentSection {
    /// The label for one of this section's fields.
    pub fn field_label(&self, field: &str) -> Option<&'static str> {
        super::label_of(self.fields, field)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::codes::tests::assert_unique_codes;

    #[test]
    fn section_codes_are_unique() {
        let sections: Vec<(&str, &str)> = ASSESSMENT_SECTIONS.iter().map(|s| (s.code, s.title)).collect();
        assert_unique_codes("ASSESSMENT_SECTIONS", &sections);
    }

    #[test]
    fn field_codes_are_unique_within_each_section() {
        for section in ASSESSMENT_SECTIONS {
            assert!(!section.fields.is_empty(), "{} has no fields", section.code);
            assert_unique_codes(section.code, section.fields);
        }
    }

    #[test]
    fn sections_and_fields_can_be_looked_up() {
        let risk = assessment_section("risk").unwrap();
        assert_eq!(risk.fields.len(), 6);
        assert_eq!(risk.field_label("to-others"), Some("Risk to others"));
        assert_eq!(risk.field_label("speech"), None);
        assert_eq!(assessment_section("mental-state-examination").unwrap().fields.len(), 8);
        assert_eq!(assessment_section("care-pathway").unwrap().fields, &[("plan", "Plan")]);
        assert!(assessment_section("nope").is_none());
    }
}
