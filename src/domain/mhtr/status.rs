use std::fmt;

use self::MhtrStatus as S;

/// Where an MHTR case is on the pathway (docs/domain.md §7.2): intake, the checks before sentence,
/// then treatment. `Completed` and `Closed` are the two ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MhtrStatus {
    /// Referral received, waiting for the team's intake decision.
    Referred,
    /// Accepted; the eligibility screen is being done.
    Eligibility,
    /// Eligible; the suitability assessment is being done.
    Assessment,
    /// Assessed; waiting for her consent to an MHTR.
    Consent,
    /// Consent recorded; a treatment pathway is being negotiated (with secondary care teams
    /// and the consultant clinical psychologist).
    Negotiation,
    /// Pathway agreed; the suitability report is being prepared, signed off and sent.
    Recommendation,
    /// Report sent to probation; waiting for the sentencing hearing.
    AwaitingSentence,
    /// The court made an MHTR; sessions are under way.
    Treatment,
    /// Treatment finished: the successful end of the pathway.
    Completed,
    /// Ended early by a side exit, with an [`ExitReason`](super::ExitReason).
    Closed,
}

impl MhtrStatus {
    pub const ALL: [MhtrStatus; 10] = [
        S::Referred,
        S::Eligibility,
        S::Assessment,
        S::Consent,
        S::Negotiation,
        S::Recommendation,
        S::AwaitingSentence,
        S::Treatment,
        S::Completed,
        S::Closed,
    ];

    /// The value stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            S::Referred => "referred",
            S::Eligibility => "eligibility",
            S::Assessment => "assessment",
            S::Consent => "consent",
            S::Negotiation => "negotiation",
            S::Recommendation => "recommendation",
            S::AwaitingSentence => "awaiting-sentence",
            S::Treatment => "treatment",
            S::Completed => "completed",
            S::Closed => "closed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            S::Referred => "In intake",
            S::Eligibility => "Eligibility screening",
            S::Assessment => "Suitability assessment",
            S::Consent => "Consent",
            S::Negotiation => "Secondary care negotiation",
            S::Recommendation => "Suitability report",
            S::AwaitingSentence => "Awaiting sentence",
            S::Treatment => "In treatment",
            S::Completed => "Completed",
            S::Closed => "Closed",
        }
    }

    /// Open cases appear on the team's caseload and can still move along the pathway.
    pub fn is_open(self) -> bool {
        !matches!(self, S::Completed | S::Closed)
    }

    /// Before the court has sentenced: the hearing date is still the deadline.
    pub fn is_before_sentence(self) -> bool {
        self.is_open() && self != S::Treatment
    }

    /// Completes "when the case is …" in refusal messages.
    pub(super) fn phrase(self) -> &'static str {
        match self {
            S::Referred => "in intake",
            S::Eligibility => "at eligibility screening",
            S::Assessment => "at suitability assessment",
            S::Consent => "at consent",
            S::Negotiation => "at secondary care negotiation",
            S::Recommendation => "at the suitability report",
            S::AwaitingSentence => "awaiting sentence",
            S::Treatment => "in treatment",
            S::Completed => "completed",
            S::Closed => "closed",
        }
    }
}

impl fmt::Display for MhtrStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

crate::parse_by_code!(MhtrStatus, "MHTR status");
