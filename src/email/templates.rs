//! The referral emails. A secure address gets the letter with the minimum necessary; a
//! standard address gets a notice with no personal data. Subjects never carry personal data.

use maud::{DOCTYPE, Markup, html};

/// Who the referral is about; only ever put in a message to a secure address.
pub struct Person<'a> {
    pub name: &'a str,
    pub date_of_birth: &'a str,
    pub nhs_number: Option<&'a str>,
}

pub struct Referral<'a> {
    pub reference: &'a str,
    pub team: &'a str,
    pub contact_phone: &'a str,
    pub practitioner: &'a str,
    pub service: &'a str,
    pub urgency: &'a str,
    pub answer_url: &'a str,
    pub answer_by: &'a str,
    pub reason: &'a str,
    pub shared_information: &'a str,
    pub consent_statement: &'a str,
    pub purpose: Purpose<'a>,
}

/// Why this message about the referral is sent.
#[derive(Clone, Copy)]
pub enum Purpose<'a> {
    /// The referral itself.
    First,
    /// A reminder for an unanswered referral.
    Chase,
    /// The team's answer to the partner's request for more information.
    Reply { question: &'a str, reply: &'a str },
}

impl Purpose<'_> {
    /// The opening line for both kinds of message; the reply's text goes only in the letter.
    fn opening(&self) -> Option<&'static str> {
        match self {
            Purpose::First => None,
            Purpose::Chase => Some("This is a reminder: we have not had an answer yet."),
            Purpose::Reply { .. } => Some("We have answered your request for more information."),
        }
    }
}

pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

fn subject(r: &Referral<'_>) -> String {
    let prefix = match r.purpose {
        Purpose::First => "",
        Purpose::Chase => "Reminder: ",
        Purpose::Reply { .. } => "More information: ",
    };
    format!("{prefix}Referral {} from {}", r.reference, r.team)
}

/// A whole HTML email around `body`.
pub fn page(title: &str, body: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang="en-GB" {
            head { meta charset="utf-8"; title { (title) } }
            body { (body) }
        }
    }
    .into_string()
}

fn answer_text(r: &Referral<'_>) -> String {
    format!(
        "Please answer by {}: accept, decline with a reason, or ask for more information, at\n{}\n\
         The link works once and needs no account.",
        r.answer_by, r.answer_url
    )
}

/// The letter for a secure address (NHSmail, CJSM or another accredited domain).
pub fn letter(r: &Referral<'_>, p: &Person<'_>) -> Rendered {
    let nhs = p.nhs_number.unwrap_or("not recorded");
    let mut opening = r.purpose.opening().map(|o| format!("{o}\n\n")).unwrap_or_default();
    if let Purpose::Reply { question, reply } = r.purpose {
        opening.push_str(&format!("You asked:\n{question}\n\nOur answer:\n{reply}\n\n"));
    }
    let text = format!(
        "{opening}Referral {reference} to {service}\nFrom: {team}, {practitioner}, telephone {phone}\nUrgency: {urgency}\n\n\
         Person: {name}, born {dob}, NHS number {nhs}\n\nReason for referral:\n{reason}\n\n\
         Relevant needs and risks:\n{shared}\n\nConsent: {consent}\n\n{answer}\n",
        reference = r.reference,
        service = r.service,
        team = r.team,
        practitioner = r.practitioner,
        phone = r.contact_phone,
        urgency = r.urgency,
        name = p.name,
        dob = p.date_of_birth,
        reason = r.reason,
        shared = r.shared_information,
        consent = r.consent_statement,
        answer = answer_text(r),
    );
    let body = html! {
        @if let Some(o) = r.purpose.opening() { p { strong { (o) } } }
        @if let Purpose::Reply { question, reply } = r.purpose {
            h2 { "You asked" }
            p { (question) }
            h2 { "Our answer" }
            p { (reply) }
        }
        h1 { "Referral " (r.reference) " to " (r.service) }
        p { "From " (r.team) ", " (r.practitioner) ", telephone " (r.contact_phone) ". Urgency: " (r.urgency) "." }
        h2 { "Person" }
        p { (p.name) ", born " (p.date_of_birth) ", NHS number " (nhs) }
        h2 { "Reason for referral" }
        p { (r.reason) }
        h2 { "Relevant needs and risks" }
        p { (r.shared_information) }
        h2 { "Consent" }
        p { (r.consent_statement) }
        h2 { "Your answer" }
        p { "Please answer by " (r.answer_by) ": " a href=(r.answer_url) { "accept, decline with a reason, or ask for more information" } ". The link works once and needs no account." }
    };
    Rendered {
        subject: subject(r),
        text,
        html: page(&subject(r), body),
    }
}

/// The notice for a standard address: no personal data at all.
pub fn notice(r: &Referral<'_>) -> Rendered {
    let opening = r.purpose.opening().map(|o| format!("{o}\n\n")).unwrap_or_default();
    let text = format!(
        "{opening}{team} has made a referral to {service}, reference {reference}.\n\
         For the details, telephone {phone} and quote the reference. This email is not secure, so it \
         contains no personal information.\n\n{answer}\n",
        team = r.team,
        service = r.service,
        reference = r.reference,
        phone = r.contact_phone,
        answer = answer_text(r),
    );
    let body = html! {
        @if let Some(o) = r.purpose.opening() { p { strong { (o) } } }
        h1 { "Referral " (r.reference) }
        p { (r.team) " has made a referral to " (r.service) "." }
        p { "For the details, telephone " (r.contact_phone) " and quote the reference. This email is not secure, so it contains no personal information." }
        p { "Please answer by " (r.answer_by) ": " a href=(r.answer_url) { "accept, decline with a reason, or ask for more information" } ". The link works once and needs no account." }
    };
    Rendered {
        subject: subject(r),
        text,
        html: page(&subject(r), body),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn referral(purpose: Purpose<'static>) -> Referral<'static> {
        Referral {
            reference: "REF-7K2Q9",
            team: "Brent L&D",
            contact_phone: "020 7946 0000",
            practitioner: "Alex Practitioner",
            service: "Brent CAMHS",
            urgency: "Urgent – today",
            answer_url: "https://liaison.example/answer/abc",
            answer_by: "6 Dec 2026",
            reason: "Low mood <script>",
            shared_information: "Self-harm history",
            consent_statement: "Consent given on 22 Nov 2026",
            purpose,
        }
    }

    const PERSON: Person<'static> = Person {
        name: "Jo Bloggs",
        date_of_birth: "1 Jun 2009",
        nhs_number: Some("943 476 5919"),
    };

    #[test]
    fn the_letter_carries_the_minimum_and_escapes_html() {
        let m = letter(&referral(Purpose::First), &PERSON);
        assert_eq!(m.subject, "Referral REF-7K2Q9 from Brent L&D");
        for part in [&m.text, &m.html] {
            assert!(
                part.contains("Jo Bloggs")
                    && part.contains("Self-harm history")
                    && part.contains("https://liaison.example/answer/abc")
            );
        }
        assert!(m.html.contains("Low mood &lt;script&gt;"), "user text is escaped");
    }

    #[test]
    fn the_notice_has_no_personal_data() {
        let m = notice(&referral(Purpose::Chase));
        assert_eq!(m.subject, "Reminder: Referral REF-7K2Q9 from Brent L&D");
        for part in [&m.text, &m.html, &m.subject] {
            for secret in ["Jo Bloggs", "1 Jun 2009", "943 476 5919", "Low mood", "Self-harm"] {
                assert!(!part.contains(secret), "{secret} leaked");
            }
        }
        assert!(m.text.contains("REF-7K2Q9") && m.text.contains("020 7946 0000") && m.text.contains("/answer/abc"));
    }

    const REPLY: Purpose<'static> = Purpose::Reply {
        question: "Is there a current risk assessment?",
        reply: "Yes: reviewed on 28 Nov, low risk to others",
    };

    #[test]
    fn a_reply_quotes_the_question_and_answer_only_in_the_letter() {
        let secure = letter(&referral(REPLY), &PERSON);
        assert_eq!(secure.subject, "More information: Referral REF-7K2Q9 from Brent L&D");
        for part in [&secure.text, &secure.html] {
            assert!(part.contains("Is there a current risk assessment?") && part.contains("low risk to others"));
        }
        let standard = notice(&referral(REPLY));
        for part in [&standard.text, &standard.html, &standard.subject] {
            assert!(
                !part.contains("risk assessment") && !part.contains("low risk"),
                "{part}"
            );
        }
        assert!(standard.text.contains("We have answered your request") && standard.text.contains("/answer/abc"));
    }
}
