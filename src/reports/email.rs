//! Emails carrying a report, in the house style of the referral emails: a secure address
//! gets the report itself; a standard address gets a notice with no personal data.
//! Subjects never carry personal data.

use maud::html;

use super::{Full, view};
use crate::email::templates::{Person, Rendered, page};

/// Who sends the report, and which version; nothing here is about the person.
pub struct Sending<'a> {
    pub team: &'a str,
    pub sender: &'a str,
    pub version: i32,
}

fn subject(full: &Full, s: &Sending<'_>) -> String {
    format!(
        "{} {} (version {}) from {}",
        full.report.title(),
        full.report.reference(),
        s.version,
        s.team
    )
}

/// The report for a secure address (CJSM, NHSmail or another accredited domain).
pub fn letter(full: &Full, s: &Sending<'_>, p: &Person<'_>) -> Rendered {
    let subject = subject(full, s);
    let nhs = p.nhs_number.unwrap_or("not recorded");
    let text = format!(
        "{title}, reference {reference}, version {version}\nFrom: {team}, sent by {sender}\n\n\
         Person: {name}, born {dob}, NHS number {nhs}\n\n{report}",
        title = full.report.title(),
        reference = full.report.reference(),
        version = s.version,
        team = s.team,
        sender = s.sender,
        name = p.name,
        dob = p.date_of_birth,
        report = view::text(full),
    );
    let body = html! {
        h1 { (full.report.title()) }
        p { "Reference " (full.report.reference()) ", version " (s.version) ". From " (s.team) ", sent by " (s.sender) "." }
        p { strong { "Person: " } (p.name) ", born " (p.date_of_birth) ", NHS number " (nhs) }
        (view::body(full))
    };
    Rendered {
        html: page(&subject, body),
        subject,
        text,
    }
}

/// The notice for a standard address: the report exists and whom to ask, nothing more.
pub fn notice(full: &Full, s: &Sending<'_>) -> Rendered {
    let subject = subject(full, s);
    let text = format!(
        "{team} has completed a {title}, reference {reference}, version {version}.\n\
         This email address is not secure, so the report is not included and this email contains \
         no personal information. Contact {sender} at {team} and quote the reference to receive \
         it at a secure address.\n",
        team = s.team,
        title = full.report.title().to_lowercase(),
        reference = full.report.reference(),
        version = s.version,
        sender = s.sender,
    );
    let body = html! {
        h1 { (full.report.title()) " " (full.report.reference()) }
        p { (s.team) " has completed a " (full.report.title().to_lowercase()) ", version " (s.version) "." }
        p { "This email address is not secure, so the report is not included and this email contains no personal information. Contact " (s.sender) " at " (s.team) " and quote the reference to receive it at a secure address." }
    };
    Rendered {
        html: page(&subject, body),
        subject,
        text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reports::{Kind, Report, Section, Status};

    fn full() -> Full {
        Full {
            report: Report {
                id: "ab12cd34-ef56".into(),
                kind: Kind::MhtrSuitability,
                subject_type: "mhtr-case".into(),
                subject_id: "case".into(),
                person_id: "person".into(),
                team_id: "team".into(),
                status: Status::Final,
                created_by: "u".into(),
                created_at: 0,
                updated_at: 0,
                signed_off_by: Some("p".into()),
                signed_off_at: Some(0),
            },
            sections: vec![Section {
                position: 1,
                code: "risks".into(),
                title: "Risks".into(),
                body: "Overdose <script>".into(),
            }],
            addenda: Vec::new(),
            signed_off_by: Some("Priya Psychologist".into()),
            version: Some(1),
        }
    }

    const SENDING: Sending<'static> = Sending {
        team: "London Women's MHTR",
        sender: "Maya Practitioner",
        version: 1,
    };

    const PERSON: Person<'static> = Person {
        name: "Jo Bloggs",
        date_of_birth: "1 Jun 1990",
        nhs_number: None,
    };

    #[test]
    fn the_letter_carries_the_report_and_escapes_html() {
        let m = letter(&full(), &SENDING, &PERSON);
        assert_eq!(
            m.subject,
            "MHTR suitability report RPT-AB12CD34 (version 1) from London Women's MHTR"
        );
        assert!(m.text.contains("Jo Bloggs") && m.text.contains("Overdose <script>"));
        assert!(m.html.contains("Overdose &lt;script&gt;") && m.html.contains("Priya Psychologist"));
    }

    #[test]
    fn the_notice_has_no_personal_data() {
        let m = notice(&full(), &SENDING);
        for part in [&m.subject, &m.text, &m.html] {
            for secret in ["Jo Bloggs", "1 Jun 1990", "Overdose"] {
                assert!(!part.contains(secret), "{secret} leaked");
            }
        }
        assert!(m.text.contains("RPT-AB12CD34") && m.text.contains("Maya Practitioner"));
    }
}
