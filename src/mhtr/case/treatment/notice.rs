//! The email telling the responsible officer that she missed sessions. A secure address gets
//! her name and the missed dates; a standard address only a notice to contact the team.
//! Neither subject carries personal data.

use crate::domain::CalendarDate;
use crate::domain::local_time;
use crate::domain::referral::{SecurityClass, security_class};

/// Who the officer should contact at the MHTR team.
pub struct Contact {
    pub practitioner: String,
    pub team: String,
    pub phone: Option<String>,
}

impl Contact {
    fn line(&self) -> String {
        match &self.phone {
            Some(phone) => format!("{}, {}, telephone {phone}", self.practitioner, self.team),
            None => format!("{}, {}", self.practitioner, self.team),
        }
    }
}

pub struct NonAttendance<'a> {
    pub officer: &'a str,
    pub officer_email: &'a str,
    /// The case's reference, which carries no personal data.
    pub reference: &'a str,
    /// Her name; only ever written to a secure address.
    pub name: &'a str,
    /// Oldest first.
    pub missed: &'a [CalendarDate],
    pub contact: &'a Contact,
}

pub struct Email {
    pub subject: String,
    pub text: String,
}

/// The email to the responsible officer, quoting the case's reference.
pub fn render(n: &NonAttendance<'_>, secure_domains: &[String]) -> Email {
    let subject = format!("MHTR non-attendance, reference {}", n.reference);
    let text = match security_class(n.officer_email, secure_domains) {
        SecurityClass::Secure => {
            let dates: Vec<String> = n.missed.iter().map(|d| format!("- {}", local_time::day(*d))).collect();
            format!(
                "Dear {officer},\n\nThis is to report non-attendance under a mental health treatment requirement \
                 (reference {reference}).\n\nName: {name}\nMissed sessions:\n{dates}\n\n\
                 For more information, contact {contact}.\n",
                officer = n.officer,
                reference = n.reference,
                name = n.name,
                dates = dates.join("\n"),
                contact = n.contact.line(),
            )
        }
        SecurityClass::Standard => format!(
            "Dear {officer},\n\n{team} has a non-attendance to report under a mental health treatment \
             requirement, reference {reference}.\n\nThis email is not secure, so it contains no personal \
             information. Please contact {contact} and quote the reference.\n",
            officer = n.officer,
            team = n.contact.team,
            reference = n.reference,
            contact = n.contact.line(),
        ),
    };
    Email { subject, text }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact() -> Contact {
        Contact {
            practitioner: "Maya Test".into(),
            team: "London Women's MHTR".into(),
            phone: Some("020 7946 0000".into()),
        }
    }

    fn missed() -> [CalendarDate; 2] {
        ["2026-11-03".parse().unwrap(), "2026-11-10".parse().unwrap()]
    }

    fn notice<'a>(email: &'a str, contact: &'a Contact, missed: &'a [CalendarDate]) -> NonAttendance<'a> {
        NonAttendance {
            officer: "Sam Okoro",
            officer_email: email,
            reference: "MHTR-2026-ABCD12",
            name: "Jo Bloggs",
            missed,
            contact,
        }
    }

    #[test]
    fn a_secure_address_gets_her_name_and_the_missed_dates() {
        let (c, missed) = (contact(), missed());
        let email = render(
            &notice("sam.okoro@probation.cjsm.net", &c, &missed),
            &["cjsm.net".into()],
        );
        assert!(!email.subject.contains("Jo"));
        assert!(email.text.contains("Jo Bloggs"));
        assert!(email.text.contains("3 Nov 2026") && email.text.contains("10 Nov 2026"));
        assert!(email.text.contains("020 7946 0000"));
    }

    #[test]
    fn a_standard_address_gets_no_personal_data() {
        let (c, missed) = (contact(), missed());
        let email = render(&notice("sam@example.org", &c, &missed), &["cjsm.net".into()]);
        assert!(!email.subject.contains("Jo") && !email.text.contains("Jo"));
        assert!(!email.text.contains("Nov 2026"));
        assert!(email.text.contains("MHTR-2026-ABCD12") && email.text.contains("020 7946 0000"));
    }
}
