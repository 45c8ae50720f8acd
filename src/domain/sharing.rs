//! Sharing what L&D learns with criminal justice and care partners (docs/domain.md §9): the
//! scopes a person consents to, and the gate every outbound document passes — consent
//! covering the recipient's scope, or another lawful basis recorded with its justification.

crate::code_enum! {
    /// Who information may go to, as a person's consent names them.
    pub enum Scope ("sharing scope") {
        Assessment = "assessment",
        Police = "police",
        Cps = "cps",
        Court = "court",
        Defence = "defence",
        Probation = "probation",
        HealthSocialCare = "health-social-care",
        Family = "family",
        Evaluation = "evaluation",
    }
}

impl Scope {
    pub fn label(self) -> &'static str {
        match self {
            Scope::Assessment => "L&D screening and assessment",
            Scope::Police => "Police and custody",
            Scope::Cps => "Crown Prosecution Service",
            Scope::Court => "Court (legal adviser and bench)",
            Scope::Defence => "Defence solicitor",
            Scope::Probation => "Probation or youth offending team",
            Scope::HealthSocialCare => "Health and social care referral partners",
            Scope::Family => "Family or carer",
            Scope::Evaluation => "Pseudonymised evaluation and research",
        }
    }

    /// The scope a partner directory service falls under, by its type.
    pub fn for_service_type(service_type: &str) -> Scope {
        match service_type {
            "probation" | "yot" | "probation-court-team" => Scope::Probation,
            "custody-suite" => Scope::Police,
            "cps-area" => Scope::Cps,
            "court-legal-adviser" => Scope::Court,
            "defence" => Scope::Defence,
            _ => Scope::HealthSocialCare,
        }
    }

    /// A criminal justice agency: documents to them leave out the NHS number by default.
    pub fn criminal_justice(self) -> bool {
        matches!(self, Scope::Police | Scope::Cps | Scope::Court | Scope::Probation)
    }
}

crate::code_enum! {
    /// The person's answer for one scope.
    pub enum Answer ("consent answer") {
        Granted = "granted",
        Refused = "refused",
        NotAsked = "not-asked",
    }
}

impl Answer {
    pub fn label(self) -> &'static str {
        match self {
            Answer::Granted => "Agreed",
            Answer::Refused => "Refused",
            Answer::NotAsked => "Not asked",
        }
    }
}

crate::code_enum! {
    /// How consent was captured.
    pub enum Method ("consent method") {
        VerbalWitnessed = "verbal-witnessed",
        Signed = "signed",
    }
}

impl Method {
    pub fn label(self) -> &'static str {
        match self {
            Method::VerbalWitnessed => "Verbal, witnessed",
            Method::Signed => "Signed",
        }
    }
}

crate::code_enum! {
    /// Whether the person could decide: capacity for adults (the two-stage Mental Capacity
    /// Act test when in doubt), competence for under-16s.
    pub enum Capacity ("capacity") {
        NotInDoubt = "not-in-doubt",
        HasCapacity = "has-capacity",
        LacksCapacity = "lacks-capacity",
        ChildCompetent = "child-competent",
        ChildNotCompetent = "child-not-competent",
    }
}

impl Capacity {
    pub fn label(self) -> &'static str {
        match self {
            Capacity::NotInDoubt => "Capacity not in doubt",
            Capacity::HasCapacity => "Capacity assessed: able to decide",
            Capacity::LacksCapacity => "Capacity assessed: not able to decide",
            Capacity::ChildCompetent => "Under 16: competent to decide",
            Capacity::ChildNotCompetent => "Under 16: not competent; a parent, guardian or appropriate adult decided",
        }
    }

    /// The answers given stand as the person's own decision (or, for a child judged not
    /// competent, the guardian's); a person assessed as lacking capacity gave no consent.
    pub fn consent_stands(self) -> bool {
        self != Capacity::LacksCapacity
    }
}

crate::code_enum! {
    /// The lawful basis a share rests on.
    pub enum Basis ("sharing basis") {
        Consent = "consent",
        LegalRequirement = "legal-requirement",
        PublicInterest = "public-interest",
        Safeguarding = "safeguarding",
    }
}

impl Basis {
    pub fn label(self) -> &'static str {
        match self {
            Basis::Consent => "Consent",
            Basis::LegalRequirement => "Required by law or a court order",
            Basis::PublicInterest => "Public interest: risk of serious harm or serious crime",
            Basis::Safeguarding => "Safeguarding",
        }
    }

    /// Every share on a basis other than consent waits on the IG lead's review queue.
    pub fn needs_review(self) -> bool {
        self != Basis::Consent
    }
}

/// Another lawful basis, as the practitioner recorded it for one share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtherBasis {
    pub basis: Basis,
    /// The law or order, the justification, or the safeguarding referral's reference.
    pub detail: String,
    /// For the public interest: the senior clinician consulted.
    pub consulted: Option<String>,
    /// For the public interest: whether the Caldicott Guardian was told.
    pub caldicott_told: bool,
}

impl OtherBasis {
    /// What is missing for this basis to be recorded, as (field, message).
    pub fn problem(&self) -> Option<(&'static str, &'static str)> {
        let blank = |s: &str| s.trim().is_empty();
        match self.basis {
            Basis::Consent => Some((
                "basis",
                "Choose a basis other than consent, or rely on the recorded consent",
            )),
            Basis::LegalRequirement if blank(&self.detail) => {
                Some(("basis_detail", "Enter the law or court order that requires the share"))
            }
            Basis::PublicInterest if blank(&self.detail) => {
                Some(("basis_detail", "Enter why sharing is justified in the public interest"))
            }
            Basis::PublicInterest if self.consulted.as_deref().is_none_or(blank) => {
                Some(("consulted", "Enter the senior clinician you consulted"))
            }
            Basis::Safeguarding if blank(&self.detail) => {
                Some(("basis_detail", "Enter the safeguarding referral's reference"))
            }
            _ => None,
        }
    }
}

/// What the person's current consent says about one scope, if any consent is recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConsentFor {
    pub answer: Answer,
    pub capacity: Capacity,
}

/// Why the gate refused a share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// No consent recorded for the scope (or not asked), and no other basis.
    NoConsent(Scope),
    /// Consent refused or withdrawn for the scope, and no other basis.
    Refused(Scope),
    /// The person was assessed as lacking capacity: consent cannot be relied on.
    NoCapacity(Scope),
    /// The other basis is incomplete.
    Incomplete(&'static str, &'static str),
}

impl Refusal {
    pub fn message(&self) -> String {
        match self {
            Refusal::NoConsent(s) => format!(
                "No consent to share with {} is recorded. Record the person's consent, or another lawful basis",
                s.label().to_lowercase()
            ),
            Refusal::Refused(s) => format!(
                "Consent to share with {} was refused or withdrawn. Share only on another lawful basis",
                s.label().to_lowercase()
            ),
            Refusal::NoCapacity(s) => format!(
                "The person could not consent to sharing with {}. Share only on another lawful basis, such as the public interest",
                s.label().to_lowercase()
            ),
            Refusal::Incomplete(_, m) => (*m).to_string(),
        }
    }
}

/// The gate: a share to `scope` goes ahead on another lawful basis when one is recorded
/// completely, else on consent granted by someone able to give it; otherwise it is refused.
pub fn gate(scope: Scope, consent: Option<ConsentFor>, other: Option<&OtherBasis>) -> Result<Basis, Refusal> {
    if let Some(o) = other {
        return match o.problem() {
            Some((field, message)) => Err(Refusal::Incomplete(field, message)),
            None => Ok(o.basis),
        };
    }
    match consent {
        Some(c) if !c.capacity.consent_stands() => Err(Refusal::NoCapacity(scope)),
        Some(ConsentFor {
            answer: Answer::Granted,
            ..
        }) => Ok(Basis::Consent),
        Some(ConsentFor {
            answer: Answer::Refused,
            ..
        }) => Err(Refusal::Refused(scope)),
        _ => Err(Refusal::NoConsent(scope)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn consent(answer: Answer) -> Option<ConsentFor> {
        Some(ConsentFor {
            answer,
            capacity: Capacity::NotInDoubt,
        })
    }

    fn other(basis: Basis, detail: &str, consulted: Option<&str>) -> OtherBasis {
        OtherBasis {
            basis,
            detail: detail.into(),
            consulted: consulted.map(String::from),
            caldicott_told: false,
        }
    }

    #[test]
    fn consent_granted_for_the_scope_lets_the_share_through() {
        assert_eq!(gate(Scope::Court, consent(Answer::Granted), None), Ok(Basis::Consent));
    }

    #[test]
    fn refused_not_asked_or_none_recorded_stops_it() {
        assert_eq!(
            gate(Scope::Cps, consent(Answer::Refused), None),
            Err(Refusal::Refused(Scope::Cps))
        );
        assert_eq!(
            gate(Scope::Cps, consent(Answer::NotAsked), None),
            Err(Refusal::NoConsent(Scope::Cps))
        );
        assert_eq!(gate(Scope::Cps, None, None), Err(Refusal::NoConsent(Scope::Cps)));
        let lacking = Some(ConsentFor {
            answer: Answer::Granted,
            capacity: Capacity::LacksCapacity,
        });
        assert_eq!(
            gate(Scope::Police, lacking, None),
            Err(Refusal::NoCapacity(Scope::Police))
        );
    }

    #[test]
    fn each_other_basis_needs_its_justification_and_then_overrides_a_refusal() {
        let refused = consent(Answer::Refused);
        let law = other(Basis::LegalRequirement, "Court order under CrimPR r.28.8", None);
        assert_eq!(gate(Scope::Cps, refused, Some(&law)), Ok(Basis::LegalRequirement));
        let public = other(
            Basis::PublicInterest,
            "Threatened to kill his neighbour",
            Some("Dr Rao"),
        );
        assert_eq!(gate(Scope::Police, refused, Some(&public)), Ok(Basis::PublicInterest));
        let safeguarding = other(Basis::Safeguarding, "MASH-2026-1142", None);
        assert_eq!(gate(Scope::Police, None, Some(&safeguarding)), Ok(Basis::Safeguarding));
        for (incomplete, field) in [
            (other(Basis::LegalRequirement, " ", None), "basis_detail"),
            (other(Basis::PublicInterest, "Risk", None), "consulted"),
            (other(Basis::PublicInterest, "", Some("Dr Rao")), "basis_detail"),
            (other(Basis::Safeguarding, "", None), "basis_detail"),
            (other(Basis::Consent, "", None), "basis"),
        ] {
            match gate(Scope::Cps, None, Some(&incomplete)) {
                Err(Refusal::Incomplete(f, _)) => assert_eq!(f, field, "{incomplete:?}"),
                other => panic!("{incomplete:?} gave {other:?}"),
            }
        }
        assert!(Basis::PublicInterest.needs_review() && !Basis::Consent.needs_review());
    }
}
