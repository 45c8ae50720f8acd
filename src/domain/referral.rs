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

/// Where a referral stands. Answers come from the partner; attendance from the practitioner.
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

/// Statuses from which the partner's answer link may still be used.
pub fn awaiting_answer(status: &str) -> bool {
    matches!(status, "queued" | "sent" | "more-information")
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
}
