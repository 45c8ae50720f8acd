//! Information to the CPS for charging and out-of-court disposal decisions, and the input to
//! probation's pre-sentence report (docs/domain.md §9.3).

use super::{Checks, Field, Input, JUSTICE_IDENTIFIERS, RISK_KNOWN, ReportKind, SectionKind, Signer, purpose, section};
use crate::domain::codes::{CodeList, VULNERABILITIES};
use crate::domain::sharing::Scope;

const SUITABILITY: CodeList = &[
    ("suitable", "Suitable"),
    ("not-suitable", "Not suitable"),
    ("further-assessment", "Needs further assessment"),
];

const REQUIREMENT_CONSENT: CodeList = &[
    ("agrees", "Agrees to a treatment requirement"),
    ("declines", "Declines"),
    ("not-asked", "Not asked yet"),
];

const CPS_CHECKS: Checks = Checks {
    sources: Some(("purpose", "sources")),
    consent: Some("consent"),
    risk_source: Some(("risk", "source")),
    participation: false,
};

pub const CPS_INFORMATION: ReportKind = ReportKind {
    code: "cps-information",
    title: "Information to the CPS",
    scope: Some(Scope::Cps),
    recipient_types: &["cps-area"],
    identifiers: JUSTICE_IDENTIFIERS,
    signer: Signer::Senior,
    checks: CPS_CHECKS,
    sections: &[
        purpose(
            "Purpose",
            "Health context for a charging or out-of-court disposal decision. Never an opinion on guilt.",
        ),
        section(
            "consent",
            "Consent basis",
            "What the person agreed L&D may share with the CPS, or the other lawful basis.",
        ),
        SectionKind {
            code: "health-context",
            title: "Health context",
            hint: "Only what bears on the decision.",
            fields: &[Field {
                code: "found",
                label: "Vulnerabilities found",
                input: Input::Ticks(VULNERABILITIES),
            }],
        },
        RISK_KNOWN,
        section(
            "referrals",
            "Referrals and engagement",
            "Onward referrals and whether the person is engaging: relevant to an out-of-court disposal.",
        ),
        section("contact", "L&D contact", "Who to call about this information."),
    ],
};

macro_rules! requirement {
    ($code:literal, $label:literal) => {
        Field {
            code: $code,
            label: $label,
            input: Input::Choice(SUITABILITY),
        }
    };
}

pub const PROBATION_INPUT: ReportKind = ReportKind {
    code: "probation-input",
    title: "Input to the pre-sentence report",
    scope: Some(Scope::Probation),
    recipient_types: &["probation-court-team", "probation"],
    identifiers: JUSTICE_IDENTIFIERS,
    signer: Signer::Senior,
    checks: CPS_CHECKS,
    sections: &[
        purpose(
            "Purpose",
            "Screening for community sentence treatment requirements, for probation's pre-sentence report.",
        ),
        section(
            "consent",
            "Consent basis",
            "What the person agreed L&D may share with probation, or the other lawful basis.",
        ),
        SectionKind {
            code: "requirements",
            title: "Treatment requirement screening",
            hint: "Each requirement suitable, not suitable or needing further assessment.",
            fields: &[
                requirement!(
                    "mental-health-primary",
                    "Mental health treatment requirement: primary care"
                ),
                requirement!(
                    "mental-health-secondary",
                    "Mental health treatment requirement: secondary care"
                ),
                requirement!("drug", "Drug rehabilitation requirement"),
                requirement!("alcohol", "Alcohol treatment requirement"),
                Field {
                    code: "consent",
                    label: "The person's consent to a requirement",
                    input: Input::Choice(REQUIREMENT_CONSENT),
                },
                Field {
                    code: "provider",
                    label: "Provider and availability",
                    input: Input::Line,
                },
                Field {
                    code: "earliest-start",
                    label: "Earliest start",
                    input: Input::Line,
                },
            ],
        },
        section(
            "plan",
            "Treatment plan summary",
            "What treatment, how often, and with whom.",
        ),
        section(
            "mhtr",
            "MHTR suitability report",
            "The MHTR service's suitability report, where there is one.",
        ),
        RISK_KNOWN,
        section("contact", "L&D contact", "Who to call about this input."),
    ],
};
