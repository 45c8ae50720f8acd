//! Onward referrals: partner service types, consent, urgency, the security class of an
//! email address, and the referral status flow.

use crate::domain::codes::CodeList;

/// The kinds of partner service an L&D or MHTR team refers to (docs/domain.md §5.1).
pub const SERVICE_TYPES: CodeList = &[
    ("probation", "Probation"),
    ("yot", "Youth offending team"),
    ("camhs", "CAMHS"),
    ("womens-centre", "Women's Centre"),
    ("cmht", "Community mental health team"),
    ("crisis", "Crisis team"),
    ("learning-disability", "Learning disability team"),
    ("substance-misuse", "Substance misuse service"),
    ("adult-safeguarding", "Adult safeguarding"),
    ("childrens-safeguarding", "Children's safeguarding"),
    ("gp", "GP"),
    ("housing", "Housing"),
    ("veterans", "Veterans' service"),
    ("primary-care-mhtr", "Primary care MHTR team"),
    ("custody-suite", "Police custody suite"),
    ("cps-area", "Crown Prosecution Service area"),
    ("court-legal-adviser", "Court legal adviser"),
    ("probation-court-team", "Probation court team"),
    ("defence", "Defence solicitor"),
    ("other", "Other"),
];

/// Offered first for under-18s.
pub const YOUTH_ROUTES: [&str; 3] = ["yot", "camhs", "childrens-safeguarding"];

pub const CONSENT: CodeList = &[
    ("given", "Consent given"),
    ("declined", "Consent declined"),
    ("not-required", "Consent not required (lawful basis recorded)"),
];

pub const LAWFUL_BASES: CodeList = &[
    ("safeguarding", "Safeguarding: risk of significant harm"),
    ("vital-interests", "Vital interests: life at risk"),
    ("legal-duty", "A legal duty or court order"),
    ("public-task", "Public task: prevention or detection of crime"),
];

pub const URGENCY: CodeList = &[
    ("routine", "Routine"),
    ("soon", "Soon – within 3 working days"),
    ("urgent", "Urgent – today"),
];

/// Where a referral stands, as a code list for the labels, in the order of [`Status::ALL`].
pub const STATUSES: CodeList = &[
    ("queued", "Queued to send"),
    ("sent", "Sent – awaiting answer"),
    ("accepted", "Accepted"),
    ("declined", "Declined"),
    ("more-information", "More information requested"),
    ("attended", "First appointment attended"),
    ("not-attended", "First appointment not attended"),
    ("failed", "Failed – action needed"),
    ("closed", "Closed"),
];

crate::code_enum! {
    /// Where a referral stands. Answers come from the partner; attendance from the
    /// practitioner; sent and failed follow the referral's email.
    pub enum Status ("referral status") {
        Queued = "queued",
        Sent = "sent",
        Accepted = "accepted",
        Declined = "declined",
        MoreInformation = "more-information",
        Attended = "attended",
        NotAttended = "not-attended",
        Failed = "failed",
        Closed = "closed",
    }
}

impl Status {
    /// Still waiting on a partner: the team's awaiting list.
    pub const AWAITING: [Status; 4] = [Status::Queued, Status::Sent, Status::MoreInformation, Status::Failed];

    pub fn label(self) -> &'static str {
        match self {
            Status::Queued => "Queued to send",
            Status::Sent => "Sent – awaiting answer",
            Status::Accepted => "Accepted",
            Status::Declined => "Declined",
            Status::MoreInformation => "More information requested",
            Status::Attended => "First appointment attended",
            Status::NotAttended => "First appointment not attended",
            Status::Failed => "Failed – action needed",
            Status::Closed => "Closed",
        }
    }

    /// Whether the partner's answer link may still be used.
    pub fn awaiting_answer(self) -> bool {
        matches!(self, Status::Queued | Status::Sent | Status::MoreInformation)
    }

    /// Nothing more will happen on it, so its tracking may be closed.
    pub fn closable(self) -> bool {
        matches!(
            self,
            Status::Declined | Status::Attended | Status::NotAttended | Status::Failed | Status::MoreInformation
        )
    }
}

crate::code_enum! {
    /// Who a referral goes to: a partner service by email, or (not yet made in the app) a
    /// safeguarding referral or an internal MHTR one with no email.
    pub enum Kind ("referral kind") {
        Partner = "partner",
        Safeguarding = "safeguarding",
        Mhtr = "mhtr",
    }
}

/// Whether an address may receive clinical detail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SecurityClass {
    /// NHSmail, CJSM and other accredited domains: the referral letter.
    Secure,
    /// Anything else: a notice with no personal data.
    Standard,
}

impl SecurityClass {
    pub fn label(self) -> &'static str {
        match self {
            SecurityClass::Secure => "Secure",
            SecurityClass::Standard => "Standard",
        }
    }
}

/// Secure when the address's domain is a listed domain or a subdomain of one.
pub fn security_class(email: &str, secure_domains: &[String]) -> SecurityClass {
    let domain = email
        .rsplit_once('@')
        .map(|(_, d)| d.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let secure = secure_domains.iter().any(|s| {
        let s = s.trim().trim_start_matches('.').to_ascii_lowercase();
        !s.is_empty() && (domain == s || domain.ends_with(&format!(".{s}")))
    });
    if secure {
        SecurityClass::Secure
    } else {
        SecurityClass::Standard
    }
}

/// A plain check of an email address's shape; delivery is the real test.
pub fn email_problem(email: &str) -> Option<&'static str> {
    let email = email.trim();
    let Some((local, domain)) = email.split_once('@') else {
        return Some("Enter an email address in the correct format, like name@example.nhs.net");
    };
    let ok = !local.is_empty()
        && local.len() <= 64
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email
            .chars()
            .any(|c| c.is_whitespace() || c == ',' || c == ';' || c == '<' || c == '>');
    (!ok).then_some("Enter an email address in the correct format, like name@example.nhs.net")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn domains() -> Vec<String> {
        vec!["nhs.net".into(), "cjsm.net".into()]
    }

    #[test]
    fn secure_domains_and_their_subdomains() {
        assert_eq!(security_class("team@nhs.net", &domains()), SecurityClass::Secure);
        assert_eq!(
            security_class("x@probation.gsi.cjsm.net", &domains()),
            SecurityClass::Secure
        );
        assert_eq!(security_class("X@NHS.NET", &domains()), SecurityClass::Secure);
        assert_eq!(
            security_class("info@womenscentre.org.uk", &domains()),
            SecurityClass::Standard
        );
        assert_eq!(
            security_class("a@evilnhs.net", &domains()),
            SecurityClass::Standard,
            "not a subdomain"
        );
        assert_eq!(
            security_class("a@nhs.net.example.com", &domains()),
            SecurityClass::Standard
        );
    }

    #[test]
    fn email_shapes() {
        assert!(email_problem("referrals@camhs.nhs.net").is_none());
        for bad in ["", "nobody", "a@b", "a b@c.org", "a@.org", "a@b.org,c@d.org"] {
            assert!(email_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn code_lists_are_unique() {
        for list in [SERVICE_TYPES, CONSENT, LAWFUL_BASES, URGENCY, STATUSES] {
            let mut codes: Vec<_> = list.iter().map(|(c, _)| *c).collect();
            codes.sort();
            codes.dedup();
            assert_eq!(codes.len(), list.len());
        }
        assert!(YOUTH_ROUTES.iter().all(|r| SERVICE_TYPES.iter().any(|(c, _)| c == r)));
    }

    #[test]
    fn statuses_round_trip_match_their_code_list_and_unknown_ones_are_errors() {
        assert_eq!(Status::ALL.len(), STATUSES.len());
        for (status, (code, label)) in Status::ALL.iter().zip(STATUSES) {
            assert_eq!((status.code(), status.label()), (*code, *label));
            assert_eq!(Status::try_from(status.code().to_string()), Ok(*status));
        }
        let err = Status::try_from("answered".to_string()).unwrap_err();
        assert_eq!(err.to_string(), "unknown referral status `answered`");
        assert_eq!(err.kind, "referral status");
        assert!(Status::try_from("Sent".to_string()).is_err());
        assert!(Status::try_from(String::new()).is_err());
    }

    #[test]
    fn kinds_round_trip_and_unknown_ones_are_errors() {
        for kind in Kind::ALL {
            assert_eq!(Kind::try_from(kind.code().to_string()), Ok(*kind));
        }
        let err = Kind::try_from("email".to_string()).unwrap_err();
        assert_eq!(err.to_string(), "unknown referral kind `email`");
    }

    #[test]
    fn which_statuses_await_an_answer_or_may_be_closed() {
        let awaiting: Vec<_> = Status::ALL.iter().copied().filter(|s| s.awaiting_answer()).collect();
        assert_eq!(awaiting, [Status::Queued, Status::Sent, Status::MoreInformation]);
        let closable: Vec<_> = Status::ALL.iter().copied().filter(|s| s.closable()).collect();
        assert_eq!(
            closable,
            [
                Status::Declined,
                Status::MoreInformation,
                Status::Attended,
                Status::NotAttended,
                Status::Failed
            ]
        );
    }
}
