//! Emails carrying a report, in the house style of the referral emails: a secure address
//! gets the report itself; a standard address gets a notice with no personal data.
//! Subjects never carry personal data.

use maud::html;

use super::{Full, view};
use crate::email::templates::{Rendered, page};

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

/// The report for a secure address (CJSM, NHSmail or another accredited domain), with the
/// identifiers the report's kind allows (see [`super::shown_identifiers`]).
pub fn letter(full: &Full, s: &Sending<'_>, identifiers: &[(&str, String)]) -> Rendered {
    let subject = subject(full, s);
    let who: Vec<String> = identifiers
        .iter()
        .map(|(label, value)| format!("{label}: {value}"))
        .collect();
    let text = format!(
        "{title}, reference {reference}, version {version}\nFrom: {team}, sent by {sender}\n\n\
         {who}\n\n{report}",
        title = full.report.title(),
        reference = full.report.reference(),
        version = s.version,
        team = s.team,
        sender = s.sender,
        who = who.join("\n"),
        report = view::text(full),
    );
    let body = html! {
        h1 { (full.report.title()) }
        p { "Reference " (full.report.reference()) ", version " (s.version) ". From " (s.team) ", sent by " (s.sender) "." }
        ul { @for (label, value) in identifiers { li { strong { (label) ": " } (value) } } }
        (view::body(full))
    };
    Rendered {
        html: page(&subject, body),
        subject,
        text,
    }
}

/// The notice for a standard address: the report exists, and either a single-use link to
/// that one version (`link`) or whom to ask. No personal data.
pub fn notice(full: &Full, s: &Sending<'_>, link: Option<&str>) -> Rendered {
    let subject = subject(full, s);
    let how = match link {
        Some(url) => format!(
            "Open this version once, within {} hours, at {url} . The link works once only: \
             save or print the report when you open it.",
            super::links::LINK_HOURS
        ),
        None => format!(
            "Contact {sender} at {team} and quote the reference to receive it at a secure address.",
            sender = s.sender,
            team = s.team
        ),
    };
    let text = format!(
        "{team} has completed a {title}, reference {reference}, version {version}.\n\
         This email address is not secure, so the report is not included and this email contains \
         no personal information. {how}\n",
        team = s.team,
        title = full.report.title().to_lowercase(),
        reference = full.report.reference(),
        version = s.version,
    );
    let body = html! {
        h1 { (full.report.title()) " " (full.report.reference()) }
        p { (s.team) " has completed a " (full.report.title().to_lowercase()) ", version " (s.version) "." }
        p { "This email address is not secure, so the report is not included and this email contains no personal information." }
        @match link {
            Some(url) => p { a href=(url) { "Open version " (s.version) " of the report" } " – the link works once, within " (super::links::LINK_HOURS) " hours. Save or print the report when you open it." },
            None => p { "Contact " (s.sender) " at " (s.team) " and quote the reference to receive it at a secure address." },
        }
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
                answers: "{}".into(),
            }],
            addenda: Vec::new(),
            signed_off_by: Some("Priya Psychologist".into()),
            author: "Maya Practitioner".into(),
            version: Some(1),
            includes: Vec::new(),
            waivers: Vec::new(),
        }
    }

    const SENDING: Sending<'static> = Sending {
        team: "London Women's MHTR",
        sender: "Maya Practitioner",
        version: 1,
    };

    fn who() -> Vec<(&'static str, String)> {
        vec![("Name", "Jo Bloggs".into()), ("Date of birth", "1 Jun 1990".into())]
    }

    #[test]
    fn the_letter_carries_the_report_and_escapes_html() {
        let m = letter(&full(), &SENDING, &who());
        assert_eq!(
            m.subject,
            "MHTR suitability report RPT-AB12CD34 (version 1) from London Women's MHTR"
        );
        assert!(m.text.contains("Jo Bloggs") && m.text.contains("Overdose <script>"));
        assert!(m.html.contains("Overdose &lt;script&gt;") && m.html.contains("Priya Psychologist"));
    }

    #[test]
    fn the_notice_has_no_personal_data() {
        let m = notice(&full(), &SENDING, None);
        let linked = notice(&full(), &SENDING, Some("https://liaison.example/shared/tok"));
        for part in [&m.subject, &m.text, &m.html, &linked.text, &linked.html] {
            for secret in ["Jo Bloggs", "1 Jun 1990", "Overdose"] {
                assert!(!part.contains(secret), "{secret} leaked");
            }
        }
        assert!(m.text.contains("RPT-AB12CD34") && m.text.contains("Maya Practitioner"));
        assert!(linked.text.contains("https://liaison.example/shared/tok") && linked.text.contains("72 hours"));
    }
}
