//! The list of person-level alert kinds practitioners choose from (risk to staff, MAPPA, …).
//! An administrator adds kinds and retires those no longer used; a kind is never deleted, so
//! alerts already raised keep their name.

use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use maud::html;
use serde::Deserialize;

use crate::audit::{self, Event};
use crate::db::schema::alert_kinds;
use crate::views::components::{self, Field, Tone};
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::see_other;

const LABEL_MAX: usize = 60;
const PATH: &str = "/admin/alert-kinds";

#[derive(Deserialize, Default)]
pub struct KindForm {
    #[serde(default)]
    label: String,
}

#[derive(Deserialize, Default)]
pub struct ActiveForm {
    /// "yes" to offer the kind again, "no" to retire it.
    #[serde(default)]
    active: String,
}

/// (code, label, active), offered ones first.
type Kind = (String, String, bool);

async fn all(ctx: &Ctx) -> Result<Vec<Kind>, AppError> {
    ctx.read(|conn| {
        Ok(alert_kinds::table
            .order((alert_kinds::active.desc(), alert_kinds::label.asc()))
            .select((alert_kinds::code, alert_kinds::label, alert_kinds::active))
            .load(conn)?)
    })
    .await
}

fn page(ctx: &Ctx, kinds: &[Kind], form: &KindForm, errors: &Errors) -> HttpResponse {
    let rows: Vec<Vec<maud::Markup>> = kinds
        .iter()
        .map(|(code, label, active)| {
            let (status, tone, action, value) = if *active {
                ("Offered", Tone::Good, "Retire", "no")
            } else {
                ("Retired", Tone::Neutral, "Offer again", "yes")
            };
            vec![
                html! { (label) },
                components::tag(status, tone),
                html! {
                    form.app-inline-form method="post" action={ (PATH) "/" (code) "/active" } {
                        (components::csrf_field(&ctx.user.csrf_token))
                        input type="hidden" name="active" value=(value);
                        button.app-button.app-button--small.app-button--secondary type="submit" { (action) span.app-visually-hidden { ": " (label) } }
                    }
                },
            ]
        })
        .collect();
    let body = html! {
        (components::error_summary(errors))
        h1.app-heading-l { "Alert kinds" }
        p { "The alerts practitioners can put on a person's record. A retired kind is no longer offered; alerts already raised keep it." }
        (components::table("Alert kinds", &["Alert", "Status", ""], &rows))
        h2.app-heading-m { "Add an alert kind" }
        form method="post" action=(PATH) novalidate {
            (components::csrf_field(&ctx.user.csrf_token))
            (components::input(Field::text("label", "Name of the alert", &form.label).hint("As practitioners will see it on the live list, for example: Known to carry weapons"), errors))
            button.app-button type="submit" { "Add alert kind" }
        }
    };
    ctx.form_page("Alert kinds", errors, body)
}

pub async fn list(ctx: Ctx) -> Result<HttpResponse, AppError> {
    let kinds = all(&ctx).await?;
    Ok(page(&ctx, &kinds, &KindForm::default(), &Errors::default()))
}

/// "Known to carry weapons" → "known-to-carry-weapons".
fn code_for(label: &str) -> String {
    let mut code = String::new();
    for c in label.chars() {
        if c.is_ascii_alphanumeric() {
            code.push(c.to_ascii_lowercase());
        } else if !code.is_empty() && !code.ends_with('-') {
            code.push('-');
        }
    }
    code.trim_end_matches('-').to_string()
}

pub async fn create(ctx: Ctx, form: web::Form<KindForm>) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let label = form.label.trim().to_string();
    let mut errors = Errors::default();
    let code = code_for(&label);
    if label.is_empty() {
        errors.add("label", "Enter the name of the alert");
    } else if label.chars().count() > LABEL_MAX {
        errors.add("label", format!("Name must be {LABEL_MAX} characters or fewer"));
    } else if code.is_empty() {
        errors.add("label", "Name must include letters or numbers");
    }
    if errors.is_empty() {
        let (l, c) = (label.clone(), code.clone());
        let added = ctx
            .write(move |tx| {
                let taken: i64 = alert_kinds::table
                    .filter(alert_kinds::code.eq(&c).or(alert_kinds::label.eq(&l)))
                    .count()
                    .get_result(tx.conn)?;
                if taken > 0 {
                    return Ok(false);
                }
                diesel::insert_into(alert_kinds::table)
                    .values((
                        alert_kinds::code.eq(&c),
                        alert_kinds::label.eq(&l),
                        alert_kinds::active.eq(true),
                        alert_kinds::created_at.eq(tx.now),
                    ))
                    .execute(tx.conn)?;
                tx.audit(Event::allowed(audit::CREATE).record("alert-kind", &c).detail(l))?;
                Ok(true)
            })
            .await?;
        if added {
            return Ok(see_other(PATH));
        }
        errors.add("label", "There is already an alert kind with this name");
    }
    let kinds = all(&ctx).await?;
    Ok(page(&ctx, &kinds, &form, &errors))
}

pub async fn set_active(
    ctx: Ctx,
    code: web::Path<String>,
    form: web::Form<ActiveForm>,
) -> Result<HttpResponse, AppError> {
    let active = match form.active.as_str() {
        "yes" => true,
        "no" => false,
        _ => {
            return Err(AppError::Refused(
                "Choose whether to retire the alert kind or offer it again".into(),
            ));
        }
    };
    let code = code.into_inner();
    ctx.write(move |tx| {
        let changed = diesel::update(alert_kinds::table.find(&code))
            .set(alert_kinds::active.eq(active))
            .execute(tx.conn)?;
        if changed == 0 {
            return Err(AppError::NotFound);
        }
        let what = if active { "offered again" } else { "retired" };
        tx.audit(Event::allowed(audit::UPDATE).record("alert-kind", &code).detail(what))
    })
    .await?;
    Ok(see_other(PATH))
}

#[cfg(test)]
mod tests {
    #[test]
    fn codes_are_made_from_the_name() {
        assert_eq!(super::code_for("Known to carry weapons"), "known-to-carry-weapons");
        assert_eq!(super::code_for("  MAPPA (level 2) "), "mappa-level-2");
        assert_eq!(super::code_for("–"), "");
    }
}
