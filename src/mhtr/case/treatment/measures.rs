//! Outcome measures (CORE-10, WEMWBS…): one score at the start of treatment and one at the end.

use actix_web::{HttpResponse, web};
use chrono::NaiveDate;
use diesel::prelude::*;
use maud::{Markup, html};
use serde::Deserialize;

use super::page::{self, Forms};
use super::{END, Measure, START};
use crate::db::schema::mhtr_measures;
use crate::domain::CalendarDate;
use crate::domain::date_input::{self, DateRule};
use crate::domain::local_time;
use crate::domain::mhtr::{OUTCOME_MEASURES, OutcomeMeasure, measures_in_use, score_problem};
use crate::domain::new_id;
use crate::mhtr::case::MhtrCase;
use crate::views::components::{self, Field};
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::see_other;

const PHASES: &[(&str, &str)] = &[(START, "Start of treatment"), (END, "End of treatment")];

const TAKEN: DateRule = DateRule::happened("Date taken", "taken", "Enter the date the measure was taken");

#[derive(Deserialize, Default, Debug, Clone)]
pub struct MeasureForm {
    #[serde(default)]
    measure: String,
    #[serde(default)]
    phase: String,
    #[serde(default)]
    score: String,
    #[serde(default, rename = "taken-day")]
    day: String,
    #[serde(default, rename = "taken-month")]
    month: String,
    #[serde(default, rename = "taken-year")]
    year: String,
}

/// A score ready to store.
#[derive(Debug, PartialEq, Eq)]
struct Scored {
    measure: &'static str,
    phase: &'static str,
    score: i32,
    taken_on: NaiveDate,
}

impl MeasureForm {
    /// `in_use` are the measures this service records; `recorded` holds the scores already
    /// on the case: each measure once at each phase.
    fn validate(
        &self,
        in_use: &[&'static OutcomeMeasure],
        recorded: &[Measure],
        today: NaiveDate,
    ) -> Result<Scored, Errors> {
        let mut errors = Errors::default();
        let measure = in_use.iter().copied().find(|m| m.code == self.measure);
        if measure.is_none() {
            errors.add("measure", "Select the measure");
        }
        let phase = PHASES.iter().find(|(p, _)| *p == self.phase).map(|(p, _)| *p);
        match (measure, phase) {
            (_, None) => errors.add("phase", "Select whether this is the start or end of treatment"),
            (Some(m), Some(p)) if recorded.iter().any(|r| r.measure == m.code && r.phase == p) => {
                errors.add(
                    "phase",
                    format!("A {} score at the {p} of treatment is already recorded", m.name),
                );
            }
            _ => {}
        }
        let text = self.score.trim();
        let score = match (text.parse::<i32>(), measure) {
            _ if text.is_empty() => {
                errors.add("score", "Enter the score");
                None
            }
            (Err(_), _) => {
                errors.add("score", "Score must be a whole number, like 18");
                None
            }
            (Ok(n), Some(m)) => match score_problem(m, n) {
                Some(problem) => {
                    errors.add("score", problem);
                    None
                }
                None => Some(n),
            },
            (Ok(_), None) => None,
        };
        let taken_on = date_input::parse(&self.day, &self.month, &self.year, &TAKEN, today)
            .map_err(|(field, message)| errors.add(field, message))
            .ok();
        match (measure, phase, score, taken_on) {
            (Some(m), Some(phase), Some(score), Some(taken_on)) if errors.is_empty() => Ok(Scored {
                measure: m.code,
                phase,
                score,
                taken_on,
            }),
            _ => Err(errors),
        }
    }
}

fn score_on(m: Option<&Measure>) -> String {
    m.map_or_else(String::new, |m| {
        format!("{} on {}", m.score, local_time::day(m.taken_on))
    })
}

/// One row per measure taken: the start and end scores side by side.
pub fn table(measures: &[Measure]) -> Markup {
    let find = |code: &str, phase: &str| measures.iter().find(|m| m.measure == code && m.phase == phase);
    let rows: Vec<Vec<Markup>> = OUTCOME_MEASURES
        .iter()
        .filter(|o| measures.iter().any(|m| m.measure == o.code))
        .map(|o| {
            let (start, end) = (find(o.code, START), find(o.code, END));
            let change = match (start, end) {
                (Some(s), Some(e)) => format!("{:+}", e.score - s.score),
                _ => String::new(),
            };
            vec![
                html! { (o.name) },
                html! { (score_on(start)) },
                html! { (score_on(end)) },
                html! { (change) },
            ]
        })
        .collect();
    html! {
        @if rows.is_empty() { p { "No outcome measures have been recorded." } }
        @else { (components::table("Outcome measures at the start and end of treatment", &["Measure", "Start", "End", "Change"], &rows)) }
    }
}

/// The form offers the measures this service records (setting `mhtr_outcome_measures`).
pub fn form(c: &MhtrCase, csrf: &str, in_use: &[&OutcomeMeasure], form: &MeasureForm, errors: &Errors) -> Markup {
    let names: Vec<(&str, &str)> = in_use.iter().map(|m| (m.code, m.name)).collect();
    let ranges: Vec<String> = in_use
        .iter()
        .map(|m| format!("{} {} to {}", m.name, m.min, m.max))
        .collect();
    let hint = format!("The total score: {}", ranges.join(", "));
    html! {
        form method="post" action={ (super::treatment_path(&c.id)) "/measures" } novalidate {
            (components::csrf_field(csrf))
            (components::radios("measure", "Measure", &names, &form.measure, errors))
            (components::radios("phase", "When was it taken?", PHASES, &form.phase, errors))
            (components::input(Field::text("score", "Score", &form.score).hint(&hint), errors))
            (components::date_input(TAKEN.prefix, "Date taken", Some("For example, 27 3 2026"), [&form.day, &form.month, &form.year], errors))
            button.app-button type="submit" { "Save measure" }
        }
    }
}

pub async fn submit(ctx: Ctx, id: web::Path<String>, form: web::Form<MeasureForm>) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let (c, person) = super::load_for_change(&ctx, id.into_inner()).await?;
    let case_id = c.id.clone();
    let recorded = ctx
        .read(move |conn| Ok(super::Treatment::load(conn, &case_id)?.measures))
        .await?;
    let in_use = measures_in_use(&ctx.state.config.mhtr_outcome_measures);
    let scored = match form.validate(&in_use, &recorded, local_time::local_date(ctx.now())) {
        Ok(s) => s,
        Err(errors) => {
            let forms = Forms {
                measure: form,
                ..Forms::default()
            };
            return page::reject(&ctx, (&c, &person), &forms, &errors).await;
        }
    };
    let uid = ctx.user.id.clone();
    super::record_change(&ctx, &c.id, move |conn, now, fresh| {
        let taken_on = CalendarDate::from(scored.taken_on);
        diesel::insert_into(mhtr_measures::table)
            .values((
                mhtr_measures::id.eq(new_id()),
                mhtr_measures::case_id.eq(&fresh.id),
                mhtr_measures::measure.eq(scored.measure),
                mhtr_measures::phase.eq(scored.phase),
                mhtr_measures::score.eq(scored.score),
                mhtr_measures::taken_on.eq(taken_on.iso()),
                mhtr_measures::recorded_by.eq(&uid),
                mhtr_measures::recorded_at.eq(now),
            ))
            .execute(conn)?;
        Ok(format!(
            "measure {} {} = {} on {taken_on}",
            scored.measure, scored.phase, scored.score
        ))
    })
    .await?;
    Ok(see_other(&super::treatment_path(&c.id)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()
    }

    fn in_use() -> Vec<&'static OutcomeMeasure> {
        measures_in_use(&["core-10".into(), "wemwbs".into()])
    }

    fn form(measure: &str, phase: &str, score: &str) -> MeasureForm {
        MeasureForm {
            measure: measure.into(),
            phase: phase.into(),
            score: score.into(),
            day: "20".into(),
            month: "11".into(),
            year: "2026".into(),
        }
    }

    #[test]
    fn scores_are_checked_against_the_measure() {
        let ok = form("core-10", "start", "18")
            .validate(&in_use(), &[], today())
            .unwrap();
        assert_eq!((ok.measure, ok.phase, ok.score), ("core-10", "start", 18));
        let errors = form("core-10", "start", "41")
            .validate(&in_use(), &[], today())
            .unwrap_err();
        assert_eq!(errors.get("score"), Some("CORE-10 score must be between 0 and 40"));
        assert!(form("wemwbs", "end", "13").validate(&in_use(), &[], today()).is_err());
        assert!(
            form("core-10", "end", "lots")
                .validate(&in_use(), &[], today())
                .is_err()
        );
        assert!(
            form("phq-9", "end", "5")
                .validate(&in_use(), &[], today())
                .unwrap_err()
                .get("measure")
                .is_some()
        );
    }

    #[test]
    fn each_measure_is_scored_once_at_each_phase() {
        let start = Measure {
            measure: "core-10".into(),
            phase: START.into(),
            score: 20,
            taken_on: "2026-11-01".parse().unwrap(),
        };
        let again = form("core-10", "start", "18").validate(&in_use(), std::slice::from_ref(&start), today());
        assert!(again.unwrap_err().get("phase").is_some());
        assert!(
            form("core-10", "end", "12")
                .validate(&in_use(), &[start], today())
                .is_ok()
        );
    }
}
