//! The kinds of report the app writes: each names its sections, in order, with a hint for
//! the author. A report copies its kind's sections when it is drafted, so a later change to a
//! kind never alters a report already written.

pub struct SectionKind {
    pub code: &'static str,
    pub title: &'static str,
    pub hint: &'static str,
}

pub struct ReportKind {
    pub code: &'static str,
    pub title: &'static str,
    pub sections: &'static [SectionKind],
}

impl ReportKind {
    pub fn section(&self, code: &str) -> Option<&'static SectionKind> {
        self.sections.iter().find(|s| s.code == code)
    }
}

/// The MHTR suitability report to probation and the court (docs/domain.md §7.9).
pub const MHTR_SUITABILITY: ReportKind = ReportKind {
    code: "mhtr-suitability",
    title: "MHTR suitability report",
    sections: &[
        SectionKind {
            code: "referral",
            title: "Reason for referral and background",
            hint: "Who referred her and why, the court, the hearing and the offence as far as it bears on the report.",
        },
        SectionKind {
            code: "needs-history",
            title: "Presenting needs and mental health history",
            hint: "Her current needs, diagnoses, medication and previous treatment.",
        },
        SectionKind {
            code: "risks",
            title: "Risks",
            hint: "Risk to herself, to others and from others, and how each is managed.",
        },
        SectionKind {
            code: "substance-trauma-safeguarding",
            title: "Substance use, trauma and safeguarding",
            hint: "Drug and alcohol use, trauma history, and safeguarding concerns including children and domestic abuse.",
        },
        SectionKind {
            code: "protective-motivation",
            title: "Protective factors and motivation",
            hint: "Her strengths, her motivation to engage, and barriers to attending.",
        },
        SectionKind {
            code: "consent-capacity",
            title: "Consent and capacity",
            hint: "Whether she consents to an MHTR, her capacity to decide, and who witnessed it.",
        },
        SectionKind {
            code: "treatment-pathway",
            title: "Proposed treatment and pathway",
            hint: "The treatment, the number of sessions, who will treat her, and what secondary care agreed.",
        },
        SectionKind {
            code: "recommendation",
            title: "Recommendation to the court",
            hint: "Whether an MHTR is recommended, and with what treatment and length.",
        },
    ],
};

crate::code_enum! {
    /// A report's kind as stored; [`Kind::spec`] gives its title and sections.
    pub enum Kind ("report kind") {
        MhtrSuitability = "mhtr-suitability",
    }
}

impl Kind {
    pub fn spec(self) -> &'static ReportKind {
        match self {
            Kind::MhtrSuitability => &MHTR_SUITABILITY,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn every_kind_has_unique_section_codes_and_its_own_code() {
        for k in Kind::ALL {
            let spec = k.spec();
            let codes: HashSet<_> = spec.sections.iter().map(|s| s.code).collect();
            assert_eq!(codes.len(), spec.sections.len(), "{k}");
            assert_eq!(spec.code, k.code());
        }
    }

    #[test]
    fn kinds_round_trip_and_an_unknown_stored_kind_is_an_error() {
        for k in Kind::ALL {
            assert_eq!(Kind::try_from(k.code().to_string()), Ok(*k));
        }
        let err = Kind::try_from("nope".to_string()).unwrap_err();
        assert_eq!(err.to_string(), "unknown report kind `nope`");
    }
}
