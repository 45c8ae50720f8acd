//! The custody summary for the custody sergeant or officer in the case: short, structured,
//! mostly choices, written in minutes (docs/domain.md §9.3). L&D flags; it does not certify
//! fitness to be detained or interviewed.

use super::{Checks, Field, Input, JUSTICE_IDENTIFIERS, RISK_SOURCE, ReportKind, SectionKind, Signer, section};
use crate::domain::codes::{CodeList, VULNERABILITIES};
use crate::domain::sharing::Scope;

const APPROPRIATE_ADULT: CodeList = &[
    ("indicated", "Indicated: the person appears vulnerable (PACE Code C)"),
    ("arranged", "Indicated, and already arranged"),
    ("not-indicated", "Not indicated from what L&D found"),
];

pub(super) const ADJUSTMENTS: CodeList = &[
    ("breaks", "Regular breaks"),
    ("plain-language", "Short questions in plain language"),
    (
        "check-understanding",
        "Check understanding: ask the person to explain back",
    ),
    ("interpreter", "Interpreter"),
    ("easy-read", "Easy-read material"),
    ("intermediary", "Intermediary assessment"),
    ("supporter", "A supporter present"),
];

const CUSTODY_RISKS: CodeList = &[
    ("self-harm", "Self-harm or suicidal thoughts"),
    ("alcohol-withdrawal", "Alcohol withdrawal"),
    ("drug-withdrawal", "Drug withdrawal"),
    ("medication", "Needs medication while detained"),
    ("risk-to-others", "Risk to others"),
    ("vulnerable-to-others", "Vulnerable to others"),
];

const REVIEW: CodeList = &[
    (
        "advised",
        "Advised: ask the healthcare professional to review before interview",
    ),
    ("not-advised", "Not advised from what L&D found"),
];

pub const CUSTODY_SUMMARY: ReportKind = ReportKind {
    code: "custody-summary",
    title: "Custody summary",
    scope: Some(Scope::Police),
    recipient_types: &["custody-suite"],
    identifiers: JUSTICE_IDENTIFIERS,
    signer: Signer::Author,
    checks: Checks {
        sources: None,
        consent: Some("consent"),
        risk_source: Some(("risk", "source")),
        participation: false,
    },
    sections: &[
        section(
            "custody",
            "Custody details",
            "Custody record number, station, and when L&D saw the person.",
        ),
        section(
            "consent",
            "Consent basis",
            "What the person agreed L&D may share with the police, or the other lawful basis.",
        ),
        SectionKind {
            code: "vulnerabilities",
            title: "Vulnerabilities relevant to detention and interview",
            hint: "Only what bears on detention and interview: no detailed history, no third-party information.",
            fields: &[Field {
                code: "found",
                label: "Vulnerabilities found",
                input: Input::Ticks(VULNERABILITIES),
            }],
        },
        SectionKind {
            code: "appropriate-adult",
            title: "Appropriate adult",
            hint: "Whether an appropriate adult is indicated under PACE Code C, and why.",
            fields: &[Field {
                code: "indicated",
                label: "Appropriate adult",
                input: Input::Choice(APPROPRIATE_ADULT),
            }],
        },
        SectionKind {
            code: "communication",
            title: "Communication needs and adjustments for interview",
            hint: "How the person communicates best, and what would help in interview.",
            fields: &[Field {
                code: "adjustments",
                label: "Suggested adjustments",
                input: Input::Ticks(ADJUSTMENTS),
            }],
        },
        SectionKind {
            code: "risk",
            title: "Risk in custody",
            hint: "Risks while detained and how they showed. No actuarial scores.",
            fields: &[
                Field {
                    code: "risks",
                    label: "Risks in custody",
                    input: Input::Ticks(CUSTODY_RISKS),
                },
                RISK_SOURCE,
            ],
        },
        SectionKind {
            code: "healthcare-review",
            title: "Healthcare professional review",
            hint: "L&D does not certify fitness to be detained or interviewed: that is for the custody healthcare professional.",
            fields: &[Field {
                code: "review",
                label: "Review by the custody healthcare professional",
                input: Input::Choice(REVIEW),
            }],
        },
        section(
            "health-context",
            "Health context relevant to charge or disposal",
            "Only health context; never an opinion on guilt. Leave as “None” if nothing is relevant.",
        ),
        section(
            "referrals",
            "Referrals made",
            "Onward referrals L&D has made and their state.",
        ),
        section("contact", "L&D contact", "Who to call about this summary."),
    ],
};
