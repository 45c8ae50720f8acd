//! Police vetting of staff (decision 0019). The custody source document makes Metropolitan
//! Police vetting a condition of the post: each user's clearance is recorded with its level,
//! reference and dates, and a user without a current one cannot sign on at a police site.

use chrono::NaiveDate;

use super::site::SiteKind;

crate::code_enum! {
    /// The levels of Non Police Personnel Vetting (NPPV) in the College of Policing's vetting
    /// code, which a force grants to contractors such as health staff in custody.
    pub enum VettingLevel ("vetting level") {
        Nppv1 = "nppv1",
        Nppv2Abbreviated = "nppv2-abbreviated",
        Nppv2Full = "nppv2-full",
        Nppv3 = "nppv3",
    }
}

impl VettingLevel {
    pub fn label(self) -> &'static str {
        match self {
            VettingLevel::Nppv1 => "NPPV level 1",
            VettingLevel::Nppv2Abbreviated => "NPPV level 2 (abbreviated)",
            VettingLevel::Nppv2Full => "NPPV level 2 (full)",
            VettingLevel::Nppv3 => "NPPV level 3",
        }
    }
}

/// Whether a clearance granted on `granted` and expiring on `expires` holds on `today` (the
/// service's local date). The expiry date is the last day it holds: a clearance expiring
/// today still lets its holder sign on today, and not tomorrow.
pub fn is_current(granted: NaiveDate, expires: NaiveDate, today: NaiveDate) -> bool {
    granted <= today && today <= expires
}

/// Whether signing on at a site of this kind needs a current clearance: always at a police
/// station (custody and voluntary attendance), at a court only when the deployment says so,
/// and never elsewhere (probation, a youth offending team, the community).
pub fn needs_clearance(kind: SiteKind, at_courts: bool) -> bool {
    match kind {
        SiteKind::CustodySuite | SiteKind::VoluntaryAttendance => true,
        SiteKind::MagistratesCourt | SiteKind::YouthCourt | SiteKind::CrownCourt => at_courts,
        SiteKind::Probation | SiteKind::YouthOffendingTeam | SiteKind::Community => false,
    }
}

/// How many days ahead the administrators' list looks for clearances running out.
pub const EXPIRY_WARNING_DAYS: u64 = 60;

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_expiry_date_is_the_last_day_the_clearance_holds() {
        let (granted, expires) = (d("2024-01-10"), d("2027-01-10"));
        assert!(is_current(granted, expires, d("2027-01-10")));
        assert!(!is_current(granted, expires, d("2027-01-11")));
        assert!(is_current(granted, expires, d("2024-01-10")));
        assert!(!is_current(granted, expires, d("2024-01-09")), "not yet granted");
    }

    #[test]
    fn police_sites_always_need_a_clearance_and_courts_when_configured() {
        for kind in SiteKind::ALL.iter().copied() {
            let police = matches!(kind, SiteKind::CustodySuite | SiteKind::VoluntaryAttendance);
            assert_eq!(needs_clearance(kind, false), police, "{kind}");
            assert_eq!(needs_clearance(kind, true), police || kind.is_court(), "{kind}");
        }
    }

    #[test]
    fn levels_have_labels_and_unknown_codes_fail() {
        assert_eq!("nppv3".parse::<VettingLevel>(), Ok(VettingLevel::Nppv3));
        assert_eq!(VettingLevel::Nppv2Full.label(), "NPPV level 2 (full)");
        assert!("sc".parse::<VettingLevel>().is_err());
    }
}
