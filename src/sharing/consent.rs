//! GET/POST /episodes/{id}/consent-to-share: recording the person's consent to share, scope by
//! scope, with how it was captured and whether they could decide. Each save is a new version;
//! refusing a scope agreed before is a withdrawal, which stops every later share under it.

use actix_web::{HttpResponse, web};
use maud::{Markup, html};

use super::store::{self, Consent, NewConsent};
use crate::audit::{self, Event};
use crate::domain::ids::EpisodeId;
use crate::domain::sharing::{Answer, Capacity, Method, Scope};
use crate::records::{Episode, Person, access};
use crate::views::components::{self, Field};
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::see_other;

const TEXT_MAX: usize = 500;

/// The form as typed: the fixed fields, and one answer and limits per scope.
#[derive(Debug, Default, Clone)]
pub struct ConsentForm {
    fields: Vec<(String, String)>,
}

impl ConsentForm {
    fn get(&self, name: &str) -> &str {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Whether a "Support used" box was ticked.
    fn ticked(&self, support: &str) -> bool {
        self.fields.iter().any(|(k, v)| k == "support" && v == support)
    }

    /// Starts from the version that counts now, so a change is made to what was recorded.
    fn from_consent(c: Option<&Consent>) -> Self {
        let Some(c) = c else { return Self::default() };
        let mut fields = vec![
            ("method".to_string(), c.method.code().to_string()),
            ("witness".into(), c.witness.clone().unwrap_or_default()),
            ("capacity".into(), c.capacity.code().to_string()),
            ("capacity_note".into(), c.capacity_note.clone().unwrap_or_default()),
            ("guardian".into(), c.guardian.clone().unwrap_or_default()),
        ];
        if c.interpreter {
            fields.push(("support".into(), "interpreter".into()));
        }
        if c.easy_read {
            fields.push(("support".into(), "easy_read".into()));
        }
        for (scope, answer, limits) in &c.scopes {
            fields.push((format!("scope-{}", scope.code()), answer.code().to_string()));
            fields.push((format!("limits-{}", scope.code()), limits.clone().unwrap_or_default()));
        }
        Self { fields }
    }
}

/// A checked version, ready to write.
struct Checked {
    method: Method,
    capacity: Capacity,
    scopes: Vec<(Scope, Answer, Option<String>)>,
}

fn text(errors: &mut Errors, form: &ConsentForm, name: &'static str) -> Option<String> {
    let value = form.get(name).trim();
    if value.chars().count() > TEXT_MAX {
        errors.add(name, format!("This must be {TEXT_MAX} characters or fewer"));
    }
    (!value.is_empty()).then(|| value.to_string())
}

impl ConsentForm {
    fn validate(&self) -> Result<Checked, Errors> {
        let mut errors = Errors::default();
        let method = self.get("method").parse::<Method>().ok();
        if method.is_none() {
            errors.add("method", "Select how consent was given");
        }
        if method == Some(Method::VerbalWitnessed) && self.get("witness").trim().is_empty() {
            errors.add("witness", "Enter who witnessed the verbal consent");
        }
        let capacity = self.get("capacity").parse::<Capacity>().ok();
        match capacity {
            None => errors.add("capacity", "Select whether the person could decide"),
            Some(Capacity::HasCapacity | Capacity::LacksCapacity) if self.get("capacity_note").trim().is_empty() => {
                errors.add(
                    "capacity_note",
                    "Record the assessment: the impairment, and whether the person could understand, retain, use or weigh the information and communicate a decision",
                )
            }
            Some(Capacity::ChildNotCompetent) if self.get("guardian").trim().is_empty() => {
                errors.add("guardian", "Enter the parent, guardian or appropriate adult who decided")
            }
            _ => {}
        }
        let mut scopes = Vec::new();
        for scope in Scope::ALL {
            let field = format!("scope-{}", scope.code());
            match self.get(&field).parse::<Answer>() {
                Ok(answer) => {
                    let limits = self.get(&format!("limits-{}", scope.code())).trim();
                    if limits.chars().count() > TEXT_MAX {
                        errors.add(
                            format!("limits-{}", scope.code()),
                            format!("Limits must be {TEXT_MAX} characters or fewer"),
                        );
                    }
                    scopes.push((*scope, answer, (!limits.is_empty()).then(|| limits.to_string())));
                }
                Err(_) => errors.add(field, format!("Select an answer for {}", scope.label().to_lowercase())),
            }
        }
        for name in ["witness", "capacity_note", "guardian", "note"] {
            text(&mut errors, self, name);
        }
        match (method, capacity) {
            (Some(method), Some(capacity)) if errors.is_empty() => Ok(Checked {
                method,
                capacity,
                scopes,
            }),
            _ => Err(errors),
        }
    }
}

/// Each scope with its answer and limits.
pub fn scopes_table(c: &Consent) -> Markup {
    let rows: Vec<Vec<Markup>> = c
        .scopes
        .iter()
        .map(|(scope, answer, limits)| {
            let tone = match answer {
                Answer::Granted => components::Tone::Good,
                Answer::Refused => components::Tone::Bad,
                Answer::NotAsked => components::Tone::Neutral,
            };
            vec![
                html! { (scope.label()) },
                components::tag(answer.label(), tone),
                html! { (limits.as_deref().unwrap_or("")) },
            ]
        })
        .collect();
    components::table(
        "Consent to share, by recipient",
        &["Share with", "Answer", "Limits"],
        &rows,
    )
}

fn page(
    ctx: &Ctx,
    (ep, person): (&Episode, &Person),
    versions: &[Consent],
    form: &ConsentForm,
    errors: &Errors,
) -> HttpResponse {
    let methods: Vec<(&str, &str)> = Method::ALL.iter().map(|m| (m.code(), m.label())).collect();
    let capacities: Vec<(&str, &str)> = Capacity::ALL.iter().map(|c| (c.code(), c.label())).collect();
    let answers: Vec<(&str, &str)> = Answer::ALL.iter().map(|a| (a.code(), a.label())).collect();
    let body = html! {
        (components::error_summary(errors))
        span.app-caption { (person.list_name()) }
        h1.app-heading-l { "Consent to share" }
        p { "Explain who may see what, and record the person's answer for each. Saving records a new version; the earlier ones are kept. Refusing something agreed before is a withdrawal: nothing more is shared under it, though what was sent is not unsent." }
        form method="post" action={ "/episodes/" (ep.id) "/consent-to-share" } novalidate {
            (components::csrf_field(&ctx.user.csrf_token))
            (components::radios("method", "How was the answer given?", &methods, form.get("method"), errors))
            (components::input(Field::text("witness", "Witness, for verbal consent", form.get("witness")).hint("Name and role, for example: PC Shah, custody"), errors))
            (components::checkboxes("support", "Support used", &[("interpreter".into(), "Interpreter".into()), ("easy_read".into(), "Easy-read information".into())], &["interpreter", "easy_read"].iter().filter(|n| form.ticked(n)).map(|n| n.to_string()).collect::<Vec<_>>(), errors))
            (components::radios("capacity", "Could the person decide?", &capacities, form.get("capacity"), errors))
            (components::textarea("capacity_note", "Capacity or competence assessment", form.get("capacity_note"), Some("If in doubt, the two-stage test: is there an impairment of mind or brain, and can the person understand, retain, use or weigh the information and communicate a decision?"), errors))
            (components::input(Field::text("guardian", "Parent, guardian or appropriate adult (under 16)", form.get("guardian")), errors))
            h2.app-heading-m { "The answer for each recipient" }
            @for scope in Scope::ALL {
                @let name = format!("scope-{}", scope.code());
                @let limits = format!("limits-{}", scope.code());
                (components::radios(&name, scope.label(), &answers, form.get(&name), errors))
                (components::textarea_named(&limits, &format!("Limits for {} (optional)", scope.label().to_lowercase()), form.get(&limits), errors))
            }
            (components::textarea("note", "Anything else (optional)", form.get("note"), None, errors))
            button.app-button type="submit" { "Save consent" }
        }
        @if !versions.is_empty() {
            h2.app-heading-m { "Earlier versions" }
            @for c in versions {
                h3.app-heading-s { "Version " (c.version) ": " (c.captured_by) ", " (crate::domain::local_time::date_time(c.captured_at)) @if c.withdrawal { " (withdrawal)" } }
                (scopes_table(c))
            }
        }
        p { a href={ "/episodes/" (ep.id) "#sharing" } { "Back to the episode" } }
    };
    ctx.form_page("Consent to share", errors, body)
}

async fn versions(ctx: &Ctx, episode_id: &str) -> Result<Vec<Consent>, AppError> {
    let id = episode_id.to_string();
    ctx.read(move |conn| Ok(store::versions(conn, &id)?)).await
}

pub async fn show(ctx: Ctx, id: web::Path<EpisodeId>) -> Result<HttpResponse, AppError> {
    let (ep, person) = access::open(&ctx, id.into_inner(), Some("consent to share form")).await?;
    let all = versions(&ctx, &ep.id).await?;
    let form = ConsentForm::from_consent(all.first());
    Ok(page(&ctx, (&ep, &person), &all, &form, &Errors::default()))
}

pub async fn save(
    ctx: Ctx,
    id: web::Path<EpisodeId>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let form = ConsentForm {
        fields: form.into_inner(),
    };
    let (ep, person) = access::open(&ctx, id.into_inner(), None).await?;
    let checked = match form.validate() {
        Ok(c) => c,
        Err(errors) => {
            let all = versions(&ctx, &ep.id).await?;
            return Ok(page(&ctx, (&ep, &person), &all, &form, &errors));
        }
    };
    let (eid, pid, uid) = (ep.id.clone(), person.id.clone(), ctx.user.id.clone());
    let optional = |name: &str| Some(form.get(name).trim().to_string()).filter(|v| !v.is_empty());
    let (witness, capacity_note, guardian, note) = (
        optional("witness"),
        optional("capacity_note"),
        optional("guardian"),
        optional("note"),
    );
    let (interpreter, easy_read) = (form.ticked("interpreter"), form.ticked("easy_read"));
    ctx.write(move |tx| {
        // A scope agreed before and refused now makes this version a withdrawal.
        let before = store::current(tx.conn, &eid)?;
        let withdrawn: Vec<&str> = checked
            .scopes
            .iter()
            .filter(|(s, a, _)| {
                *a == Answer::Refused && before.as_ref().is_some_and(|b| b.answer(*s) == Answer::Granted)
            })
            .map(|(s, _, _)| s.code())
            .collect();
        let new = NewConsent {
            episode_id: &eid,
            person_id: &pid,
            method: checked.method,
            witness: witness.as_deref(),
            interpreter,
            easy_read,
            capacity: checked.capacity,
            capacity_note: capacity_note.as_deref(),
            guardian: guardian.as_deref(),
            withdrawal: !withdrawn.is_empty(),
            note: note.as_deref(),
            scopes: &checked.scopes,
        };
        let version = store::insert(tx.conn, tx.now, &uid, &new)?;
        let granted: Vec<&str> = checked
            .scopes
            .iter()
            .filter(|(_, a, _)| *a == Answer::Granted)
            .map(|(s, _, _)| s.code())
            .collect();
        let mut detail = format!("consent to share v{version}: granted {}", granted.join(","));
        if !withdrawn.is_empty() {
            detail.push_str(&format!("; withdrawn {}", withdrawn.join(",")));
        }
        let stopped = super::answers::cancel_unsent(tx.conn, &eid, &granted)?;
        if stopped > 0 {
            detail.push_str(&format!("; {stopped} unsent message(s) stopped"));
        }
        crate::records::timeline::add(
            tx.conn,
            tx.now,
            &eid,
            &uid,
            crate::records::timeline::Kind::Note,
            &if withdrawn.is_empty() {
                format!("Consent to share recorded (version {version})")
            } else {
                format!("Consent to share withdrawn for some recipients (version {version})")
            },
            None,
        )?;
        tx.audit(
            Event::allowed(audit::CREATE)
                .record("consent-to-share", &eid)
                .person(&pid)
                .detail(detail),
        )
    })
    .await?;
    Ok(see_other(&format!("/episodes/{}#sharing", ep.id)))
}
