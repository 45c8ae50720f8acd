//! A report's first text and answers, from what the episode records: the custody or court
//! details, the consent to share, the screening's vulnerabilities and concerns, the
//! assessment, the appropriate adult, the referrals made and who wrote it. Nothing not
//! recorded is invented; the practitioner edits the rest.

use std::collections::HashMap;

use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{
    appropriate_adults, assessment_sections, partner_services, referrals, screenings, sites, teams,
};
use crate::domain::codes::assessment_section;
use crate::domain::local_time;
use crate::domain::sharing::{Answer, Scope};
use crate::records::Episode;
use crate::reports::{Answers, Kind, Prefill};
use crate::sharing::store::{self as consents, Consent};

/// Everything recorded on the episode that a report draws on.
pub struct Recorded {
    episode: Episode,
    site: String,
    team: String,
    author: String,
    consent: Option<Consent>,
    /// Screening: vulnerability codes and presenting concerns.
    screening: Option<(Vec<String>, String)>,
    /// The appropriate adult's relationship, and whether present.
    appropriate_adult: Option<(String, bool)>,
    /// Assessment section code → field code → text.
    assessment: HashMap<String, serde_json::Map<String, serde_json::Value>>,
    /// "CMHT at Brent (sent)".
    referrals: Vec<String>,
    /// The MHTR service's suitability report about the person, if any: its reference and
    /// latest signed-off version.
    mhtr_report: Option<(String, Option<i32>)>,
}

pub fn gather(conn: &mut DbConnection, ep: &Episode, author: &str) -> QueryResult<Recorded> {
    let (site, team): (String, String) = sites::table
        .inner_join(teams::table.on(teams::id.eq(sites::team_id)))
        .filter(sites::id.eq(&ep.site_id))
        .select((sites::name, teams::name))
        .first(conn)?;
    let screening = screenings::table
        .find(&ep.id)
        .select((screenings::vulnerabilities, screenings::presenting_concerns))
        .first::<(String, String)>(conn)
        .optional()?
        .map(|(v, concerns)| {
            (
                v.split(',').filter(|c| !c.is_empty()).map(String::from).collect(),
                concerns,
            )
        });
    let appropriate_adult = appropriate_adults::table
        .find(&ep.id)
        .select((appropriate_adults::relationship, appropriate_adults::present))
        .first(conn)
        .optional()?;
    let assessment = assessment_sections::table
        .filter(assessment_sections::episode_id.eq(&ep.id))
        .select((assessment_sections::section, assessment_sections::content))
        .load::<(String, String)>(conn)?
        .into_iter()
        .filter_map(|(code, content)| Some((code, serde_json::from_str(&content).ok()?)))
        .collect();
    let referrals = referrals::table
        .left_join(partner_services::table.on(partner_services::id.nullable().eq(referrals::service_id)))
        .filter(referrals::episode_id.eq(&ep.id))
        .order(referrals::created_at.asc())
        .select((partner_services::name.nullable(), referrals::status))
        .load::<(Option<String>, String)>(conn)?
        .into_iter()
        .map(|(service, status)| {
            let status = crate::referrals::Status::try_from(status).map_or("recorded", |s| s.label());
            format!(
                "{} ({})",
                service.unwrap_or_else(|| "Referral".into()),
                status.to_lowercase()
            )
        })
        .collect();
    let mhtr_report = crate::db::schema::reports::table
        .filter(crate::db::schema::reports::person_id.eq(&ep.person_id))
        .filter(crate::db::schema::reports::kind.eq(Kind::MhtrSuitability.code()))
        .order(crate::db::schema::reports::created_at.desc())
        .select(crate::reports::Report::as_select())
        .first(conn)
        .optional()?
        .map(|r| QueryResult::Ok((r.reference(), crate::reports::latest_version(conn, &r.id)?)))
        .transpose()?;
    Ok(Recorded {
        episode: ep.clone(),
        mhtr_report,
        site,
        team,
        author: author.to_string(),
        consent: consents::current(conn, &ep.id)?,
        screening,
        appropriate_adult,
        assessment,
        referrals,
    })
}

fn text(body: impl Into<String>) -> Prefill {
    Prefill {
        body: body.into(),
        answers: Answers::default(),
    }
}

const RISK_REASONS: [&str; 3] = ["to-self-rationale", "to-others-rationale", "from-others-rationale"];

impl Recorded {
    fn assessed(&self, section: &str, fields: &[&str]) -> String {
        let (Some(spec), Some(saved)) = (assessment_section(section), self.assessment.get(section)) else {
            return String::new();
        };
        fields
            .iter()
            .filter_map(|f| {
                let words = saved.get(*f)?.as_str()?.trim();
                (!words.is_empty()).then(|| format!("{}: {words}", spec.field_label(f).unwrap_or(f)))
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// What the person agreed for this scope, in words, from the consent record.
    fn consent(&self, scope: Scope) -> String {
        let Some(c) = &self.consent else { return String::new() };
        let answer = match c.answer(scope) {
            Answer::Granted => "agreed to",
            Answer::Refused => "refused",
            Answer::NotAsked => "was not asked about",
        };
        let limits = c
            .scopes
            .iter()
            .find(|(s, _, _)| *s == scope)
            .and_then(|(_, _, l)| l.as_deref())
            .map(|l| format!(" Limits: {l}."))
            .unwrap_or_default();
        format!(
            "The person {answer} sharing with the {} (consent to share version {}, recorded by {} on {}; {}).{limits}",
            scope.label().to_lowercase(),
            c.version,
            c.captured_by,
            local_time::local_day(c.captured_at),
            c.method.label().to_lowercase(),
        )
    }

    fn referrals(&self) -> String {
        if self.referrals.is_empty() {
            return "None made.".into();
        }
        self.referrals.join("\n")
    }

    fn contact(&self) -> String {
        format!("{}, {}", self.author, self.team)
    }

    fn vulnerabilities(&self) -> Prefill {
        let mut answers = Answers::default();
        let mut body = String::new();
        if let Some((codes, concerns)) = &self.screening {
            answers.set_ticks("found", &codes.iter().map(String::as_str).collect::<Vec<_>>());
            body = concerns.clone();
        }
        Prefill { body, answers }
    }

    fn custody(&self, code: &str) -> Prefill {
        let ep = &self.episode;
        match code {
            "custody" => text(
                [
                    ep.reference.as_deref().map(|r| format!("Custody record number: {r}")),
                    Some(format!("Station: {}", self.site)),
                    ep.arrest_or_listing_at
                        .map(|at| format!("Arrested: {}", local_time::date_time(at))),
                    ep.screened_at
                        .map(|at| format!("Seen by L&D: {}", local_time::date_time(at))),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join("\n"),
            ),
            "consent" => text(self.consent(Scope::Police)),
            "vulnerabilities" => self.vulnerabilities(),
            "appropriate-adult" => match &self.appropriate_adult {
                Some((relationship, present)) => {
                    let mut answers = Answers::default();
                    answers.set_text("indicated", "arranged");
                    let present = if *present { "present" } else { "not yet present" };
                    Prefill {
                        body: format!("Appropriate adult recorded: {relationship}, {present}."),
                        answers,
                    }
                }
                None => Prefill::default(),
            },
            "risk" => text(self.assessed("risk", &RISK_REASONS)),
            "referrals" => text(self.referrals()),
            "contact" => text(self.contact()),
            _ => Prefill::default(),
        }
    }

    fn court(&self, code: &str) -> Prefill {
        let ep = &self.episode;
        match code {
            "case" => {
                let mut answers = Answers::default();
                answers.set_text("court", &self.site);
                answers.set_text("case-number", ep.reference.as_deref().unwrap_or(""));
                answers.set_text("charges", ep.offence.as_deref().unwrap_or(""));
                if let Some(at) = ep.arrest_or_listing_at {
                    answers.set_text("hearing-date", &local_time::local_day(at));
                }
                Prefill {
                    body: String::new(),
                    answers,
                }
            }
            "purpose" => {
                text("This is a liaison and diversion assessment to inform the court. It is not a psychiatric report.")
            }
            "consent" => text(self.consent(Scope::Court)),
            "presentation" => text(self.assessed(
                "mental-state-examination",
                &["appearance-behaviour", "speech", "mood-affect", "cognition"],
            )),
            "history" => text(self.assessed(
                "background",
                &["psychiatric", "neurodiversity", "substance-use", "physical-health"],
            )),
            "social" => text(self.assessed("background", &["social"])),
            "risk" => text(self.assessed("risk", &RISK_REASONS)),
            "referrals" => text(self.referrals()),
            "author" => text(self.contact()),
            "distribution" => text("The court legal adviser."),
            _ => Prefill::default(),
        }
    }

    fn cps_or_probation(&self, code: &str, scope: Scope) -> Prefill {
        match code {
            "consent" => text(self.consent(scope)),
            "health-context" => self.vulnerabilities(),
            "risk" => text(self.assessed("risk", &RISK_REASONS)),
            "referrals" => text(self.referrals()),
            "plan" => text(self.assessed("care-pathway", &["plan"])),
            "mhtr" => text(match &self.mhtr_report {
                Some((reference, Some(v))) => {
                    format!(
                        "The MHTR service's suitability report {reference} is final at version {v}: ask the MHTR service for it."
                    )
                }
                Some((reference, None)) => {
                    format!("The MHTR service is writing a suitability report ({reference}); it is not signed off yet.")
                }
                None => "The MHTR service has not written a suitability report.".to_string(),
            }),
            "contact" => text(self.contact()),
            _ => Prefill::default(),
        }
    }

    /// The first text and answers of section `code` of a report of `kind`.
    pub fn prefill(&self, kind: Kind, code: &str) -> Prefill {
        match kind {
            Kind::CustodySummary => self.custody(code),
            Kind::CourtReport => self.court(code),
            Kind::CpsInformation => self.cps_or_probation(code, Scope::Cps),
            Kind::ProbationInput => self.cps_or_probation(code, Scope::Probation),
            Kind::MhtrSuitability => Prefill::default(),
        }
    }
}
