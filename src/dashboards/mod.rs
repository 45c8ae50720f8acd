//! Dashboards (decision 0021): aggregate figures for the team's shift, the service's month,
//! equality, the MHTR funnel and what the commissioner receives. Every view is one filter form
//! sent by GET, a summary with each measure's definition beside it, and charts drawn on the
//! server whose table and CSV come from the same data. No dashboard names a person, so
//! analysts see them all; clinicians see their own teams'.

mod commissioner;
mod equality;
pub mod filters;
mod mhtr;
mod service;
mod shift;
mod summary;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::{Markup, html};

use self::filters::{FilterQuery, Filters, Scope};
use crate::audit::{self, Event};
use crate::clock::Millis;
use crate::db::DbConnection;
use crate::domain::period::Period;
use crate::domain::suppression::Rule;
use crate::views::chart::Chart;
use crate::views::nav::NavItem;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::routes::{Guard, Record, Routes};

pub const NAV: &[NavItem] = &[NavItem {
    href: "/dashboards",
    label: "Dashboards",
    shown_to: |user| Guard::Dashboards.allows(user),
}];

/// Which filters a view offers.
#[derive(Clone, Copy)]
pub struct Fields {
    pub period: bool,
    pub site: bool,
    pub age: bool,
}

/// What a view shows for its filters.
pub struct Figures {
    /// Tables of measures with their definitions, before the charts.
    pub summary: Markup,
    pub charts: Vec<Chart>,
    /// Anything after the charts: notes, further tables.
    pub after: Markup,
}

/// What a view's figures depend on beyond its filters.
pub struct Env {
    pub now: Millis,
    /// The small-number rule for what leaves the organisation.
    pub rule: Rule,
}

type Build = fn(&mut DbConnection, &Filters, &Scope, &Env) -> Result<Figures, AppError>;

pub struct View {
    pub slug: &'static str,
    pub title: &'static str,
    pub lead: &'static str,
    pub fields: Fields,
    pub default_period: fn(Millis) -> Period,
    pub build: Build,
}

const VIEWS: [&View; 5] = [
    &shift::VIEW,
    &service::VIEW,
    &equality::VIEW,
    &mhtr::VIEW,
    &commissioner::VIEW,
];

/// Each view's page and its charts' CSV, under `/dashboards/{module name}`.
macro_rules! view_routes {
    ($r:ident, $($view:ident),+) => {$(
        $r.get(concat!("/dashboards/", stringify!($view)), Guard::Dashboards, Record::Dashboard,
            |c: Ctx, q: web::Query<FilterQuery>| page(c, q, &$view::VIEW))
            .get(concat!("/dashboards/", stringify!($view), ".csv"), Guard::Dashboards, Record::Dashboard,
            |c: Ctx, q: web::Query<ChartQuery>| csv(c, q, &$view::VIEW));
    )+};
}

pub fn routes(r: &mut Routes) {
    r.get("/dashboards", Guard::Dashboards, Record::Dashboard, index);
    view_routes!(r, shift, service, equality, mhtr, commissioner);
}

async fn index(ctx: Ctx) -> Result<HttpResponse, AppError> {
    let body = html! {
        h1.app-heading-l { "Dashboards" }
        p { "Figures for your teams, counted from the records as they stand. No dashboard names anyone." }
        ul.app-list {
            @for view in VIEWS {
                li { a href={ "/dashboards/" (view.slug) } { (view.title) } " – " (view.lead) }
            }
        }
    };
    Ok(ctx.render(StatusCode::OK, &ctx.page("Dashboards"), body))
}

/// Reads the scope and filters and builds the view's figures, in one read transaction; the
/// filters' errors instead of figures when a value is refused.
async fn figures(
    ctx: &Ctx,
    query: FilterQuery,
    view: &'static View,
) -> Result<(Scope, Filters, Result<Figures, crate::views::form::Errors>), AppError> {
    crate::returns::facts::up_to_date(ctx).await?;
    let (role, teams, now) = (ctx.user.role, ctx.user.teams.clone(), ctx.now());
    let env = Env {
        now,
        rule: ctx.state.config.suppression_rule,
    };
    // The shift view reads today only; the others may read a year.
    let _turn = if view.fields.period {
        Some(ctx.state.long_read_turn().await?)
    } else {
        None
    };
    ctx.read(move |conn| {
        let scope = Scope::load(conn, role, teams)?;
        let (filters, errors) = Filters::read(&query, &scope, (view.default_period)(now));
        let figures = if errors.is_empty() {
            Ok((view.build)(conn, &filters, &scope, &env)?)
        } else {
            Err(errors)
        };
        Ok((scope, filters, figures))
    })
    .await
}

async fn page(ctx: Ctx, query: web::Query<FilterQuery>, view: &'static View) -> Result<HttpResponse, AppError> {
    let (scope, filters, figures) = figures(&ctx, query.into_inner(), view).await?;
    let action = format!("/dashboards/{}", view.slug);
    let no_errors = crate::views::form::Errors::default();
    let errors = figures.as_ref().err().unwrap_or(&no_errors);
    let form = filters::form(&action, &filters, &scope, ctx.now(), view.fields, errors);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let body = html! {
        p { a href="/dashboards" { "All dashboards" } }
        h1.app-heading-l { (view.title) }
        p { (view.lead) }
        (crate::views::components::error_summary(errors))
        (form)
        @if let Ok(figures) = &figures {
            h2.app-heading-m { (filters.described(&scope, view.fields)) }
            (figures.summary)
            @for chart in &figures.charts {
                (chart.figure(Some(&csv_href(view, &filters, &chart.id))))
            }
            (figures.after)
        }
    };
    let page = ctx.page(view.title).with_errors(!errors.is_empty());
    Ok(ctx.render(status, &page, body))
}

fn csv_href(view: &View, filters: &Filters, chart: &str) -> String {
    let q = &filters.query;
    let period = filters.period.code();
    let pairs = [
        ("chart", chart),
        ("period", &period),
        ("team", &q.team),
        ("site", &q.site),
        ("age", &q.age),
    ];
    let query = serde_urlencoded::to_string(pairs).unwrap_or_default();
    format!("/dashboards/{}.csv?{query}", view.slug)
}

#[derive(Debug, serde::Deserialize)]
struct ChartQuery {
    #[serde(default)]
    chart: String,
    #[serde(flatten)]
    filters: FilterQuery,
}

/// One chart's figures as CSV: the same data object as its picture and table.
async fn csv(ctx: Ctx, query: web::Query<ChartQuery>, view: &'static View) -> Result<HttpResponse, AppError> {
    let ChartQuery { chart, filters } = query.into_inner();
    let (_, chosen, figures) = figures(&ctx, filters, view).await?;
    let figures = figures.map_err(|_| AppError::BadRequest("Choose the figures from the dashboard's own form"))?;
    let found = figures
        .charts
        .iter()
        .find(|c| c.id == chart)
        .ok_or(AppError::NotFound)?;
    let detail = format!("{} dashboard, {}: {}", view.slug, chosen.period.code(), found.id);
    ctx.audit(
        Event::allowed(audit::EXPORT)
            .record("dashboard", view.slug)
            .detail(detail),
    )
    .await?;
    let filename = format!("liaison-{}-{}-{}.csv", view.slug, found.id, chosen.period.code());
    Ok(crate::web::csv_download(&filename, found.csv()))
}
