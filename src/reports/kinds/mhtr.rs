//! The MHTR suitability report to probation and the court (docs/domain.md §7.9).

use super::{Checks, Identifier, ReportKind, Signer, section};

pub const MHTR_SUITABILITY: ReportKind = ReportKind {
    code: "mhtr-suitability",
    title: "MHTR suitability report",
    scope: None,
    recipient_types: &["probation"],
    // The treating provider needs the NHS number to arrange the requirement's treatment.
    identifiers: &[Identifier::Name, Identifier::DateOfBirth, Identifier::NhsNumber],
    signer: Signer::Senior,
    checks: Checks::NONE,
    sections: &[
        section(
            "referral",
            "Reason for referral and background",
            "Who referred her and why, the court, the hearing and the offence as far as it bears on the report.",
        ),
        section(
            "needs-history",
            "Presenting needs and mental health history",
            "Her current needs, diagnoses, medication and previous treatment.",
        ),
        section(
            "risks",
            "Risks",
            "Risk to herself, to others and from others, and how each is managed.",
        ),
        section(
            "substance-trauma-safeguarding",
            "Substance use, trauma and safeguarding",
            "Drug and alcohol use, trauma history, and safeguarding concerns including children and domestic abuse.",
        ),
        section(
            "protective-motivation",
            "Protective factors and motivation",
            "Her strengths, her motivation to engage, and barriers to attending.",
        ),
        section(
            "consent-capacity",
            "Consent and capacity",
            "Whether she consents to an MHTR, her capacity to decide, and who witnessed it.",
        ),
        section(
            "treatment-pathway",
            "Proposed treatment and pathway",
            "The treatment, the number of sessions, who will treat her, and what secondary care agreed.",
        ),
        section(
            "recommendation",
            "Recommendation to the court",
            "Whether an MHTR is recommended, and with what treatment and length.",
        ),
    ],
};
