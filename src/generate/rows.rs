//! The rows the generator writes, one struct per table, inserted many at a time. A `None`
//! is stored as NULL (never as the column's default), so every row of a batch has the same
//! columns and one multi-row INSERT takes them all.

use diesel::prelude::*;

use crate::clock::Millis;
use crate::db::schema::{
    appropriate_adults, episodes, mhtr_case_events, mhtr_cases, mhtr_hearings, mhtr_orders, mhtr_referrals, people,
    referrals, safeguarding_concerns, screenings, timeline_entries,
};

#[derive(Insertable)]
#[diesel(table_name = people, treat_none_as_default_value = false)]
pub struct Person<'a> {
    pub id: String,
    pub nhs_number: Option<String>,
    pub pnc_id: Option<String>,
    pub cro_number: Option<String>,
    pub given_name: &'a str,
    pub family_name: &'a str,
    pub given_key: String,
    pub family_key: String,
    pub date_of_birth: String,
    pub sex: Option<&'a str>,
    pub gender_identity: Option<&'a str>,
    pub ethnic_category: Option<&'a str>,
    pub preferred_language: Option<&'a str>,
    pub interpreter_needed: bool,
    pub gp_practice: Option<&'a str>,
    pub created_by: Option<&'a str>,
    pub created_at: Millis,
    pub updated_at: Millis,
}

#[derive(Insertable)]
#[diesel(table_name = episodes, treat_none_as_default_value = false)]
pub struct Episode<'a> {
    pub id: String,
    pub person_id: String,
    pub site_id: &'a str,
    pub team_id: &'a str,
    pub status: &'a str,
    pub youth: bool,
    pub alert_at: Millis,
    pub reference: Option<String>,
    pub offence: Option<&'a str>,
    pub arrest_or_listing_at: Option<Millis>,
    pub referral_source: &'a str,
    pub concern: &'a str,
    pub voluntary_attendance: bool,
    pub location: Option<String>,
    pub allocated_to: Option<&'a str>,
    pub urgent: bool,
    pub risk_to_self: bool,
    pub risk_to_others: bool,
    pub risk_from_others: bool,
    pub safeguarding: bool,
    pub screening_started_at: Option<Millis>,
    pub screened_at: Option<Millis>,
    pub assessment_started_at: Option<Millis>,
    pub assessed_at: Option<Millis>,
    pub closed_at: Option<Millis>,
    pub closure_outcome: Option<&'a str>,
    pub closure_note: Option<&'a str>,
    pub created_by: &'a str,
    pub created_at: Millis,
    pub updated_at: Millis,
    pub cj_stage: Option<&'a str>,
    pub not_seen_reason: Option<&'a str>,
}

#[derive(Insertable)]
#[diesel(table_name = screenings, treat_none_as_default_value = false)]
pub struct Screening<'a> {
    pub episode_id: String,
    pub consent: &'a str,
    pub vulnerabilities: String,
    pub presenting_concerns: &'a str,
    pub outcome: &'a str,
    pub completed_by: &'a str,
    pub completed_at: Millis,
}

#[derive(Insertable)]
#[diesel(table_name = appropriate_adults, treat_none_as_default_value = false)]
pub struct AppropriateAdult<'a> {
    pub episode_id: String,
    pub name: String,
    pub relationship: &'a str,
    pub phone: &'a str,
    pub present: bool,
    pub recorded_by: &'a str,
    pub recorded_at: Millis,
}

#[derive(Insertable)]
#[diesel(table_name = timeline_entries, treat_none_as_default_value = false)]
pub struct TimelineEntry<'a> {
    pub id: String,
    pub episode_id: String,
    pub at: Millis,
    pub author_id: &'a str,
    pub kind: &'a str,
    pub body: String,
    pub corrects_id: Option<String>,
}

#[derive(Insertable)]
#[diesel(table_name = referrals, treat_none_as_default_value = false)]
pub struct Referral<'a> {
    pub id: String,
    pub episode_id: String,
    pub service_id: Option<&'a str>,
    pub kind: &'a str,
    pub reason: &'a str,
    pub urgency: &'a str,
    pub shared_information: &'a str,
    pub consent: &'a str,
    pub lawful_basis: Option<&'a str>,
    pub consent_override: Option<&'a str>,
    pub status: &'a str,
    pub submission_key: String,
    pub reference: String,
    pub answer_reason: Option<&'a str>,
    pub answer_message: Option<&'a str>,
    pub created_by: &'a str,
    pub created_at: Millis,
    pub sent_at: Option<Millis>,
    pub answered_at: Option<Millis>,
    pub last_chased_at: Option<Millis>,
    pub chase_count: i32,
    pub updated_at: Millis,
}

#[derive(Insertable)]
#[diesel(table_name = safeguarding_concerns, treat_none_as_default_value = false)]
pub struct Safeguarding<'a> {
    pub id: String,
    pub episode_id: String,
    pub kind: &'a str,
    pub agency: &'a str,
    pub raised_on: String,
    pub agency_reference: Option<String>,
    pub outcome: Option<&'a str>,
    pub recorded_by: &'a str,
    pub recorded_at: Millis,
}

#[derive(Insertable)]
#[diesel(table_name = mhtr_referrals, treat_none_as_default_value = false)]
pub struct MhtrReferral<'a> {
    pub id: String,
    pub person_id: String,
    pub episode_id: Option<String>,
    pub team_id: &'a str,
    pub reason: &'a str,
    pub hearing_date: Option<String>,
    pub status: &'a str,
    pub decline_reason: Option<&'a str>,
    pub referred_by: &'a str,
    pub created_at: Millis,
    pub decided_by: Option<&'a str>,
    pub decided_at: Option<Millis>,
}

#[derive(Insertable)]
#[diesel(table_name = mhtr_cases, treat_none_as_default_value = false)]
pub struct MhtrCase<'a> {
    pub id: String,
    pub person_id: String,
    pub team_id: &'a str,
    pub referral_id: Option<String>,
    pub status: &'a str,
    pub referral_source: &'a str,
    pub court: Option<&'a str>,
    pub next_hearing: Option<String>,
    pub deadline_kind: &'a str,
    pub report_due: Option<String>,
    pub eligibility_outcome: Option<&'a str>,
    pub eligibility_reasons: Option<&'a str>,
    pub exit_reason: Option<&'a str>,
    pub exit_note: Option<&'a str>,
    pub accepted_at: Millis,
    pub eligibility_at: Option<Millis>,
    pub closed_at: Option<Millis>,
    pub created_by: &'a str,
    pub created_at: Millis,
    pub updated_at: Millis,
    pub referral_reason: Option<&'a str>,
    pub referrer_name: Option<&'a str>,
    pub referrer_organisation: Option<&'a str>,
    pub referrer_email: Option<&'a str>,
    pub referrer_phone: Option<&'a str>,
    pub treatment_type: Option<&'a str>,
    pub planned_sessions: Option<i32>,
    pub treating_team: Option<&'a str>,
    pub negotiation_outcome: Option<&'a str>,
}

#[derive(Insertable)]
#[diesel(table_name = mhtr_case_events, treat_none_as_default_value = false)]
pub struct MhtrCaseEvent<'a> {
    pub id: String,
    pub case_id: String,
    pub at: Millis,
    pub author_id: &'a str,
    pub from_status: &'a str,
    pub to_status: &'a str,
    pub note: Option<&'a str>,
}

#[derive(Insertable)]
#[diesel(table_name = mhtr_hearings, treat_none_as_default_value = false)]
pub struct MhtrHearing<'a> {
    pub id: String,
    pub case_id: String,
    pub heard_on: String,
    pub outcome: &'a str,
    pub adjourned_to: Option<String>,
    pub notes: Option<&'a str>,
    pub recorded_by: &'a str,
    pub recorded_at: Millis,
}

#[derive(Insertable)]
#[diesel(table_name = mhtr_orders, treat_none_as_default_value = false)]
pub struct MhtrOrder<'a> {
    pub case_id: String,
    pub sentenced_on: String,
    pub order_type: &'a str,
    pub requirement_months: i32,
    pub responsible_officer: &'a str,
    pub responsible_officer_email: &'a str,
    pub treating_practitioner: &'a str,
    pub completion_outcome: Option<&'a str>,
    pub completed_at: Option<Millis>,
    pub recorded_by: &'a str,
    pub recorded_at: Millis,
}
