//! The referrals section of an episode page: each referral with its status, answer and
//! conversation and what can be done next, and the MHTR referrals made from the episode.

use diesel::prelude::*;
use maud::{Markup, html};

use super::status::{ATTENDANCE, service_names, tone};
use super::{Referral, Status};
use crate::clock::Millis;
use crate::db::DbConnection;
use crate::domain::local_time;
use crate::domain::words::count;
use crate::views::components::{self, Tone};

/// What the referrals section of an episode page shows, read in a fixed number of queries.
pub struct EpisodeReferrals {
    /// Each referral with its service's name.
    pub list: Vec<(Referral, String)>,
    pub mhtr: Vec<MhtrReferralLine>,
    /// Why each failed referral's email was refused: (referral id, error).
    pub failures: Vec<(String, String)>,
    /// The conversations on them, oldest first.
    pub messages: Vec<super::reply::Message>,
}

impl EpisodeReferrals {
    pub fn load(conn: &mut DbConnection, episode_id: &str, person_id: &str) -> QueryResult<Self> {
        let referrals = super::for_episode(conn, episode_id)?;
        let ids: Vec<&str> = referrals.iter().map(|r| r.id.as_str()).collect();
        let failed: Vec<&str> = referrals
            .iter()
            .filter(|r| r.status == Status::Failed)
            .map(|r| r.id.as_str())
            .collect();
        let failures = if failed.is_empty() {
            Vec::new()
        } else {
            super::retry::failures(conn, &failed)?
        };
        let messages = if ids.is_empty() {
            Vec::new()
        } else {
            super::reply::for_referrals(conn, &ids)?
        };
        let service_ids: Vec<String> = referrals.iter().filter_map(|r| r.service_id.clone()).collect();
        let names = service_names(conn, &service_ids)?;
        let list = referrals
            .into_iter()
            .map(|r| {
                let name = r
                    .service_id
                    .as_ref()
                    .and_then(|s| names.iter().find(|(id, _)| id == s))
                    .map_or_else(String::new, |(_, n)| n.clone());
                (r, name)
            })
            .collect();
        Ok(Self {
            list,
            mhtr: mhtr_for_episode(conn, person_id, episode_id)?,
            failures,
            messages,
        })
    }
}

/// An MHTR referral made from an episode, as its referrals section lists it.
pub struct MhtrReferralLine {
    pub team: String,
    pub status: String,
    pub created_at: Millis,
    pub decline_reason: Option<String>,
}

/// The MHTR referrals made from this episode (read through the person's, which are few).
pub fn mhtr_for_episode(
    conn: &mut DbConnection,
    person_id: &str,
    episode_id: &str,
) -> QueryResult<Vec<MhtrReferralLine>> {
    use crate::db::schema::{mhtr_referrals, teams};
    Ok(mhtr_referrals::table
        .inner_join(teams::table.on(teams::id.eq(mhtr_referrals::team_id)))
        .filter(mhtr_referrals::person_id.eq(person_id))
        .filter(mhtr_referrals::episode_id.eq(episode_id))
        .order(mhtr_referrals::created_at.desc())
        .select((
            teams::name,
            mhtr_referrals::status,
            mhtr_referrals::created_at,
            mhtr_referrals::decline_reason,
        ))
        .load::<(String, String, Millis, Option<String>)>(conn)?
        .into_iter()
        .map(|(team, status, created_at, decline_reason)| MhtrReferralLine {
            team,
            status,
            created_at,
            decline_reason,
        })
        .collect())
}

fn mhtr_lines(lines: &[MhtrReferralLine]) -> Markup {
    html! {
        @for r in lines {
            div.app-card {
                h3.app-heading-s { "MHTR service – " (r.team) }
                p {
                    @match r.status.as_str() {
                        "new" => (components::tag("Waiting for the intake decision", Tone::Neutral)),
                        "accepted" => (components::tag("Accepted", Tone::Good)),
                        _ => (components::tag("Declined", Tone::Bad)),
                    }
                }
                (components::summary_list(&[
                    ("Referred", html! { (local_time::date_time(r.created_at)) }),
                    ("Reason declined", html! { (r.decline_reason.as_deref().unwrap_or("Not applicable")) }),
                ]))
            }
        }
    }
}

/// The referral's conversation with the service, and the way to answer a question.
fn conversation(r: &Referral, messages: &[super::reply::Message]) -> Markup {
    let mut own = messages.iter().filter(|m| m.referral_id == r.id.as_str()).peekable();
    // A question recorded before conversations were kept is still the referral's latest answer.
    let legacy = own.peek().is_none().then_some(r.answer_message.as_deref()).flatten();
    html! {
        @if own.peek().is_some() || legacy.is_some() {
            h4.app-heading-s { "Messages" }
            (super::reply::thread(own))
            @if let Some(question) = legacy { div.app-message { p.app-hint { "From the service" } p.app-message__body { (question) } } }
        }
        @if r.status == Status::MoreInformation {
            p { a.app-button.app-button--small href={ "/referrals/" (r.id) "/reply" } { "Answer their question" span.app-visually-hidden { ": " (r.reference) } } }
        }
    }
}

/// The referrals section of the episode page.
/// `mhtr_offered` is the MHTR offer rule's answer for this person: the button, or why not.
pub fn episode_section(
    episode_id: &str,
    open: bool,
    mhtr_offered: Result<(), &str>,
    referrals: &EpisodeReferrals,
    csrf: &str,
) -> Markup {
    let (list, mhtr, failures) = (&referrals.list, &referrals.mhtr, &referrals.failures);
    html! {
        h2.app-heading-m #referrals { "Referrals" }
        @if open {
            div.app-actions {
                a.app-button.app-button--secondary href={ "/episodes/" (episode_id) "/referrals/new" } { "Make a referral" }
                @if mhtr_offered.is_ok() {
                    a.app-button.app-button--secondary href={ "/episodes/" (episode_id) "/mhtr-referral" } { "Refer to the MHTR service" }
                }
            }
            @if let Err(why) = mhtr_offered { p.app-hint { (why) } }
        }
        @if list.is_empty() && mhtr.is_empty() { p { "No referrals yet." } }
        (mhtr_lines(mhtr))
        @for (r, service) in list {
            div.app-card {
                h3.app-heading-s { (service) " – " (r.reference) }
                p { (components::tag(r.status_label(), tone(r.status))) }
                (components::summary_list(&[
                    ("Made", html! { (local_time::date_time(r.created_at)) }),
                    ("Sent", html! { @if let Some(t) = r.sent_at { (local_time::date_time(t)) } @else { "Not yet" } }),
                    ("Answer", html! {
                        @if let Some(t) = r.answered_at { (local_time::date_time(t)) }
                        @if let Some(reason) = &r.answer_reason { br; "Reason: " (reason) }
                        @if r.answered_at.is_none() { "None yet" @if r.chase_count > 0 { " – chased " (count(r.chase_count, "time", "times")) } }
                    }),
                ]))
                (conversation(r, &referrals.messages))
                @if r.status == Status::Failed {
                    p { "The email could not be delivered. Check the address with the service, then send it again." }
                    @for (_, error) in failures.iter().filter(|(id, _)| *id == r.id.as_str()) {
                        p.app-hint { "The mail server said: " (error) }
                    }
                    form.app-inline-form method="post" action={ "/referrals/" (r.id) "/send-again" } {
                        (components::csrf_field(csrf))
                        button.app-button.app-button--small type="submit" { "Send again" span.app-visually-hidden { ": " (r.reference) } }
                    }
                }
                @if r.status == Status::Sent {
                    form.app-inline-form method="post" action={ "/referrals/" (r.id) "/chase" } {
                        (components::csrf_field(csrf))
                        button.app-button.app-button--small.app-button--secondary type="submit" { "Chase now" span.app-visually-hidden { ": " (r.reference) } }
                    }
                }
                @if r.status.closable() {
                    form.app-inline-form method="post" action={ "/referrals/" (r.id) "/close" } {
                        (components::csrf_field(csrf))
                        button.app-button.app-button--small.app-button--secondary type="submit" { "Close referral" span.app-visually-hidden { ": " (r.reference) } }
                    }
                }
                @if r.status == Status::Accepted {
                    form method="post" action={ "/referrals/" (r.id) "/attendance" } {
                        (components::csrf_field(csrf))
                        (components::radios(&format!("attended-{}", r.id), "Did the person attend the first appointment?", &ATTENDANCE.map(|(s, label)| (s.code(), label)), "", &crate::views::form::Errors::default()))
                        button.app-button.app-button--small type="submit" { "Record attendance" }
                    }
                }
            }
        }
    }
}
