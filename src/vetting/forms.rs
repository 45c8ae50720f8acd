//! Recording a user's clearance: the form, its checks, and the audited save.

use actix_web::{HttpResponse, web};
use chrono::NaiveDate;
use serde::Deserialize;

use super::pages::{self, Loaded};
use super::store::{self, NewClearance};
use crate::audit::{self, Event};
use crate::domain::CalendarDate;
use crate::domain::date_input::{self, DateRule, When};
use crate::domain::local_time::local_date;
use crate::domain::vetting::VettingLevel;
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::see_other;

const REFERENCE_MAX: usize = 60;

const GRANTED: DateRule = DateRule::happened("Date granted", "granted", "Enter the date the clearance was granted");

const EXPIRES: DateRule = DateRule {
    name: "Expiry date",
    prefix: "expires",
    enter: "Enter the date the clearance expires",
    when: When::TodayOrFuture,
    earliest: None,
    most_years_ago: None,
    // No level lasts longer than ten years: a later year is a typing slip.
    most_years_ahead: Some(10),
};

/// The form as typed, kept so a refused form shows every answer again.
#[derive(Deserialize, Default)]
pub struct ClearanceForm {
    #[serde(default)]
    pub level: String,
    #[serde(default)]
    pub reference: String,
    #[serde(default, rename = "granted-day")]
    pub granted_day: String,
    #[serde(default, rename = "granted-month")]
    pub granted_month: String,
    #[serde(default, rename = "granted-year")]
    pub granted_year: String,
    #[serde(default, rename = "expires-day")]
    pub expires_day: String,
    #[serde(default, rename = "expires-month")]
    pub expires_month: String,
    #[serde(default, rename = "expires-year")]
    pub expires_year: String,
}

/// A checked form: level, reference, granted and expiry dates.
type Checked = (VettingLevel, String, NaiveDate, NaiveDate);

impl ClearanceForm {
    fn validate(&self, today: NaiveDate) -> Result<Checked, Errors> {
        let mut errors = Errors::default();
        let level = self.level.parse::<VettingLevel>().ok();
        if level.is_none() {
            errors.add("level", "Select the vetting level");
        }
        let reference = self.reference.trim();
        if reference.is_empty() {
            errors.add("reference", "Enter the vetting reference");
        } else if reference.chars().count() > REFERENCE_MAX {
            errors.add(
                "reference",
                format!("Vetting reference must be {REFERENCE_MAX} characters or fewer"),
            );
        }
        let mut date = |(d, m, y): (&str, &str, &str), rule: &DateRule| match date_input::parse(d, m, y, rule, today) {
            Ok(date) => Some(date),
            Err((field, message)) => {
                errors.add(field, message);
                None
            }
        };
        let granted = date((&self.granted_day, &self.granted_month, &self.granted_year), &GRANTED);
        let expires = date((&self.expires_day, &self.expires_month, &self.expires_year), &EXPIRES);
        if let (Some(g), Some(e)) = (granted, expires)
            && e <= g
        {
            errors.add("expires", "Expiry date must be after the date granted");
        }
        match (level, granted, expires) {
            (Some(level), Some(g), Some(e)) if errors.is_empty() => Ok((level, reference.to_string(), g, e)),
            _ => Err(errors),
        }
    }
}

pub async fn show(ctx: Ctx, id: web::Path<String>) -> Result<HttpResponse, AppError> {
    let loaded = pages::load(&ctx, id.into_inner()).await?;
    Ok(pages::clearance_page(
        &ctx,
        &loaded,
        &ClearanceForm::default(),
        &Errors::default(),
    ))
}

pub async fn save(ctx: Ctx, id: web::Path<String>, form: web::Form<ClearanceForm>) -> Result<HttpResponse, AppError> {
    let (id, form) = (id.into_inner(), form.into_inner());
    let (level, reference, granted, expires) = match form.validate(local_date(ctx.now())) {
        Ok(checked) => checked,
        Err(errors) => {
            let loaded: Loaded = pages::load(&ctx, id).await?;
            return Ok(pages::clearance_page(&ctx, &loaded, &form, &errors));
        }
    };
    let (target, by) = (id.clone(), ctx.user.id.clone());
    ctx.write(move |tx| {
        if crate::auth::accounts::find(tx.conn, &target)?.is_none() {
            return Err(AppError::NotFound);
        }
        let new = NewClearance {
            user_id: &target,
            level,
            reference: &reference,
            granted_on: CalendarDate::new(granted),
            expires_on: CalendarDate::new(expires),
        };
        let (row, superseded) = store::record(tx.conn, tx.now, &by, &new)?;
        let mut detail = format!(
            "vetting clearance {row} recorded: {}, reference {reference}, granted {granted}, expires {expires}",
            level.label()
        );
        if let Some(old) = superseded {
            detail.push_str(&format!("; supersedes {old}"));
        }
        tx.audit(
            Event::allowed(audit::UPDATE)
                .record(pages::RECORD, &target)
                .detail(detail),
        )
    })
    .await?;
    Ok(see_other(&format!("/admin/users/{id}?done=vetting")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(level: &str, reference: &str, granted: [&str; 3], expires: [&str; 3]) -> ClearanceForm {
        ClearanceForm {
            level: level.into(),
            reference: reference.into(),
            granted_day: granted[0].into(),
            granted_month: granted[1].into(),
            granted_year: granted[2].into(),
            expires_day: expires[0].into(),
            expires_month: expires[1].into(),
            expires_year: expires[2].into(),
        }
    }

    fn problems(f: &ClearanceForm) -> Vec<(String, String)> {
        let today = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        match f.validate(today) {
            Ok(_) => Vec::new(),
            Err(e) => e.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect(),
        }
    }

    #[test]
    fn a_complete_clearance_passes() {
        let f = form("nppv3", " MPS/123 ", ["1", "6", "2025"], ["1", "6", "2030"]);
        assert_eq!(problems(&f), []);
    }

    #[test]
    fn each_problem_is_named_at_its_field() {
        let f = form("secret", "", ["31", "2", "2025"], ["", "", ""]);
        let fields: Vec<String> = problems(&f).into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["level", "reference", "granted", "expires"]);
    }

    #[test]
    fn expiry_must_come_after_the_grant_and_not_before_today() {
        let same = form("nppv2-full", "R1", ["2", "12", "2026"], ["2", "12", "2026"]);
        assert_eq!(
            problems(&same),
            [(
                "expires".to_string(),
                "Expiry date must be after the date granted".to_string()
            )]
        );
        let past = form("nppv1", "R1", ["1", "1", "2020"], ["1", "1", "2023"]);
        assert_eq!(problems(&past)[0].0, "expires");
        let future_grant = form("nppv1", "R1", ["1", "1", "2027"], ["1", "1", "2029"]);
        assert_eq!(problems(&future_grant)[0].0, "granted");
    }
}
