//! The kinds of report the app writes: each names its sections, in order, with a hint for
//! the author and any structured fields; who may sign it off; the identifiers it carries
//! (its allow-list); and which quality checks it must pass. A report copies its kind's
//! sections when it is drafted, so a later change to a kind never alters a report written.

mod court;
mod custody;
mod mhtr;
mod probation_cps;

pub use court::{COURT_REPORT, PARTICIPATION_LIMBS, PSYCHIATRIC_ASSESSMENT};
pub use custody::CUSTODY_SUMMARY;
pub use mhtr::MHTR_SUITABILITY;
pub use probation_cps::{CPS_INFORMATION, PROBATION_INPUT};

use crate::domain::codes::CodeList;
use crate::domain::sharing::Scope;

/// One structured field of a section: a choice, a set of ticks, or a line of text.
pub struct Field {
    pub code: &'static str,
    pub label: &'static str,
    pub input: Input,
}

pub enum Input {
    /// One of these (radios).
    Choice(CodeList),
    /// Any of these (checkboxes).
    Ticks(CodeList),
    /// A short answer in words.
    Line,
}

pub struct SectionKind {
    pub code: &'static str,
    pub title: &'static str,
    pub hint: &'static str,
    pub fields: &'static [Field],
}

/// A section of free text only.
pub const fn section(code: &'static str, title: &'static str, hint: &'static str) -> SectionKind {
    SectionKind {
        code,
        title,
        hint,
        fields: &[],
    }
}

/// Where a section's statements came from: records checked and people spoken to.
const SOURCES: &[Field] = &[Field {
    code: "sources",
    label: "Sources: records checked and people spoken to",
    input: Input::Line,
}];

/// Where risk information came from, and when: the checklist looks for a date in it.
const RISK_SOURCE: Field = Field {
    code: "source",
    label: "Where this came from and when",
    input: Input::Line,
};

/// The first section of a report to a court, the CPS or probation: what it is for and its
/// sources.
const fn purpose(title: &'static str, hint: &'static str) -> SectionKind {
    SectionKind {
        code: "purpose",
        title,
        hint,
        fields: SOURCES,
    }
}

/// Risk information known, with its source and date.
const RISK_KNOWN: SectionKind = SectionKind {
    code: "risk",
    title: "Risk information known",
    hint: "What is known, with its source and date. No actuarial scores.",
    fields: &[RISK_SOURCE],
};

/// A field of a section: `(section code, field code)`.
pub type FieldRef = (&'static str, &'static str);

/// Which quality checks a kind's checklist adds to "every section written" and plain English.
pub struct Checks {
    /// Where the sources of the report are stated.
    pub sources: Option<FieldRef>,
    /// The section stating the consent basis.
    pub consent: Option<&'static str>,
    /// Where risk statements say where they came from and when.
    pub risk_source: Option<FieldRef>,
    /// The court report's effective-participation rule.
    pub participation: bool,
}

impl Checks {
    pub const NONE: Checks = Checks {
        sources: None,
        consent: None,
        risk_source: None,
        participation: false,
    };
}

crate::code_enum! {
    /// Who may sign a kind off by default; an administrator may change it per kind.
    pub enum Signer ("report signer") {
        /// A senior practitioner (or the consultant clinical psychologist).
        Senior = "senior",
        /// The report's author, or a senior.
        Author = "author",
    }
}

impl Signer {
    pub fn label(self) -> &'static str {
        match self {
            Signer::Senior => "A senior practitioner",
            Signer::Author => "The author or a senior practitioner",
        }
    }
}

crate::code_enum! {
    /// An identifier a report can carry; each kind allows some (minimum necessary), and an
    /// author may include another with a reason.
    pub enum Identifier ("report identifier") {
        Name = "name",
        DateOfBirth = "date-of-birth",
        CaseReference = "case-reference",
        PncId = "pnc-id",
        NhsNumber = "nhs-number",
        GpPractice = "gp-practice",
    }
}

impl Identifier {
    pub fn label(self) -> &'static str {
        match self {
            Identifier::Name => "Name",
            Identifier::DateOfBirth => "Date of birth",
            Identifier::CaseReference => "Custody or court reference",
            Identifier::PncId => "PNC ID",
            Identifier::NhsNumber => "NHS number",
            Identifier::GpPractice => "GP practice",
        }
    }
}

/// What a criminal justice agency gets by default: name, date of birth and its own
/// reference identify the person to them; the NHS number does not go.
const JUSTICE_IDENTIFIERS: &[Identifier] = &[
    Identifier::Name,
    Identifier::DateOfBirth,
    Identifier::CaseReference,
    Identifier::PncId,
];

pub struct ReportKind {
    pub code: &'static str,
    pub title: &'static str,
    /// The consent scope its recipients fall under; `None` for a report with its own consent
    /// rule (the MHTR report rests on her consent to the requirement).
    pub scope: Option<Scope>,
    /// The partner directory's service types it may be sent to.
    pub recipient_types: &'static [&'static str],
    /// The identifiers it carries without an explicit include.
    pub identifiers: &'static [Identifier],
    pub signer: Signer,
    pub checks: Checks,
    pub sections: &'static [SectionKind],
}

impl ReportKind {
    pub fn section(&self, code: &str) -> Option<&'static SectionKind> {
        self.sections.iter().find(|s| s.code == code)
    }

    pub fn allows(&self, identifier: Identifier) -> bool {
        self.identifiers.contains(&identifier)
    }
}

crate::code_enum! {
    /// A report's kind as stored; [`Kind::spec`] gives its title and sections.
    pub enum Kind ("report kind") {
        MhtrSuitability = "mhtr-suitability",
        CustodySummary = "custody-summary",
        CourtReport = "court-report",
        CpsInformation = "cps-information",
        ProbationInput = "probation-input",
    }
}

/// The kinds an L&D practitioner writes on an episode, in the order offered.
pub const EPISODE_KINDS: [Kind; 4] = [
    Kind::CustodySummary,
    Kind::CourtReport,
    Kind::CpsInformation,
    Kind::ProbationInput,
];

impl Kind {
    pub fn spec(self) -> &'static ReportKind {
        match self {
            Kind::MhtrSuitability => &MHTR_SUITABILITY,
            Kind::CustodySummary => &CUSTODY_SUMMARY,
            Kind::CourtReport => &COURT_REPORT,
            Kind::CpsInformation => &CPS_INFORMATION,
            Kind::ProbationInput => &PROBATION_INPUT,
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
