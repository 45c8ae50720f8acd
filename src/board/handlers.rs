//! GET /sites/{id}/list: the full page, or only the list for htmx (filters and polling).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::html;

use super::{Filters, view};
use crate::audit::{self, Event};
use crate::auth::current::BACKGROUND_HEADER;
use crate::domain::ids::{SiteId, TeamId};
use crate::domain::local_time;
use crate::shifts;
use crate::sites;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::html as respond;

pub async fn list(
    req: HttpRequest,
    ctx: Ctx,
    site_id: web::Path<SiteId>,
    filters: web::Query<Filters>,
) -> Result<HttpResponse, AppError> {
    let filters = filters.into_inner();
    let background = req.headers().contains_key(BACKGROUND_HEADER);
    let (now, uid) = (ctx.now(), ctx.user.id.clone());
    let team_ids: Vec<TeamId> = ctx.user.teams.iter().map(|t| t.id.clone()).collect();
    let site_id = site_id.into_inner();
    let f = filters.clone();
    let full_page = !ctx.htmx;
    let chase_days = ctx.state.config.chase_after_working_days;
    let loaded = ctx
        .read(move |conn| {
            let site = sites::find(conn, &site_id)?.ok_or(AppError::NotFound)?;
            if !team_ids.contains(&site.team_id) {
                return Ok(Err(site.id));
            }
            let listed = super::load(
                conn,
                &site.id,
                local_time::start_of_local_day(now),
                crate::domain::working_days::before(now, chase_days),
                &f,
                &uid,
            )?;
            let duty = if full_page {
                shifts::on_duty(conn, &site.id)?
            } else {
                Vec::new()
            };
            Ok(Ok((site, listed, duty)))
        })
        .await?;
    let (site, listed, duty) = match loaded {
        Ok(loaded) => loaded,
        Err(site_id) => {
            ctx.audit(Event::denied(audit::VIEW).record("site-list", &site_id))
                .await?;
            return Err(AppError::Forbidden);
        }
    };
    // One audit row per request (page load or poll), never one per person listed.
    let detail = format!(
        "{} {}, {} closed today{}",
        listed.rows.len(),
        if filters.showing_closed() { "closed" } else { "open" },
        listed.closed_today,
        if background { "; refresh" } else { "" }
    );
    ctx.audit(Event::allowed(audit::VIEW).record("site-list", &site.id).detail(detail))
        .await?;
    let fragment = view::list_fragment(&site, &filters, &listed, now, &ctx.user.csrf_token);
    if ctx.htmx {
        return Ok(respond(StatusCode::OK, fragment));
    }
    let body = html! {
        span.app-caption { (site.kind_label()) " – " (site.hours()) }
        h1.app-heading-l { (site.name) }
        div.app-actions { a.app-button href="/people/search" { "Add a person to the list" } }
        (view::on_duty(&duty))
        (view::filter_form(&site, &filters))
        (fragment)
    };
    Ok(ctx.render(StatusCode::OK, &ctx.page(&site.name), body))
}
