//! The court report (magistrates', youth or Crown Court): headings are a design, not a
//! national template (docs/domain.md §9.3). Any concern about effective participation adds
//! a recommendation of a formal psychiatric assessment, removable only with a rationale.

use super::custody::ADJUSTMENTS;
use super::{Checks, Field, Input, JUSTICE_IDENTIFIERS, RISK_KNOWN, ReportKind, SectionKind, Signer, purpose, section};
use crate::domain::codes::CodeList;
use crate::domain::sharing::Scope;

const HEARING_TYPES: CodeList = &[
    ("first-appearance", "First appearance"),
    ("bail", "Bail hearing"),
    ("plea", "Plea hearing"),
    ("trial", "Trial"),
    ("sentence", "Sentence"),
    ("other", "Other"),
];

/// An answer about one limb of effective participation.
pub const PARTICIPATION: CodeList = &[
    ("yes", "Yes, appears able"),
    ("no", "No, appears unable"),
    ("unclear", "Unclear"),
];

/// The limbs of effective participation, by field code; each has an evidence field named
/// `{limb}-evidence`.
pub const PARTICIPATION_LIMBS: [&str; 5] = ["charge", "plea", "proceedings", "instruct", "evidence"];

/// The option section 11 gains when any limb is a concern.
pub const PSYCHIATRIC_ASSESSMENT: &str = "psychiatric-assessment";

const OPTIONS: CodeList = &[
    (
        "psychiatric-assessment",
        "Recommend a formal psychiatric assessment (CrimPR r.3.28)",
    ),
    ("bail-support", "Bail support"),
    ("adjourn-psychiatric-report", "Adjournment for a psychiatric report"),
    (
        "pre-sentence-report",
        "A pre-sentence report with treatment requirement screening",
    ),
    (
        "medical-opinion",
        "A medical opinion on a hospital disposal is needed (Mental Health Act s.35–37)",
    ),
    ("no-further-action", "No further L&D action"),
];

const fn limb(code: &'static str, label: &'static str) -> Field {
    Field {
        code,
        label,
        input: Input::Choice(PARTICIPATION),
    }
}

const fn evidence(code: &'static str) -> Field {
    Field {
        code,
        label: "Evidence for this answer",
        input: Input::Line,
    }
}

const PARTICIPATION_FIELDS: [Field; 11] = [
    limb("charge", "Can the person understand the charge?"),
    evidence("charge-evidence"),
    limb("plea", "Can the person decide whether to plead guilty?"),
    evidence("plea-evidence"),
    limb("proceedings", "Can the person follow the proceedings?"),
    evidence("proceedings-evidence"),
    limb("instruct", "Can the person instruct their lawyers?"),
    evidence("instruct-evidence"),
    limb("evidence", "Can the person give evidence?"),
    evidence("evidence-evidence"),
    Field {
        code: "adjustments",
        label: "Recommended adjustments",
        input: Input::Ticks(ADJUSTMENTS),
    },
];

pub const COURT_REPORT: ReportKind = ReportKind {
    code: "court-report",
    title: "Court report",
    scope: Some(Scope::Court),
    recipient_types: &["court-legal-adviser"],
    identifiers: JUSTICE_IDENTIFIERS,
    signer: Signer::Senior,
    checks: Checks {
        sources: Some(("purpose", "sources")),
        consent: Some("consent"),
        risk_source: Some(("risk", "source")),
        participation: true,
    },
    sections: &[
        SectionKind {
            code: "case",
            title: "Case details",
            hint: "The court, the hearing and the charges as listed.",
            fields: &[
                Field {
                    code: "court",
                    label: "Court",
                    input: Input::Line,
                },
                Field {
                    code: "hearing-date",
                    label: "Hearing date",
                    input: Input::Line,
                },
                Field {
                    code: "case-number",
                    label: "Case number",
                    input: Input::Line,
                },
                Field {
                    code: "charges",
                    label: "Charges as listed",
                    input: Input::Line,
                },
                Field {
                    code: "hearing-type",
                    label: "Hearing type",
                    input: Input::Choice(HEARING_TYPES),
                },
            ],
        },
        purpose(
            "Purpose and limits",
            "A liaison and diversion screening or assessment, not a psychiatric report.",
        ),
        section(
            "consent",
            "Consent basis",
            "What the person agreed L&D may share with the court, or the other lawful basis.",
        ),
        section(
            "presentation",
            "Presentation and mental state",
            "How the person presented when seen, and their mental state.",
        ),
        section(
            "history",
            "Relevant history",
            "Mental health, learning disability or autism, neurodevelopmental conditions, substance use, physical health, acquired brain injury.",
        ),
        section(
            "social",
            "Social circumstances",
            "Housing, finance, dependants, domestic abuse, veteran status.",
        ),
        section(
            "services",
            "Current services",
            "Services the person is known to, and any care coordinator.",
        ),
        SectionKind {
            code: "participation",
            title: "Vulnerabilities and effective participation",
            hint: "Each limb yes, no or unclear, with the evidence. Any “no” or “unclear” recommends a formal psychiatric assessment.",
            fields: &PARTICIPATION_FIELDS,
        },
        RISK_KNOWN,
        section(
            "referrals",
            "Referrals and outcomes",
            "Onward referrals and what came of them.",
        ),
        SectionKind {
            code: "options",
            title: "Options for the court",
            hint: "What the court might consider. L&D can say a medical opinion is needed; it does not give one.",
            fields: &[
                Field {
                    code: "options",
                    label: "Options",
                    input: Input::Ticks(OPTIONS),
                },
                Field {
                    code: "rationale",
                    label: "If a participation concern is recorded but no psychiatric assessment is recommended, why",
                    input: Input::Line,
                },
            ],
        },
        SectionKind {
            code: "author",
            title: "Author",
            hint: "Name, role and team.",
            fields: &[Field {
                code: "registration",
                label: "Professional registration (body and number)",
                input: Input::Line,
            }],
        },
        section("distribution", "Distribution", "Who receives this report."),
    ],
};
