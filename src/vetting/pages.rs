//! The pages: a user's clearance with its history and the form to record a new one, and the
//! administrators' list of clearances running out.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use chrono::{Days, NaiveDate};
use maud::{Markup, html};

use super::forms::ClearanceForm;
use super::store::{self, Clearance};
use crate::audit::{self, Event};
use crate::auth::accounts::{self, User};
use crate::domain::local_time::{date_time, day, local_date};
use crate::domain::vetting::{EXPIRY_WARNING_DAYS, VettingLevel};
use crate::domain::words::count;
use crate::views::components::{self, Field, Tone};
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;

/// Clearances are recorded against the staff account in the audit trail.
pub const RECORD: &str = "user";

/// A clearance's level and expiry with its state on `today` as a tag.
pub fn status(current: Option<&Clearance>, today: NaiveDate) -> Markup {
    match current {
        None => components::tag("No clearance recorded", Tone::Bad),
        Some(c) => html! { (c.level.label()) ", expires " (day(c.expires_on)) " " (state(c, today)) },
    }
}

/// Current, expiring soon, expired or not yet granted, on `today`.
fn state(c: &Clearance, today: NaiveDate) -> Markup {
    let left = (c.expires_on.date() - today).num_days();
    if c.holds_on(today) {
        match left {
            0 => components::tag("Expires today", Tone::Warning),
            n if n <= EXPIRY_WARNING_DAYS as i64 => {
                components::tag(&format!("Expires in {}", count(n, "day", "days")), Tone::Warning)
            }
            _ => components::tag("Current", Tone::Good),
        }
    } else if left < 0 {
        components::tag("Expired", Tone::Bad)
    } else {
        components::tag("Not yet granted", Tone::Bad)
    }
}

/// The account, its current clearance and its history.
pub struct Loaded {
    target: User,
    current: Option<Clearance>,
    history: Vec<(Clearance, String)>,
}

/// Loads the account's clearances; the view is audited against the account.
pub async fn load(ctx: &Ctx, id: String) -> Result<Loaded, AppError> {
    let loaded = ctx
        .read(move |conn| {
            let target = accounts::find(conn, &id)?.ok_or(AppError::NotFound)?;
            Ok(Loaded {
                current: store::current(conn, &id)?,
                history: store::history(conn, &id)?,
                target,
            })
        })
        .await?;
    ctx.audit(
        Event::allowed(audit::VIEW)
            .record(RECORD, &loaded.target.id)
            .detail("vetting clearances"),
    )
    .await?;
    Ok(loaded)
}

fn level_options() -> Vec<(String, String)> {
    std::iter::once((String::new(), "Select a level".to_string()))
        .chain(
            VettingLevel::ALL
                .iter()
                .map(|l| (l.code().to_string(), l.label().to_string())),
        )
        .collect()
}

fn history_table(history: &[(Clearance, String)]) -> Markup {
    let rows: Vec<Vec<Markup>> = history
        .iter()
        .map(|(c, by)| {
            vec![
                html! { (c.level.label()) },
                html! { (c.reference) },
                html! { (day(c.granted_on)) },
                html! { (day(c.expires_on)) },
                html! { (date_time(c.recorded_at)) " by " (by) },
                html! { @if c.superseded_at.is_some() { "Superseded" } @else { "Latest" } },
            ]
        })
        .collect();
    components::table(
        &format!("{} recorded", count(history.len() as i64, "clearance", "clearances")),
        &["Level", "Reference", "Granted", "Expires", "Recorded", "State"],
        &rows,
    )
}

pub fn clearance_page(ctx: &Ctx, l: &Loaded, form: &ClearanceForm, errors: &Errors) -> HttpResponse {
    let t = &l.target;
    let today = local_date(ctx.now());
    let action = format!("/admin/users/{}/vetting", t.id);
    let body = html! {
        (components::error_summary(errors))
        span.app-caption { (t.display_name) }
        h1.app-heading-l { "Police vetting clearance" }
        (components::summary_list(&[
            ("Current clearance", status(l.current.as_ref(), today)),
            ("Reference", html! { @if let Some(c) = &l.current { (c.reference) } @else { "–" } }),
        ]))
        h2.app-heading-m { "Record a clearance" }
        p { "A new clearance replaces the current one, which is kept in the history below. Without a current clearance this person cannot sign on at a police custody site." }
        form method="post" action=(action) novalidate {
            (components::csrf_field(&ctx.user.csrf_token))
            (components::select("level", "Vetting level", &level_options(), &form.level, errors))
            (components::input(Field::text("reference", "Vetting reference", &form.reference).hint("As given by the police force's vetting unit").autocomplete("off"), errors))
            (components::date_input("granted", "Date granted", Some("For example, 14 3 2025"), [&form.granted_day, &form.granted_month, &form.granted_year], errors))
            (components::date_input("expires", "Expiry date", Some("The last day the clearance holds. For example, 14 3 2030"), [&form.expires_day, &form.expires_month, &form.expires_year], errors))
            button.app-button type="submit" { "Record clearance" }
        }
        h2.app-heading-m { "History" }
        @if l.history.is_empty() { p { "No clearance has been recorded for this account." } }
        @else { (history_table(&l.history)) }
        p { a href={ "/admin/users/" (t.id) } { "Back to " (t.display_name) } }
    };
    ctx.form_page("Police vetting clearance", errors, body)
}

/// Clearances of active users that have run out or run out within the warning period.
pub async fn expiring(ctx: Ctx) -> Result<HttpResponse, AppError> {
    let today = local_date(ctx.now());
    let until = today.checked_add_days(Days::new(EXPIRY_WARNING_DAYS)).unwrap_or(today);
    let rows = ctx.read(move |conn| Ok(store::expiring_by(conn, until)?)).await?;
    ctx.audit(
        Event::allowed(audit::VIEW)
            .record("vetting-list", "-")
            .detail(format!("{} clearances listed", rows.len())),
    )
    .await?;
    let cells: Vec<Vec<Markup>> = rows
        .iter()
        .map(|r| {
            let c = &r.clearance;
            vec![
                html! { a href={ "/admin/users/" (c.user_id) "/vetting" } { (r.display_name) } },
                html! { (r.username) },
                html! { (c.level.label()) },
                html! { (day(c.expires_on)) },
                state(c, today),
            ]
        })
        .collect();
    let body = html! {
        h1.app-heading-l { "Vetting clearances to renew" }
        p { "Current clearances of active accounts that have expired or expire by " (day(until)) ", soonest first. Someone without a current clearance cannot sign on at a police custody site." }
        @if rows.is_empty() {
            p { "No clearance has expired or expires in the next " (EXPIRY_WARNING_DAYS) " days." }
        } @else {
            (components::table(&format!("{} to renew", count(rows.len() as i64, "clearance", "clearances")), &["Name", "Username", "Level", "Expires", "State"], &cells))
        }
        p { a href="/admin/users" { "All staff accounts" } }
    };
    Ok(ctx.render(StatusCode::OK, &ctx.page("Vetting clearances to renew"), body))
}
