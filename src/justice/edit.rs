//! GET/POST /episodes/{id}/reports/{kind}/sections/{code}: change one section of a draft,
//! its structured answers and its text. A final report is frozen (409). On the court report,
//! a concern about effective participation adds the recommendation of a formal psychiatric
//! assessment to the options, and the options refuse to drop it without a rationale.

use actix_web::{HttpResponse, web};
use maud::html;

use super::{RECORD, path};
use crate::audit::{self, Event};
use crate::records::{Episode, Person};
use crate::reports::checklist::{assessment_kept_or_explained, participation_concern};
use crate::reports::kinds::{Input, PSYCHIATRIC_ASSESSMENT, SectionKind};
use crate::reports::{self, Answers, Full, Kind, Section};
use crate::views::components::{self, Field};
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::see_other;

const SECTION_MAX: usize = 20_000;
const LINE_MAX: usize = 500;

/// The draft's section `code` and its kind; refuses a final report or an unknown section.
fn editable<'a>(full: Option<&'a Full>, code: &str) -> Result<(&'a Full, &'a Section, &'static SectionKind), AppError> {
    let full = full.ok_or_else(super::not_drafted)?;
    if full.report.is_final() {
        return Err(reports::frozen());
    }
    let section = full
        .sections
        .iter()
        .find(|s| s.code == code)
        .ok_or(AppError::NotFound)?;
    let kind = full.report.kind().section(code).ok_or(AppError::NotFound)?;
    Ok((full, section, kind))
}

/// The submitted answers and text, each kept as typed for a page shown again.
fn read(kind: &SectionKind, pairs: &[(String, String)]) -> (Answers, String, Errors) {
    let mut answers = Answers::default();
    let mut errors = Errors::default();
    fn values<'a>(pairs: &'a [(String, String)], name: &'a str) -> impl Iterator<Item = &'a str> {
        pairs.iter().filter(move |(k, _)| k == name).map(|(_, v)| v.as_str())
    }
    for f in kind.fields {
        match f.input {
            Input::Line => {
                let line = values(pairs, f.code).next().unwrap_or("");
                if line.trim().chars().count() > LINE_MAX {
                    errors.add(f.code, format!("{} must be {LINE_MAX} characters or fewer", f.label));
                }
                answers.set_text(f.code, line);
            }
            Input::Choice(list) => {
                let chosen = values(pairs, f.code).next().unwrap_or("");
                if !chosen.is_empty() && !list.iter().any(|(c, _)| *c == chosen) {
                    errors.add(f.code, format!("Select an answer for “{}”", f.label));
                }
                answers.set_text(f.code, chosen);
            }
            Input::Ticks(list) => {
                let ticked: Vec<&str> = values(pairs, f.code)
                    .filter(|v| list.iter().any(|(c, _)| c == v))
                    .collect();
                answers.set_ticks(f.code, &ticked);
            }
        }
    }
    let body = values(pairs, "body").next().unwrap_or("").to_string();
    if body.trim().chars().count() > SECTION_MAX {
        errors.add("body", format!("Section must be {SECTION_MAX} characters or fewer"));
    }
    (answers, body, errors)
}

/// The court report's rule, checked against the report as it would be after this save.
fn participation_rule(full: &Full, code: &str, answers: &Answers, errors: &mut Errors) {
    if !full.report.kind().checks.participation || code != "options" {
        return;
    }
    let mut after = full.clone();
    if let Some(s) = after.sections.iter_mut().find(|s| s.code == code) {
        s.answers = answers.to_json();
    }
    if participation_concern(&after) && !assessment_kept_or_explained(&after) {
        errors.add(
            "rationale",
            "A participation concern is recorded: keep the recommendation of a formal psychiatric assessment, or say why you are removing it",
        );
    }
}

fn page(
    ctx: &Ctx,
    (ep, person, full, section): (&Episode, &Person, &Full, &'static SectionKind),
    (answers, body): (&Answers, &str),
    errors: &Errors,
) -> HttpResponse {
    let base = path(&ep.id, full.report.kind);
    let markup = html! {
        (components::error_summary(errors))
        span.app-caption { (full.report.title()) ": " (person.list_name()) }
        p { a href=(base) { "Back to the report" } }
        form method="post" action={ (base) "/sections/" (section.code) } novalidate {
            (components::csrf_field(&ctx.user.csrf_token))
            h1.app-heading-l { (section.title) }
            p.app-hint { (section.hint) }
            @for f in section.fields {
                @match f.input {
                    Input::Line => (components::input(Field::text(f.code, f.label, answers.text(f.code)), errors)),
                    Input::Choice(list) => (components::radios(f.code, f.label, list, answers.text(f.code), errors)),
                    Input::Ticks(list) => {
                        @let options: Vec<(String, String)> = list.iter().map(|(c, l)| (c.to_string(), l.to_string())).collect();
                        @let ticked: Vec<String> = answers.ticks(f.code).iter().map(|t| t.to_string()).collect();
                        (components::checkboxes(f.code, f.label, &options, &ticked, errors))
                    },
                }
            }
            (components::textarea("body", if section.fields.is_empty() { "Section text" } else { "Details" }, body, None, errors))
            button.app-button type="submit" { "Save section" }
        }
    };
    ctx.form_page(&format!("{} – {}", section.title, full.report.title()), errors, markup)
}

pub async fn show(ctx: Ctx, parts: web::Path<(String, String, String)>) -> Result<HttpResponse, AppError> {
    let (id, kind, code) = parts.into_inner();
    let (ep, person, _, full) = super::load(&ctx, (id, kind), Some("report section")).await?;
    let (full, section, spec) = editable(full.as_ref(), &code)?;
    let answers = Answers::parse(&section.answers);
    Ok(page(
        &ctx,
        (&ep, &person, full, spec),
        (&answers, &section.body),
        &Errors::default(),
    ))
}

pub async fn submit(
    ctx: Ctx,
    parts: web::Path<(String, String, String)>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (id, kind, code) = parts.into_inner();
    let (ep, person, kind, full) = super::load(&ctx, (id, kind), None).await?;
    let (full, _, spec) = editable(full.as_ref(), &code)?;
    let (answers, body, mut errors) = read(spec, &form);
    participation_rule(full, &code, &answers, &mut errors);
    if !errors.is_empty() {
        return Ok(page(&ctx, (&ep, &person, full, spec), (&answers, &body), &errors));
    }
    let (eid, pid, report_id) = (ep.id.clone(), ep.person_id.clone(), full.report.id.clone());
    let mut after = full.clone();
    ctx.write(move |tx| {
        reports::update_section(tx.conn, tx.now, &report_id, &code, (body.trim(), &answers))?;
        if let Some(s) = after.sections.iter_mut().find(|s| s.code == code) {
            s.answers = answers.to_json();
        }
        recommend_assessment(tx.conn, tx.now, &after)?;
        let event = Event::allowed(audit::UPDATE)
            .record(RECORD, &eid)
            .person(&pid)
            .detail(format!("{} section {code}", kind.spec().title));
        tx.audit(event)
    })
    .await?;
    Ok(see_other(&path(&ep.id, kind)))
}

/// With a participation concern and neither the recommendation nor a rationale in the
/// options, ticks the recommendation of a formal psychiatric assessment.
fn recommend_assessment(
    conn: &mut crate::db::DbConnection,
    now: crate::clock::Millis,
    full: &Full,
) -> Result<(), AppError> {
    if full.report.kind != Kind::CourtReport || !participation_concern(full) || assessment_kept_or_explained(full) {
        return Ok(());
    }
    let Some(options) = full.sections.iter().find(|s| s.code == "options") else {
        return Ok(());
    };
    let mut answers = Answers::parse(&options.answers);
    let mut ticked: Vec<&str> = answers.ticks("options");
    ticked.insert(0, PSYCHIATRIC_ASSESSMENT);
    let ticked: Vec<String> = ticked.into_iter().map(String::from).collect();
    answers.set_ticks("options", &ticked.iter().map(String::as_str).collect::<Vec<_>>());
    reports::update_section(conn, now, &full.report.id, "options", (&options.body, &answers))
}
