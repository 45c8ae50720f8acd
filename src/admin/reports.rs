//! GET/POST /admin/reports: how reports are printed and signed off here: the letterhead on
//! every printed report, and for each L&D report kind who may sign it off (a senior
//! practitioner, or the author too). Changes are audited.

use actix_web::{HttpResponse, web};
use maud::html;

use crate::audit::{self, Event};
use crate::reports::kinds::{EPISODE_KINDS, Signer};
use crate::reports::{self, LETTERHEAD};
use crate::settings;
use crate::views::components;
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::see_other;

const PATH: &str = "/admin/reports";
const LETTERHEAD_MAX: usize = 600;

/// The letterhead and each kind's signer code, as stored or as submitted.
struct Settings {
    letterhead: String,
    signers: Vec<String>,
}

fn signer_field(kind: reports::Kind) -> String {
    format!("signer-{}", kind.code())
}

fn page(ctx: &Ctx, s: &Settings, errors: &Errors, saved: bool) -> HttpResponse {
    let choices: Vec<(&str, &str)> = Signer::ALL.iter().map(|s| (s.code(), s.label())).collect();
    let body = html! {
        (components::error_summary(errors))
        @if saved { (components::notification("Report settings saved", true)) }
        h1.app-heading-l { "Reports" }
        form method="post" action=(PATH) novalidate {
            (components::csrf_field(&ctx.user.csrf_token))
            (components::textarea("letterhead", "Letterhead on printed reports", &s.letterhead,
                Some("A line each: the service's name, address and telephone number. Leave empty to print the team's name."), errors))
            @for (kind, chosen) in EPISODE_KINDS.iter().zip(&s.signers) {
                (components::radios(&signer_field(*kind), &format!("Who signs off the {}?", kind.spec().title.to_lowercase()), &choices, chosen, errors))
            }
            button.app-button type="submit" { "Save" }
        }
    };
    ctx.form_page("Reports", errors, body)
}

pub async fn show(
    ctx: Ctx,
    query: web::Query<std::collections::HashMap<String, String>>,
) -> Result<HttpResponse, AppError> {
    let s = ctx
        .read(|conn| {
            let letterhead = settings::get(conn, LETTERHEAD)?.unwrap_or_default();
            let signers = EPISODE_KINDS
                .iter()
                .map(|k| reports::signer_for(conn, *k).map(|s| s.code().to_string()))
                .collect::<diesel::QueryResult<_>>()?;
            Ok(Settings { letterhead, signers })
        })
        .await?;
    Ok(page(&ctx, &s, &Errors::default(), query.contains_key("saved")))
}

pub async fn save(ctx: Ctx, form: web::Form<Vec<(String, String)>>) -> Result<HttpResponse, AppError> {
    let value = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let s = Settings {
        letterhead: value("letterhead").trim().to_string(),
        signers: EPISODE_KINDS.iter().map(|k| value(&signer_field(*k))).collect(),
    };
    let mut errors = Errors::default();
    if s.letterhead.chars().count() > LETTERHEAD_MAX {
        errors.add(
            "letterhead",
            format!("Letterhead must be {LETTERHEAD_MAX} characters or fewer"),
        );
    }
    for (kind, chosen) in EPISODE_KINDS.iter().zip(&s.signers) {
        if Signer::try_from(chosen.clone()).is_err() {
            errors.add(
                signer_field(*kind),
                format!("Select who signs off the {}", kind.spec().title.to_lowercase()),
            );
        }
    }
    if !errors.is_empty() {
        return Ok(page(&ctx, &s, &errors, false));
    }
    ctx.write(move |tx| {
        settings::set(tx.conn, LETTERHEAD, &s.letterhead)?;
        let mut detail = vec!["letterhead".to_string()];
        for (kind, chosen) in EPISODE_KINDS.iter().zip(&s.signers) {
            settings::set(tx.conn, &reports::signer_setting(*kind), chosen)?;
            detail.push(format!("{}: {chosen}", kind.code()));
        }
        tx.audit(
            Event::allowed(audit::UPDATE)
                .record("settings", "reports")
                .detail(detail.join("; ")),
        )
    })
    .await?;
    Ok(see_other(&format!("{PATH}?saved=1")))
}
