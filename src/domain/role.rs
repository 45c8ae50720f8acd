use std::fmt;
use std::str::FromStr;

/// What a member of staff may do. Analysts see aggregates only, never an identifiable record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    Practitioner,
    SeniorPractitioner,
    /// The MHTR team's consultant clinical psychologist: reviews pathways, signs off reports.
    ConsultantPsychologist,
    Administrator,
    Analyst,
    /// The information governance lead: reviews break-glass and self-claimed access and reads
    /// who accessed a record; sees no clinical record.
    IgLead,
    /// Appraises records whose retention period has ended, places legal holds and approves
    /// destruction; sees who a record is about and its dates, never its clinical content.
    RecordsManager,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Practitioner,
        Role::SeniorPractitioner,
        Role::ConsultantPsychologist,
        Role::Administrator,
        Role::Analyst,
        Role::IgLead,
        Role::RecordsManager,
    ];

    /// The value stored in the database and accepted on the command line.
    pub fn code(self) -> &'static str {
        match self {
            Role::Practitioner => "practitioner",
            Role::SeniorPractitioner => "senior-practitioner",
            Role::ConsultantPsychologist => "consultant-psychologist",
            Role::Administrator => "administrator",
            Role::Analyst => "analyst",
            Role::IgLead => "ig-lead",
            Role::RecordsManager => "records-manager",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Practitioner => "Practitioner",
            Role::SeniorPractitioner => "Senior practitioner",
            Role::ConsultantPsychologist => "Consultant clinical psychologist",
            Role::Administrator => "Administrator",
            Role::Analyst => "Analyst",
            Role::IgLead => "Information governance lead",
            Role::RecordsManager => "Records manager",
        }
    }

    pub fn can_administer(self) -> bool {
        self == Role::Administrator
    }

    /// Works with identifiable records.
    pub fn is_clinical(self) -> bool {
        matches!(
            self,
            Role::Practitioner | Role::SeniorPractitioner | Role::ConsultantPsychologist
        )
    }

    /// Reviews break-glass and self-claimed access, and who accessed a person's record.
    pub fn reviews_access(self) -> bool {
        self == Role::IgLead
    }

    /// May read who accessed a person's records (and export it for a subject access request).
    pub fn reads_access_logs(self) -> bool {
        matches!(self, Role::IgLead | Role::Administrator)
    }

    /// Appraises records past their retention date and decides what becomes of them.
    pub fn manages_records(self) -> bool {
        self == Role::RecordsManager
    }

    /// May merge two records of the same person (and undo it for a while).
    pub fn merges_records(self) -> bool {
        self == Role::SeniorPractitioner
    }

    /// May sign off a report (or an addendum) to a court or probation.
    pub fn can_sign_off_reports(self) -> bool {
        matches!(self, Role::SeniorPractitioner | Role::ConsultantPsychologist)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Role {
    type Err = String;

    fn from_str(s: &str) -> Result<Role, String> {
        Role::ALL.into_iter().find(|r| r.code() == s.trim()).ok_or_else(|| {
            let codes: Vec<_> = Role::ALL.iter().map(|r| r.code()).collect();
            format!("unknown role `{s}`; choose one of {}", codes.join(", "))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for r in Role::ALL {
            assert_eq!(r.code().parse::<Role>(), Ok(r));
        }
        assert!("root".parse::<Role>().unwrap_err().contains("administrator"));
    }

    #[test]
    fn only_administrators_administer() {
        let admins: Vec<_> = Role::ALL.into_iter().filter(|r| r.can_administer()).collect();
        assert_eq!(admins, vec![Role::Administrator]);
    }

    #[test]
    fn seniors_and_the_psychologist_sign_off_reports() {
        let signers: Vec<_> = Role::ALL.into_iter().filter(|r| r.can_sign_off_reports()).collect();
        assert_eq!(signers, vec![Role::SeniorPractitioner, Role::ConsultantPsychologist]);
        assert!(!Role::Analyst.is_clinical() && !Role::Administrator.is_clinical());
        assert!(!Role::IgLead.is_clinical() && Role::IgLead.reviews_access());
    }
}
