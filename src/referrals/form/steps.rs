//! The handlers of the steps before sending: choose, details, check answers, change.

use actix_web::{HttpResponse, web};

use super::input::ReferralForm;
use super::load;
use super::pages::{Step, check_page, choose_page, details_page};
use crate::domain::ids::EpisodeId;
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;

pub async fn new(
    ctx: Ctx,
    id: web::Path<EpisodeId>,
    query: web::Query<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (ep, person, services) = load(&ctx, id.into_inner()).await?;
    let query = query.into_inner();
    let submitted = query.iter().any(|(k, v)| k == "step" && v == "choose");
    let chosen: Vec<String> = query
        .into_iter()
        .filter(|(k, _)| k == "services")
        .map(|(_, v)| v)
        .collect();
    let step = Step::new(&ctx, &ep, &person, &services);
    if chosen.is_empty() && !submitted {
        return Ok(choose_page(&step, ep.youth, &Errors::default()));
    }
    if chosen.is_empty() || chosen.iter().any(|c| !services.iter().any(|s| &s.id == c)) {
        let mut errors = Errors::default();
        errors.add("services", "Select at least one service from the directory");
        return Ok(choose_page(&step, ep.youth, &errors));
    }
    let form = ReferralForm {
        consent: chosen
            .iter()
            .map(|s| super::input::ServiceConsent {
                service: s.clone(),
                ..Default::default()
            })
            .collect(),
        services: chosen,
        submission_key: crate::auth::session::random_token(),
        ..ReferralForm::default()
    };
    Ok(details_page(&step, &form, &Errors::default()))
}

pub async fn check(
    ctx: Ctx,
    id: web::Path<EpisodeId>,
    body: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (ep, person, services) = load(&ctx, id.into_inner()).await?;
    let form = ReferralForm::from_pairs(body.into_inner());
    let step = Step::new(&ctx, &ep, &person, &services);
    let errors = form.validate(&services);
    if !errors.is_empty() {
        return Ok(details_page(&step, &form, &errors));
    }
    Ok(check_page(&step, &form))
}

pub async fn edit(
    ctx: Ctx,
    id: web::Path<EpisodeId>,
    body: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (ep, person, services) = load(&ctx, id.into_inner()).await?;
    let form = ReferralForm::from_pairs(body.into_inner());
    let step = Step::new(&ctx, &ep, &person, &services);
    Ok(details_page(&step, &form, &Errors::default()))
}
