//! What kind of place a site is. Stored on the site and chosen in site administration from
//! [`SITE_KINDS`](super::codes::SITE_KINDS), the same codes and labels as a code list.

crate::code_enum! {
    pub enum SiteKind ("site kind") {
        CustodySuite = "custody-suite",
        VoluntaryAttendance = "voluntary-attendance",
        MagistratesCourt = "magistrates-court",
        YouthCourt = "youth-court",
        CrownCourt = "crown-court",
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
        }
    }
}

#[cfg(test)]
mod tests {
    use super::SiteKind;
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
