//! What kind of place a site is. Stored on the site and chosen in site administration from
//! [`SITE_KINDS`](super::codes::SITE_KINDS), the same codes and labels as a code list.

crate::code_enum! {
    pub enum SiteKind ("site kind") {
        CustodySuite = "custody-suite",
        VoluntaryAttendance = "voluntary-attendance",
        MagistratesCourt = "magistrates-court",
        YouthCourt = "youth-court",
        CrownCourt = "crown-court",
        Probation = "probation",
        YouthOffendingTeam = "youth-offending-team",
        Community = "community",
    }
}

impl SiteKind {
    pub fn label(self) -> &'static str {
        match self {
            SiteKind::CustodySuite => "Police custody suite",
            SiteKind::VoluntaryAttendance => "Voluntary attendance at a police station",
            SiteKind::MagistratesCourt => "Magistrates' court",
            SiteKind::YouthCourt => "Youth court",
            SiteKind::CrownCourt => "Crown Court",
            SiteKind::Probation => "Probation office",
            SiteKind::YouthOffendingTeam => "Youth offending team",
            SiteKind::Community => "Community or other",
        }
    }

    /// A court, so the name of a court a person appears at (a police station is not).
    pub fn is_court(self) -> bool {
        matches!(
            self,
            SiteKind::MagistratesCourt | SiteKind::YouthCourt | SiteKind::CrownCourt
        )
    }
}

/// The site's name when it is a court; `kind` as stored.
pub fn court_name(kind: &str, name: String) -> Option<String> {
    SiteKind::try_from(kind.to_string())
        .is_ok_and(SiteKind::is_court)
        .then_some(name)
}

#[cfg(test)]
mod tests {
    use super::{SiteKind, court_name};

    #[test]
    fn only_a_court_names_a_court() {
        assert_eq!(
            court_name("youth-court", "Brent Youth Court".into()).as_deref(),
            Some("Brent Youth Court")
        );
        assert_eq!(court_name("custody-suite", "Wembley custody".into()), None);
        assert_eq!(court_name("nonsense", "X".into()), None);
    }
    use crate::domain::codes::SITE_KINDS;

    #[test]
    fn kinds_match_the_code_list_and_an_unknown_stored_kind_is_an_error() {
        assert_eq!(SiteKind::ALL.len(), SITE_KINDS.len());
        for (kind, (code, label)) in SiteKind::ALL.iter().zip(SITE_KINDS) {
            assert_eq!((kind.code(), kind.label()), (*code, *label));
            assert_eq!(SiteKind::try_from(kind.code().to_string()), Ok(*kind));
        }
        let err = SiteKind::try_from("police-station".to_string()).unwrap_err();
        assert_eq!(err.to_string(), "unknown site kind `police-station`");
        assert!(SiteKind::try_from("Custody-Suite".to_string()).is_err());
    }
}
