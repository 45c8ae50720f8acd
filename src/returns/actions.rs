//! What an analyst does to a return: validate it, lock it, download it. The figures are worked
//! in a read transaction; the write that follows only records the outcome, on the condition
//! that the return is still in the state the action found it in.

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::RECORD;
use super::checks;
use super::pages::{find, quarter_of, render};
use super::store::{self, LockedFile, ReturnStatus};
use super::table;
use crate::audit::{self, Event};
use crate::domain::hex;
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::{reauth, see_other};

pub async fn validate(ctx: Ctx, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    let found = find(&ctx, id.into_inner()).await?;
    if found.status == ReturnStatus::Locked {
        return Err(AppError::Refused(
            "This return is locked: start a new version to change it".into(),
        ));
    }
    let worked = checks::worked(&ctx, quarter_of(&found)?).await?;
    let counts = (worked.validation.blocking.len(), worked.validation.warnings.len());
    let (id, by) = (found.id.clone(), ctx.user.id.clone());
    ctx.write(move |tx| {
        let status = store::record_validation(tx.conn, &id, counts, &by, tx.now)?;
        let detail = format!(
            "validated: {} blocking, {} warnings; now {}",
            counts.0,
            counts.1,
            status.code()
        );
        tx.audit(Event::allowed(audit::UPDATE).record(RECORD, &id).detail(detail))?;
        Ok(())
    })
    .await?;
    Ok(see_other(&format!("/returns/{}", found.id)))
}

#[derive(Deserialize, Default)]
pub struct LockForm {
    #[serde(default)]
    confirm: String,
}

pub async fn lock(ctx: Ctx, id: web::Path<String>, form: web::Form<LockForm>) -> Result<HttpResponse, AppError> {
    let found = find(&ctx, id.into_inner()).await?;
    let page = format!("/returns/{}", found.id);
    reauth::require(&ctx.user, &ctx.state, &page, ctx.htmx)?;
    if found.status != ReturnStatus::Validated {
        return Err(AppError::Refused("Validate the return before locking it".into()));
    }
    if form.confirm != "yes" {
        let mut errors = Errors::default();
        errors.add("confirm", "Confirm you have checked the figures and the warnings");
        return render(&ctx, found.id, &errors).await;
    }
    let rule = ctx.state.config.suppression_rule;
    let worked = checks::worked(&ctx, quarter_of(&found)?).await?;
    let counts = (worked.validation.blocking.len(), worked.validation.warnings.len());
    let (id, by) = (found.id.clone(), ctx.user.id.clone());
    if counts.0 > 0 {
        // The records changed since validation: the return goes back to draft and its page
        // shows what now blocks it.
        ctx.write(move |tx| {
            store::record_validation(tx.conn, &id, counts, &by, tx.now)?;
            let detail = format!("lock refused: {} blocking problems found", counts.0);
            tx.audit(Event::denied(audit::UPDATE).record(RECORD, &id).detail(detail))?;
            Ok(())
        })
        .await?;
        return Ok(see_other(&page));
    }
    let content = table::csv(&worked.rows, rule);
    let file = LockedFile {
        sha256: hex(&Sha256::digest(content.as_bytes())),
        row_count: worked.rows.len(),
        episode_count: worked.facts.len(),
        content,
    };
    let locked = ctx
        .write(move |tx| {
            let locked = store::lock(tx.conn, &id, &file, &by, tx.now)?;
            if locked {
                let detail = format!("locked: {} rows, sha256 {}", file.row_count, file.sha256);
                tx.audit(Event::allowed(audit::UPDATE).record(RECORD, &id).detail(detail))?;
            }
            Ok(locked)
        })
        .await?;
    if !locked {
        return Err(AppError::Refused(
            "This return changed while you were locking it: look at it again".into(),
        ));
    }
    Ok(see_other(&page))
}

/// A locked return's kept file, byte for byte; a draft's figures as they stand.
pub async fn download(ctx: Ctx, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    let found = find(&ctx, id.into_inner()).await?;
    let quarter = quarter_of(&found)?;
    let (content, kind) = match (&found.status, &found.content) {
        (ReturnStatus::Locked, Some(kept)) => (kept.clone(), "locked"),
        _ => {
            let worked = checks::worked(&ctx, quarter).await?;
            let rule = ctx.state.config.suppression_rule;
            (table::csv(&worked.rows, rule), "draft")
        }
    };
    let detail = format!("{kind} return file for {}", found.quarter);
    ctx.audit(Event::allowed(audit::EXPORT).record(RECORD, &found.id).detail(detail))
        .await?;
    let filename = format!("liaison-ld-return-{}-v{}-{kind}.csv", found.quarter, found.version);
    Ok(crate::web::csv_download(&filename, content))
}
