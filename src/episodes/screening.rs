//! Screening (DOMAIN.md §1, step 2): need, risk and urgency, and whether a full assessment is
//! needed. For someone under 18 an appropriate adult (PACE Code C) must be recorded first.

use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use maud::{Markup, html};

use super::timeline::{self, Kind};
use super::{Episode, access};
use crate::audit::{self, Actor, Event};
use crate::auth::CurrentUser;
use crate::clock::Millis;
use crate::db::schema::{appropriate_adults, episodes, screenings};
use crate::db::{DbConnection, write_tx};
use crate::domain::codes::{self, CodeList};
use crate::domain::episode::{Action, EpisodeStatus};
use crate::domain::local_time;
use crate::people::Person;
use crate::shifts::phone_problem;
use crate::state::AppState;
use crate::views::components::{self, Field};
use crate::views::{Page, layout};
use crate::web::error::AppError;
use crate::web::form::Errors;
use crate::web::{form_status, html as respond, see_other};

/// The screening outcome that sends the episode on to a full assessment.
pub const FULL_ASSESSMENT_NEEDED: &str = "full-assessment-needed";

/// Whether the person agreed to be screened.
pub const CONSENT: CodeList = &[
    ("given", "Consent given"),
    ("declined", "Declined"),
    ("unable", "Unable to consent, for example intoxicated or too unwell"),
];

/// The immediate risks asked about at screening; each is a flag on the episode.
const RISKS: CodeList = &[
    ("self", "Risk to self or suicide"),
    ("others", "Harm to others"),
    ("from-others", "Risk from others"),
];

/// Where to refer a young person before anything else (DOMAIN.md §1, under-18s).
const YOUTH_ROUTES: &[&str] = &["Youth offending team (YOT)", "CAMHS", "Children's safeguarding"];

const CONCERNS_MAX: usize = 4000;
const NAME_MAX: usize = 100;
const RECORD: &str = "screening";
const ADULT_RECORD: &str = "appropriate-adult";

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/episodes/{id}/screening", web::get().to(show))
        .route("/episodes/{id}/screening", web::post().to(save))
        .route("/episodes/{id}/appropriate-adult", web::get().to(show_adult))
        .route("/episodes/{id}/appropriate-adult", web::post().to(save_adult));
}

// ---- Records ----------------------------------------------------------------------------

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = screenings)]
pub struct Screening {
    pub episode_id: String,
    pub consent: String,
    /// Codes from `codes::VULNERABILITIES`, comma-separated.
    pub vulnerabilities: String,
    pub presenting_concerns: String,
    pub outcome: String,
    pub completed_by: String,
    pub completed_at: Millis,
}

impl Screening {
    pub fn vulnerability_codes(&self) -> impl Iterator<Item = &str> {
        self.vulnerabilities.split(',').filter(|c| !c.is_empty())
    }

    pub fn needs_assessment(&self) -> bool {
        self.outcome == FULL_ASSESSMENT_NEEDED
    }
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = appropriate_adults)]
pub struct AppropriateAdult {
    pub episode_id: String,
    pub name: String,
    pub relationship: String,
    pub phone: String,
    pub present: bool,
    pub recorded_by: String,
    pub recorded_at: Millis,
}

impl AppropriateAdult {
    /// "Jane Doe (parent), present" – for the timeline and summaries.
    pub fn describe(&self) -> String {
        format!(
            "{} ({}), {}",
            self.name,
            label(codes::APPROPRIATE_ADULT_RELATIONSHIPS, &self.relationship).to_lowercase(),
            if self.present { "present" } else { "not present" }
        )
    }
}

pub fn find(conn: &mut DbConnection, episode_id: &str) -> QueryResult<Option<Screening>> {
    screenings::table
        .find(episode_id)
        .select(Screening::as_select())
        .first(conn)
        .optional()
}

pub fn find_appropriate_adult(conn: &mut DbConnection, episode_id: &str) -> QueryResult<Option<AppropriateAdult>> {
    appropriate_adults::table
        .find(episode_id)
        .select(AppropriateAdult::as_select())
        .first(conn)
        .optional()
}

/// The label for a stored code; the code itself if the list no longer has it.
fn label(list: CodeList, code: &str) -> &str {
    codes::label_of(list, code).unwrap_or(code)
}

fn vulnerability_labels<'a>(selected: impl Iterator<Item = &'a str>) -> String {
    let labels: Vec<&str> = selected.map(|c| label(codes::VULNERABILITIES, c)).collect();
    if labels.is_empty() {
        "None identified".to_string()
    } else {
        labels.join(", ")
    }
}

/// The screening as a summary list, for the episode page.
pub fn summary(screening: &Screening, adult: Option<&AppropriateAdult>) -> Markup {
    let mut rows = vec![
        ("Screened", html! { (local_time::date_time(screening.completed_at)) }),
        ("Consent to screening", html! { (label(CONSENT, &screening.consent)) }),
        (
            "Vulnerabilities",
            html! { (vulnerability_labels(screening.vulnerability_codes())) },
        ),
        ("Presenting concerns", html! { (screening.presenting_concerns) }),
        (
            "Outcome",
            html! { (label(codes::SCREENING_OUTCOMES, &screening.outcome)) },
        ),
    ];
    if let Some(a) = adult {
        rows.push(("Appropriate adult", html! { (a.describe()) br; (a.phone) }));
    }
    components::summary_list(&rows)
}

// ---- Shared view parts -------------------------------------------------------------------

fn episode_caption(ep: &Episode, person: &Person) -> Markup {
    html! {
        span.app-caption { (person.list_name()) ", born " (person.dob_display()) }
        p { a href={ "/episodes/" (ep.id) } { "Back to the episode" } }
    }
}

// ---- The screening form -----------------------------------------------------------------

/// The form as submitted. Vulnerabilities and risks repeat, so it is read from the raw pairs.
#[derive(Default, Debug, Clone)]
struct ScreeningForm {
    consent: String,
    vulnerabilities: Vec<String>,
    presenting_concerns: String,
    risks: Vec<String>,
    safeguarding: bool,
    outcome: String,
}

impl ScreeningForm {
    fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut form = ScreeningForm::default();
        for (k, v) in pairs {
            match k.as_str() {
                "consent" => form.consent = v,
                "vulnerabilities" => form.vulnerabilities.push(v),
                "presenting_concerns" => form.presenting_concerns = v,
                "risks" => form.risks.push(v),
                "safeguarding" => form.safeguarding = true,
                "outcome" => form.outcome = v,
                _ => {}
            }
        }
        form
    }

    /// A blank form with the flags already on the episode ticked, so none is lost by accident.
    fn for_episode(ep: &Episode) -> Self {
        let risks = [
            (ep.risk_to_self, "self"),
            (ep.risk_to_others, "others"),
            (ep.risk_from_others, "from-others"),
        ];
        ScreeningForm {
            risks: risks.iter().filter(|(on, _)| *on).map(|(_, c)| c.to_string()).collect(),
            safeguarding: ep.safeguarding,
            ..ScreeningForm::default()
        }
    }

    fn has_risk(&self, code: &str) -> bool {
        self.risks.iter().any(|r| r == code)
    }

    /// Field errors; `adult_missing` blocks a youth screening (PACE Code C).
    fn validate(&self, adult_missing: bool) -> Errors {
        let mut errors = Errors::default();
        if adult_missing {
            errors.add(
                "appropriate_adult",
                "Record an appropriate adult before completing screening for someone under 18",
            );
        }
        if codes::label_of(CONSENT, &self.consent).is_none() {
            errors.add("consent", "Select whether the person consented to screening");
        }
        if self
            .vulnerabilities
            .iter()
            .any(|v| codes::label_of(codes::VULNERABILITIES, v).is_none())
        {
            errors.add("vulnerabilities", "Select vulnerabilities from the list");
        }
        let concerns = self.presenting_concerns.trim();
        if concerns.is_empty() {
            errors.add("presenting_concerns", "Enter the presenting concerns");
        } else if concerns.chars().count() > CONCERNS_MAX {
            errors.add(
                "presenting_concerns",
                format!("Presenting concerns must be {CONCERNS_MAX} characters or fewer"),
            );
        }
        if self.risks.iter().any(|r| codes::label_of(RISKS, r).is_none()) {
            errors.add("risks", "Select risks from the list");
        }
        if codes::label_of(codes::SCREENING_OUTCOMES, &self.outcome).is_none() {
            errors.add("outcome", "Select the outcome of the screening");
        }
        errors
    }

    /// The vulnerabilities in the order of the code list, each once.
    fn vulnerabilities_stored(&self) -> String {
        codes::VULNERABILITIES
            .iter()
            .map(|(c, _)| *c)
            .filter(|c| self.vulnerabilities.iter().any(|v| v == c))
            .collect::<Vec<_>>()
            .join(",")
    }

    /// The note on the status change: what was decided, without the clinical narrative.
    fn timeline_note(&self) -> String {
        format!(
            "{}. Consent: {}. Vulnerabilities: {}",
            label(codes::SCREENING_OUTCOMES, &self.outcome),
            label(CONSENT, &self.consent),
            vulnerability_labels(self.vulnerabilities.iter().map(String::as_str))
        )
    }
}

/// Screening is recorded only while it is under way; anything else gets a plain reason.
fn require_in_screening(ep: &Episode) -> Result<(), AppError> {
    let why = match ep.status() {
        EpisodeStatus::InScreening => return Ok(()),
        EpisodeStatus::Waiting => "Start screening before recording it",
        EpisodeStatus::Closed => "This episode is closed. Reopen it before recording a screening",
        _ => "The screening for this episode has already been recorded",
    };
    Err(AppError::Refused(why.into()))
}

fn adult_panel(ep: &Episode, adult: Option<&AppropriateAdult>, errors: &Errors) -> Markup {
    let error = errors.get("appropriate_adult");
    let link = format!("/episodes/{}/appropriate-adult", ep.id);
    html! {
        div.app-card.app-form-group--error[error.is_some()] #appropriate_adult tabindex="-1" {
            h2.app-heading-m { "Appropriate adult" }
            p { "This person was under 18 at the time of the alert. Under PACE Code C they must have an appropriate adult: a parent or guardian, a social worker or another responsible adult." }
            @if let Some(e) = error { p.app-error-message { span.app-visually-hidden { "Error: " } (e) } }
            @if let Some(a) = adult {
                (components::summary_list(&[
                    ("Name", html! { (a.name) }),
                    ("Relationship", html! { (label(codes::APPROPRIATE_ADULT_RELATIONSHIPS, &a.relationship)) }),
                    ("Phone", html! { (a.phone) }),
                    ("Present now", html! { (if a.present { "Yes" } else { "No" }) }),
                ]))
                p { a href=(link) { "Change the appropriate adult" } }
            } @else {
                p { strong { "No appropriate adult is recorded yet." } }
                a.app-button.app-button--secondary href=(link) { "Record an appropriate adult" }
            }
        }
    }
}

fn youth_routes_panel() -> Markup {
    html! {
        div.app-card {
            h2.app-heading-m { "Youth referral routes to consider first" }
            ul.app-list { @for route in YOUTH_ROUTES { li { (route) } } }
            p.app-hint { "Record any referral you make on the timeline." }
        }
    }
}

fn screening_fields(form: &ScreeningForm, errors: &Errors) -> Markup {
    let risks: Vec<String> = RISKS
        .iter()
        .map(|(c, _)| c.to_string())
        .filter(|c| form.has_risk(c))
        .collect();
    let safeguarding: Vec<String> = form.safeguarding.then(|| "yes".to_string()).into_iter().collect();
    html! {
        (components::radios("consent", "Did the person consent to screening?", CONSENT, &form.consent, errors))
        (components::checkboxes("vulnerabilities", "Vulnerabilities identified (select all that apply)", &components::choices(codes::VULNERABILITIES), &form.vulnerabilities, errors))
        (components::textarea("presenting_concerns", "Presenting concerns", &form.presenting_concerns, Some("What you found: need, risk and urgency"), errors))
        (components::checkboxes("risks", "Immediate risks (select all that apply)", &components::choices(RISKS), &risks, errors))
        (components::checkboxes("safeguarding", "Safeguarding", &[("yes".into(), "There is a safeguarding concern (adult or child)".into())], &safeguarding, errors))
        (components::radios("outcome", "Outcome of the screening", codes::SCREENING_OUTCOMES, &form.outcome, errors))
    }
}

fn screening_page(
    state: &AppState,
    user: &CurrentUser,
    ep: &Episode,
    person: &Person,
    adult: Option<&AppropriateAdult>,
    form: &ScreeningForm,
    errors: &Errors,
) -> HttpResponse {
    let body = html! {
        (components::error_summary(errors))
        (episode_caption(ep, person))
        h1.app-heading-l { "Record screening" }
        p { strong { "Concern raised: " } (ep.concern) }
        @if ep.youth {
            (adult_panel(ep, adult, errors))
            (youth_routes_panel())
        }
        form method="post" action={ "/episodes/" (ep.id) "/screening" } novalidate {
            (components::csrf_field(&user.csrf_token))
            (screening_fields(form, errors))
            button.app-button type="submit" { "Complete screening" }
        }
    };
    let page = Page::signed_in("Record screening", user, state.demo).with_errors(!errors.is_empty());
    respond(form_status(errors), layout::render(&page, body))
}

async fn load_adult(state: &AppState, episode_id: &str) -> Result<Option<AppropriateAdult>, AppError> {
    let id = episode_id.to_string();
    state.db(move |conn| Ok(find_appropriate_adult(conn, &id)?)).await
}

pub async fn show(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (ep, person) = access::load(&state, &user, id.into_inner(), Some("screening form")).await?;
    require_in_screening(&ep)?;
    let adult = load_adult(&state, &ep.id).await?;
    let form = ScreeningForm::for_episode(&ep);
    Ok(screening_page(
        &state,
        &user,
        &ep,
        &person,
        adult.as_ref(),
        &form,
        &Errors::default(),
    ))
}

/// Writes the screening, the flags and the status change; the checks are repeated inside
/// the transaction so a concurrent change cannot slip past them.
fn record_screening(
    conn: &mut DbConnection,
    now: Millis,
    user: (&str, &Actor),
    episode_id: &str,
    form: &ScreeningForm,
) -> Result<(), AppError> {
    let (user_id, actor) = user;
    let ep = super::find(conn, episode_id)?.ok_or(AppError::NotFound)?;
    require_in_screening(&ep)?;
    if ep.youth && find_appropriate_adult(conn, episode_id)?.is_none() {
        return Err(AppError::Refused(
            "Record an appropriate adult before completing screening for someone under 18".into(),
        ));
    }
    diesel::delete(screenings::table.find(episode_id)).execute(conn)?;
    diesel::insert_into(screenings::table)
        .values((
            screenings::episode_id.eq(episode_id),
            screenings::consent.eq(&form.consent),
            screenings::vulnerabilities.eq(form.vulnerabilities_stored()),
            screenings::presenting_concerns.eq(form.presenting_concerns.trim()),
            screenings::outcome.eq(&form.outcome),
            screenings::completed_by.eq(user_id),
            screenings::completed_at.eq(now),
        ))
        .execute(conn)?;
    diesel::update(episodes::table.find(episode_id))
        .set((
            episodes::risk_to_self.eq(form.has_risk("self")),
            episodes::risk_to_others.eq(form.has_risk("others")),
            episodes::risk_from_others.eq(form.has_risk("from-others")),
            episodes::safeguarding.eq(form.safeguarding),
        ))
        .execute(conn)?;
    let action = Action::CompleteScreening {
        needs_assessment: form.outcome == FULL_ASSESSMENT_NEEDED,
    };
    let to = super::apply(conn, now, user_id, &ep, action, Some(&form.timeline_note()))?;
    audit::record(
        conn,
        now,
        actor,
        Event::allowed(audit::CREATE).record(RECORD, episode_id).detail(format!(
            "outcome {}; status -> {}",
            form.outcome,
            to.code()
        )),
    )?;
    Ok(())
}

pub async fn save(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<String>,
    body: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let form = ScreeningForm::from_pairs(body.into_inner());
    let (ep, person) = access::load(&state, &user, id.into_inner(), None).await?;
    require_in_screening(&ep)?;
    let adult = load_adult(&state, &ep.id).await?;
    let errors = form.validate(ep.youth && adult.is_none());
    if !errors.is_empty() {
        return Ok(screening_page(
            &state,
            &user,
            &ep,
            &person,
            adult.as_ref(),
            &form,
            &errors,
        ));
    }
    let (now, actor, uid, eid) = (state.now(), user.actor(), user.id.clone(), ep.id.clone());
    state
        .db(move |conn| write_tx(conn, |conn| record_screening(conn, now, (&uid, &actor), &eid, &form)))
        .await?;
    Ok(see_other(&format!("/episodes/{}", ep.id)))
}

// ---- The appropriate adult ---------------------------------------------------------------

#[derive(serde::Deserialize, Default, Debug, Clone)]
pub struct AdultForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    relationship: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    present: String,
}

const PRESENT: CodeList = &[("yes", "Yes"), ("no", "No")];

impl AdultForm {
    fn from_record(a: &AppropriateAdult) -> Self {
        AdultForm {
            name: a.name.clone(),
            relationship: a.relationship.clone(),
            phone: a.phone.clone(),
            present: if a.present { "yes" } else { "no" }.into(),
        }
    }

    fn validate(&self) -> Errors {
        let mut errors = Errors::default();
        let name = self.name.trim();
        if name.is_empty() {
            errors.add("name", "Enter the appropriate adult's name");
        } else if name.chars().count() > NAME_MAX {
            errors.add("name", format!("Name must be {NAME_MAX} characters or fewer"));
        }
        if codes::label_of(codes::APPROPRIATE_ADULT_RELATIONSHIPS, &self.relationship).is_none() {
            errors.add(
                "relationship",
                "Select who the appropriate adult is to the young person",
            );
        }
        if self.phone.trim().is_empty() {
            errors.add("phone", "Enter the appropriate adult's phone number");
        } else {
            errors.check("phone", phone_problem(&self.phone));
        }
        if codes::label_of(PRESENT, &self.present).is_none() {
            errors.add("present", "Select whether the appropriate adult is present now");
        }
        errors
    }
}

/// Appropriate adults are for under-18s, and only on an open episode.
fn require_youth_open(ep: &Episode) -> Result<(), AppError> {
    if !ep.youth {
        return Err(AppError::Refused(
            "An appropriate adult is only recorded for someone who was under 18 at the time of the alert".into(),
        ));
    }
    if !ep.status().is_open() {
        return Err(AppError::Refused(
            "This episode is closed. Reopen it before recording an appropriate adult".into(),
        ));
    }
    Ok(())
}

fn adult_page(
    state: &AppState,
    user: &CurrentUser,
    ep: &Episode,
    person: &Person,
    form: &AdultForm,
    errors: &Errors,
) -> HttpResponse {
    let relationships = components::code_options("Select a relationship", codes::APPROPRIATE_ADULT_RELATIONSHIPS);
    let body = html! {
        (components::error_summary(errors))
        (episode_caption(ep, person))
        h1.app-heading-l { "Appropriate adult" }
        p { "Under PACE Code C anyone under 18 in custody must have an appropriate adult. If no one else can act, the youth offending team must provide one." }
        form method="post" action={ "/episodes/" (ep.id) "/appropriate-adult" } novalidate {
            (components::csrf_field(&user.csrf_token))
            (components::input(Field::text("name", "Full name", &form.name).autocomplete("off"), errors))
            (components::select("relationship", "Relationship to the young person", &relationships, &form.relationship, errors))
            (components::input(Field::text("phone", "Phone number", &form.phone).kind("tel").autocomplete("off"), errors))
            (components::radios("present", "Is the appropriate adult present now?", PRESENT, &form.present, errors))
            button.app-button type="submit" { "Save appropriate adult" }
        }
    };
    let page = Page::signed_in("Appropriate adult", user, state.demo).with_errors(!errors.is_empty());
    respond(form_status(errors), layout::render(&page, body))
}

pub async fn show_adult(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (ep, person) = access::load(&state, &user, id.into_inner(), Some("appropriate adult form")).await?;
    require_youth_open(&ep)?;
    let form = load_adult(&state, &ep.id)
        .await?
        .map(|a| AdultForm::from_record(&a))
        .unwrap_or_default();
    Ok(adult_page(&state, &user, &ep, &person, &form, &Errors::default()))
}

/// Inserts or replaces the appropriate adult and notes it on the timeline; returns the
/// episode as re-read, to choose where to go next.
fn record_adult(
    conn: &mut DbConnection,
    now: Millis,
    user: (&str, &Actor),
    episode_id: &str,
    form: &AdultForm,
) -> Result<Episode, AppError> {
    let (user_id, actor) = user;
    let ep = super::find(conn, episode_id)?.ok_or(AppError::NotFound)?;
    require_youth_open(&ep)?;
    let replaced = diesel::delete(appropriate_adults::table.find(episode_id)).execute(conn)? > 0;
    let adult = AppropriateAdult {
        episode_id: episode_id.to_string(),
        name: form.name.trim().to_string(),
        relationship: form.relationship.clone(),
        phone: form.phone.trim().to_string(),
        present: form.present == "yes",
        recorded_by: user_id.to_string(),
        recorded_at: now,
    };
    diesel::insert_into(appropriate_adults::table)
        .values((
            appropriate_adults::episode_id.eq(&adult.episode_id),
            appropriate_adults::name.eq(&adult.name),
            appropriate_adults::relationship.eq(&adult.relationship),
            appropriate_adults::phone.eq(&adult.phone),
            appropriate_adults::present.eq(adult.present),
            appropriate_adults::recorded_by.eq(&adult.recorded_by),
            appropriate_adults::recorded_at.eq(now),
        ))
        .execute(conn)?;
    let note = format!("Appropriate adult recorded: {}", adult.describe());
    timeline::add(conn, now, episode_id, user_id, Kind::Note, &note, None)?;
    let action = if replaced { audit::UPDATE } else { audit::CREATE };
    audit::record(
        conn,
        now,
        actor,
        Event::allowed(action)
            .record(ADULT_RECORD, episode_id)
            .detail(format!("relationship {}", adult.relationship)),
    )?;
    Ok(ep)
}

pub async fn save_adult(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<String>,
    form: web::Form<AdultForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let (ep, person) = access::load(&state, &user, id.into_inner(), None).await?;
    require_youth_open(&ep)?;
    let errors = form.validate();
    if !errors.is_empty() {
        return Ok(adult_page(&state, &user, &ep, &person, &form, &errors));
    }
    let (now, actor, uid, eid) = (state.now(), user.actor(), user.id.clone(), ep.id.clone());
    let ep = state
        .db(move |conn| write_tx(conn, |conn| record_adult(conn, now, (&uid, &actor), &eid, &form)))
        .await?;
    let next = if ep.status() == EpisodeStatus::InScreening {
        format!("/episodes/{}/screening", ep.id)
    } else {
        format!("/episodes/{}", ep.id)
    };
    Ok(see_other(&next))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn repeated_fields_are_all_kept_and_stored_in_list_order() {
        let form = ScreeningForm::from_pairs(pairs(&[
            ("vulnerabilities", "alcohol-misuse"),
            ("vulnerabilities", "mental-health"),
            ("vulnerabilities", "mental-health"),
            ("risks", "self"),
            ("risks", "from-others"),
        ]));
        assert_eq!(form.vulnerabilities_stored(), "mental-health,alcohol-misuse");
        assert!(form.has_risk("self") && form.has_risk("from-others") && !form.has_risk("others"));
    }

    #[test]
    fn unknown_codes_and_a_missing_adult_are_errors() {
        let form = ScreeningForm::from_pairs(pairs(&[
            ("consent", "maybe"),
            ("vulnerabilities", "astrology"),
            ("presenting_concerns", "  "),
            ("risks", "weather"),
            ("outcome", "done"),
        ]));
        let errors = form.validate(true);
        let fields: Vec<&str> = errors.iter().map(|(f, _)| f).collect();
        assert_eq!(
            fields,
            [
                "appropriate_adult",
                "consent",
                "vulnerabilities",
                "presenting_concerns",
                "risks",
                "outcome"
            ]
        );
    }

    #[test]
    fn over_long_concerns_are_refused() {
        let form = ScreeningForm {
            consent: "given".into(),
            presenting_concerns: "x".repeat(CONCERNS_MAX + 1),
            outcome: "signposted".into(),
            ..ScreeningForm::default()
        };
        assert!(form.validate(false).get("presenting_concerns").is_some());
    }
}
