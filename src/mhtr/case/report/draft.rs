//! The draft's first text, from what the case records: the referral, the suitability
//! assessment, the latest consent, the proposed treatment, the secondary care contacts and
//! the consultant clinical psychologist's review. Anything not yet recorded is left out; the
//! practitioner edits the rest.

use std::collections::HashMap;

use diesel::prelude::*;

use crate::db::schema::{
    mhtr_assessment_sections, mhtr_consents, mhtr_negotiation_contacts, mhtr_psychology_reviews, partner_organisations,
    partner_services, users,
};
use crate::db::{DbConnection, from_text};
use crate::domain::codes::{self, CodeList};
use crate::domain::mhtr::{
    CONSENT_DECISIONS, CONTACT_METHODS, NEGOTIATION_OUTCOMES, REFERRAL_SOURCES, REVIEW_DECISIONS, TREATMENT_TYPES,
    assessment_section,
};
use crate::domain::words::count;
use crate::domain::{CalendarDate, local_time};
use crate::mhtr::case::MhtrCase;
use crate::mhtr::{hearing, referral};

/// Everything recorded on the case that the report draws on.
pub struct Recorded {
    case: MhtrCase,
    /// The internal referral's reason, when the case has none of its own.
    referral_reason: Option<String>,
    /// Assessment section code → its fields (field code → text).
    assessment: HashMap<String, serde_json::Map<String, serde_json::Value>>,
    /// decision, decided on, capacity note, witness.
    consent: Option<(String, CalendarDate, String, String)>,
    /// contacted on, organisation, service, clinician, method, agreed.
    contacts: Vec<(CalendarDate, String, String, String, String, String)>,
    /// reviewer, reviewed on, decision, notes.
    review: Option<(String, CalendarDate, String, Option<String>)>,
}

pub fn gather(conn: &mut DbConnection, case: &MhtrCase) -> QueryResult<Recorded> {
    let referral_reason = match (&case.referral_reason, &case.referral_id) {
        (None, Some(id)) => referral::find(conn, id)?.map(|r| r.reason),
        _ => None,
    };
    let sections: Vec<(String, String)> = mhtr_assessment_sections::table
        .filter(mhtr_assessment_sections::case_id.eq(&case.id))
        .select((mhtr_assessment_sections::section, mhtr_assessment_sections::content))
        .load(conn)?;
    // A section whose JSON cannot be read is left out rather than stopping the draft.
    let assessment = sections
        .into_iter()
        .filter_map(|(code, content)| Some((code, serde_json::from_str(&content).ok()?)))
        .collect();
    let consent = mhtr_consents::table
        .filter(mhtr_consents::case_id.eq(&case.id))
        .order((mhtr_consents::recorded_at.desc(), mhtr_consents::id.desc()))
        .select((
            mhtr_consents::decision,
            mhtr_consents::decided_on,
            mhtr_consents::capacity_note,
            mhtr_consents::witness,
        ))
        .first::<(String, String, String, String)>(conn)
        .optional()?
        .map(|(decision, on, capacity, witness)| QueryResult::Ok((decision, from_text(on)?, capacity, witness)))
        .transpose()?;
    let contacts = mhtr_negotiation_contacts::table
        .inner_join(partner_services::table.inner_join(partner_organisations::table))
        .filter(mhtr_negotiation_contacts::case_id.eq(&case.id))
        .order((
            mhtr_negotiation_contacts::contacted_on.asc(),
            mhtr_negotiation_contacts::recorded_at.asc(),
        ))
        .select((
            mhtr_negotiation_contacts::contacted_on,
            partner_organisations::name,
            partner_services::name,
            mhtr_negotiation_contacts::clinician,
            mhtr_negotiation_contacts::method,
            mhtr_negotiation_contacts::agreed,
        ))
        .load::<(String, String, String, String, String, String)>(conn)?
        .into_iter()
        .map(|(on, org, service, clinician, method, agreed)| {
            QueryResult::Ok((from_text(on)?, org, service, clinician, method, agreed))
        })
        .collect::<QueryResult<_>>()?;
    let review = mhtr_psychology_reviews::table
        .inner_join(users::table.on(users::id.eq(mhtr_psychology_reviews::reviewer_id)))
        .filter(mhtr_psychology_reviews::case_id.eq(&case.id))
        .order((
            mhtr_psychology_reviews::recorded_at.desc(),
            mhtr_psychology_reviews::id.desc(),
        ))
        .select((
            users::display_name,
            mhtr_psychology_reviews::reviewed_on,
            mhtr_psychology_reviews::decision,
            mhtr_psychology_reviews::notes,
        ))
        .first::<(String, String, String, Option<String>)>(conn)
        .optional()?
        .map(|(reviewer, on, decision, notes)| QueryResult::Ok((reviewer, from_text(on)?, decision, notes)))
        .transpose()?;
    Ok(Recorded {
        case: case.clone(),
        referral_reason,
        assessment,
        consent,
        contacts,
        review,
    })
}

fn label(list: CodeList, code: &str) -> String {
    codes::label_of(list, code).map_or_else(|| code.to_string(), str::to_string)
}

/// Non-empty lines joined by a blank line; `None` when nothing is recorded.
fn paragraphs(lines: Vec<String>) -> Option<String> {
    let lines: Vec<String> = lines.into_iter().filter(|l| !l.trim().is_empty()).collect();
    (!lines.is_empty()).then(|| lines.join("\n\n"))
}

impl Recorded {
    /// The assessment's answers in these sections, each "Field label: text".
    fn assessment(&self, section_codes: &[&str]) -> Vec<String> {
        let mut out = Vec::new();
        for code in section_codes {
            let (Some(section), Some(fields)) = (assessment_section(code), self.assessment.get(*code)) else {
                continue;
            };
            for (field, field_label) in section.fields {
                if let Some(text) = fields.get(*field).and_then(|v| v.as_str()).map(str::trim)
                    && !text.is_empty()
                {
                    out.push(format!("{field_label}: {text}"));
                }
            }
        }
        out
    }

    fn referral(&self) -> Vec<String> {
        let c = &self.case;
        let referrer: Vec<&str> = [&c.referrer_name, &c.referrer_organisation]
            .into_iter()
            .filter_map(|p| p.as_deref())
            .collect();
        let mut by = label(REFERRAL_SOURCES, &c.referral_source);
        if !referrer.is_empty() {
            by = format!("{by} ({})", referrer.join(", "));
        }
        let reason = c.referral_reason.as_ref().or(self.referral_reason.as_ref());
        vec![
            format!("Referred by: {by}"),
            c.court
                .as_ref()
                .map(|court| format!("Court: {court}"))
                .unwrap_or_default(),
            c.next_hearing
                .as_deref()
                .map(|h| format!("Sentencing hearing: {}", hearing::display(h)))
                .unwrap_or_default(),
            reason
                .map(|r| format!("Reason for referral: {}", r.trim()))
                .unwrap_or_default(),
        ]
    }

    fn consent(&self) -> Vec<String> {
        let Some((decision, on, capacity, witness)) = &self.consent else {
            return Vec::new();
        };
        vec![
            format!(
                "Consent to an MHTR: {}, on {}",
                label(CONSENT_DECISIONS, decision).to_lowercase(),
                local_time::day(*on)
            ),
            format!("Capacity: {capacity}"),
            format!("Witnessed by: {witness}"),
        ]
    }

    fn pathway(&self) -> Vec<String> {
        let c = &self.case;
        let mut out = vec![
            c.treatment_type
                .as_deref()
                .map(|t| format!("Proposed treatment: {}", label(TREATMENT_TYPES, t)))
                .unwrap_or_default(),
            c.planned_sessions
                .map(|n| format!("Planned sessions: {n}"))
                .unwrap_or_default(),
            c.treating_team
                .as_deref()
                .map(|t| format!("Treating team or practitioner: {t}"))
                .unwrap_or_default(),
            c.negotiation_outcome
                .as_deref()
                .map(|o| format!("Secondary care: {}", label(NEGOTIATION_OUTCOMES, o)))
                .unwrap_or_default(),
        ];
        for (on, org, service, clinician, method, agreed) in &self.contacts {
            out.push(format!(
                "{}, {org} – {service}, {clinician} ({}): {agreed}",
                local_time::day(*on),
                label(CONTACT_METHODS, method).to_lowercase()
            ));
        }
        if let Some((reviewer, on, decision, notes)) = &self.review {
            let notes = notes.as_deref().map(|n| format!(". {n}")).unwrap_or_default();
            out.push(format!(
                "Reviewed by {reviewer}, consultant clinical psychologist, on {}: {}{notes}",
                local_time::day(*on),
                label(REVIEW_DECISIONS, decision).to_lowercase()
            ));
        }
        out
    }

    fn recommendation(&self) -> Vec<String> {
        let c = &self.case;
        let Some(treatment) = c.treatment_type.as_deref() else {
            return Vec::new();
        };
        let sessions = c
            .planned_sessions
            .map(|n| format!(", {}", count(n, "session", "sessions")))
            .unwrap_or_default();
        let with = c
            .treating_team
            .as_deref()
            .map(|t| format!(", with {t}"))
            .unwrap_or_default();
        vec![format!(
            "We recommend a mental health treatment requirement: {}{sessions}{with}.",
            label(TREATMENT_TYPES, treatment).to_lowercase()
        )]
    }

    /// The first text of the suitability report's section `code`.
    pub fn prefill(&self, code: &str) -> Option<String> {
        paragraphs(match code {
            "referral" => self.referral(),
            "needs-history" => self.assessment(&["presenting-needs", "mental-health-history"]),
            "risks" => self.assessment(&["risks"]),
            "substance-trauma-safeguarding" => self.assessment(&["substance-use", "trauma-safeguarding"]),
            "protective-motivation" => self.assessment(&["protective-factors", "motivation"]),
            "consent-capacity" => self.consent(),
            "treatment-pathway" => self.pathway(),
            "recommendation" => self.recommendation(),
            _ => Vec::new(),
        })
    }
}
