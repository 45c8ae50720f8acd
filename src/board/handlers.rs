//! GET /sites/{id}/list and GET /shift/list: the full page, or only the list for htmx
//! (filters and polling), of one site or of every site of the practitioner's shift.

use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::{Markup, html};

use super::view::{self, Scope};
use super::{Filters, Listed};
use crate::audit::{self, Event};
use crate::auth::current::BACKGROUND_HEADER;
use crate::db::DbConnection;
use crate::domain::ids::{SiteId, TeamId};
use crate::domain::local_time;
use crate::shifts;
use crate::sites::{self, Site};
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::kept::{Kept, Rendering, Stamp};
use crate::web::{gzip, see_other};

/// The list as the filters ask: a rendering kept from an earlier request, or worked out now.
enum Listing {
    Kept(Arc<Rendering>),
    Loaded(Listed),
}

/// What the rendering of a list depends on besides the version and the minute: the list's
/// address and sites, the filters, and the user only for the filter "mine".
fn key(scope_path: &str, sites: &[Site], f: &Filters, uid: &str) -> String {
    let site_ids: Vec<&str> = sites.iter().map(|s| s.id.as_str()).collect();
    let mine = if f.who == "mine" { uid } else { "" };
    format!("{scope_path}?{}|{}|{mine}", f.query_string(), site_ids.join(","))
}

/// The list of the sites, as the filters ask, as of the stamp's minute: kept if a rendering
/// made at `stamp` is, or else loaded.
fn listing(
    conn: &mut DbConnection,
    (kept, key, stamp): (&Kept, &str, Stamp),
    chase_days: i64,
    sites: &[Site],
    f: &Filters,
    uid: &str,
) -> Result<Listing, AppError> {
    if let Some(rendering) = kept.current(key, stamp) {
        return Ok(Listing::Kept(rendering));
    }
    let now = stamp.moment();
    Ok(Listing::Loaded(super::load(
        conn,
        sites,
        local_time::start_of_local_day(now),
        crate::domain::working_days::before(now, chase_days),
        f,
        uid,
    )?))
}

/// Audits the view (one row per request, page load or poll, never one per person listed)
/// and answers with the fragment or the whole page. A list loaded now is rendered and kept.
async fn answer(
    req: &HttpRequest,
    ctx: &Ctx,
    (scope, record_id): (&Scope<'_>, &str),
    filters: &Filters,
    (listing, key, stamp): (Listing, String, Stamp),
    page: impl FnOnce(Markup) -> (String, Markup),
) -> Result<HttpResponse, AppError> {
    let rendering = match listing {
        Listing::Kept(rendering) => rendering,
        Listing::Loaded(listed) => {
            let summary = format!(
                "{} {}, {} closed today",
                listed.rows.len(),
                if filters.showing_closed() { "closed" } else { "open" },
                listed.closed_today,
            );
            let html = view::list_fragment(scope, filters, &listed, stamp.moment()).into_string();
            ctx.state.kept.keep(key, Rendering::new(stamp, html, summary))
        }
    };
    let background = req.headers().contains_key(BACKGROUND_HEADER);
    let detail = format!("{}{}", rendering.summary, if background { "; refresh" } else { "" });
    ctx.audit(
        Event::allowed(audit::VIEW)
            .record("site-list", record_id)
            .detail(detail),
    )
    .await?;
    if ctx.htmx {
        return Ok(rendering.respond(gzip::accepts(req)));
    }
    let (title, body) = page(html! {
        (view::allocation_fields(&ctx.user.csrf_token))
        (rendering.markup())
    });
    Ok(ctx.render(StatusCode::OK, &ctx.page(&title), body))
}

pub async fn list(
    req: HttpRequest,
    ctx: Ctx,
    site_id: web::Path<SiteId>,
    filters: web::Query<Filters>,
) -> Result<HttpResponse, AppError> {
    let filters = filters.into_inner();
    let (now, uid) = (ctx.now(), ctx.user.id.clone());
    let team_ids: Vec<TeamId> = ctx.user.teams.iter().map(|t| t.id.clone()).collect();
    let site_id = site_id.into_inner();
    let f = filters.clone();
    let full_page = !ctx.htmx;
    let chase_days = ctx.state.config.chase_after_working_days;
    let kept = ctx.state.kept.clone();
    let loaded = ctx
        .read(move |conn| {
            let stamp = Stamp::new(super::version(conn)?, now);
            let site = sites::find(conn, &site_id)?.ok_or(AppError::NotFound)?;
            if !team_ids.contains(&site.team_id) {
                return Ok(Err(site.id));
            }
            let sites = std::slice::from_ref(&site);
            let key = key(&Scope::site(&site).path, sites, &f, &uid);
            let listing = listing(conn, (&kept, &key, stamp), chase_days, sites, &f, &uid)?;
            let duty = if full_page {
                shifts::on_duty(conn, &site.id)?
            } else {
                Vec::new()
            };
            Ok(Ok((site, (listing, key, stamp), duty)))
        })
        .await?;
    let (site, listing, duty) = match loaded {
        Ok(loaded) => loaded,
        Err(site_id) => {
            ctx.audit(Event::denied(audit::VIEW).record("site-list", &site_id))
                .await?;
            return Err(AppError::Forbidden);
        }
    };
    let scope = Scope::site(&site);
    answer(&req, &ctx, (&scope, site.id.as_str()), &filters, listing, |fragment| {
        let body = html! {
            span.app-caption { (site.kind_label()) " – " (site.hours()) }
            h1.app-heading-l { (site.name) }
            div.app-actions {
                a.app-button href="/people/search" { "Add a person to the list" }
                @if ctx.user.sites.len() > 1 { a.app-button.app-button--secondary href=(view::SHIFT_LIST) { "All your shift's sites on one list" } }
            }
            (view::on_duty(&duty))
            (view::filter_form(&scope, &filters))
            (fragment)
        };
        (site.name.clone(), body)
    })
    .await
}

/// Every site of the practitioner's open shift on one list, most urgent first across them.
pub async fn shift_list(req: HttpRequest, ctx: Ctx, filters: web::Query<Filters>) -> Result<HttpResponse, AppError> {
    if ctx.user.sites.is_empty() {
        return Ok(see_other("/shift"));
    }
    let filters = filters.into_inner();
    let (now, uid) = (ctx.now(), ctx.user.id.clone());
    let team_ids: Vec<TeamId> = ctx.user.teams.iter().map(|t| t.id.clone()).collect();
    let site_ids: Vec<SiteId> = ctx.user.sites.iter().map(|s| s.id.clone()).collect();
    let f = filters.clone();
    let chase_days = ctx.state.config.chase_after_working_days;
    let kept = ctx.state.kept.clone();
    let (sites, listing) = ctx
        .read(move |conn| {
            let stamp = Stamp::new(super::version(conn)?, now);
            let mut sites = Vec::with_capacity(site_ids.len());
            for id in &site_ids {
                // Only the sites of the user's own teams, should a team have changed since.
                if let Some(site) = sites::find(conn, id)?.filter(|s| team_ids.contains(&s.team_id)) {
                    sites.push(site);
                }
            }
            let key = key(view::SHIFT_LIST, &sites, &f, &uid);
            let listing = listing(conn, (&kept, &key, stamp), chase_days, &sites, &f, &uid)?;
            Ok((sites, (listing, key, stamp)))
        })
        .await?;
    let scope = Scope::shift(&sites);
    let names: Vec<&str> = sites.iter().map(|s| s.name.as_str()).collect();
    answer(&req, &ctx, (&scope, "shift"), &filters, listing, |fragment| {
        let body = html! {
            span.app-caption { (names.join(", ")) }
            h1.app-heading-l { "Your shift's sites" }
            p { "Everyone open at the sites of your shift, on one list. Each site's own list shows who is on duty there." }
            ul.app-list { @for s in &sites { li { a href={ "/sites/" (s.id) "/list" } { (s.name) } } } }
            (view::filter_form(&scope, &filters))
            (fragment)
        };
        ("Your shift's sites".to_string(), body)
    })
    .await
}
