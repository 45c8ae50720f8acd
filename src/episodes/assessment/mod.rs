//! The full assessment (docs/domain.md §3.5) as a GOV.UK task list: each section is saved on
//! its own, as a draft or as complete, and the assessment is complete when every section is.
//! Drafts live on the server so they survive the Back button, a second tab and a lost
//! connection; with JavaScript on, htmx also saves them as the practitioner types.

mod answers;
mod section;
mod store;
mod task_list;

use diesel::QueryResult;
use maud::{Markup, html};

pub use answers::Answers;
pub use store::SavedSection;

use crate::clock::Millis;
use crate::db::DbConnection;
use crate::domain::codes::{ASSESSMENT_SECTIONS, AssessmentSection};
use crate::domain::episode::EpisodeStatus;
use crate::domain::local_time;
use crate::records::Episode;
use crate::records::Person;
use crate::views::components::{self, Tone};
use crate::web::error::AppError;
use crate::web::routes::Routes;

/// The audit record type of section saves (the record id is the episode's).
pub const RECORD: &str = "assessment";

#[rustfmt::skip]
pub fn routes(r: &mut Routes) {
    use crate::web::routes::{Guard::Clinical, Record::Episode};
    // `complete` before `{section}`, which would otherwise match it.
    r.get("/episodes/{id}/assessment", Clinical, Episode, task_list::show)
        .post("/episodes/{id}/assessment/complete", Clinical, Episode, task_list::complete)
        .get("/episodes/{id}/assessment/{section}", Clinical, Episode, section::show)
        .post("/episodes/{id}/assessment/{section}", Clinical, Episode, section::save)
        .post("/episodes/{id}/assessment/{section}/autosave", Clinical, Episode, section::autosave);
}

/// Where a section stands, in the words of the GOV.UK task list pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SectionState {
    NotStarted,
    /// A draft is saved.
    InProgress,
    Completed,
}

impl SectionState {
    fn of(saved: Option<&SavedSection>) -> SectionState {
        match saved {
            None => SectionState::NotStarted,
            Some(s) if s.complete => SectionState::Completed,
            Some(_) => SectionState::InProgress,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SectionState::NotStarted => "Not started",
            SectionState::InProgress => "In progress",
            SectionState::Completed => "Completed",
        }
    }

    pub fn tag(self) -> Markup {
        let tone = match self {
            SectionState::NotStarted => Tone::Neutral,
            SectionState::InProgress => Tone::Warning,
            SectionState::Completed => Tone::Good,
        };
        components::tag(self.label(), tone)
    }
}

/// Every section in form order with its state.
pub type Progress = Vec<(&'static AssessmentSection, SectionState)>;

/// The state of each section of an episode's assessment, for the episode page and caseloads.
pub fn progress(conn: &mut DbConnection, episode_id: &str) -> QueryResult<Progress> {
    Ok(progress_of(&store::for_episode(conn, episode_id)?))
}

fn progress_of(saved: &[SavedSection]) -> Progress {
    ASSESSMENT_SECTIONS
        .iter()
        .map(|section| {
            let row = saved.iter().find(|s| s.section == section.code);
            (section, SectionState::of(row))
        })
        .collect()
}

/// "2 of 5 sections completed".
pub fn progress_summary(progress: &[(&'static AssessmentSection, SectionState)]) -> String {
    let done = progress.iter().filter(|(_, s)| *s == SectionState::Completed).count();
    format!("{done} of {} sections completed", progress.len())
}

/// Whether the assessment can be changed or only read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Edit,
    Read,
}

/// Editable while in assessment; readable once completed, including after the episode is
/// closed or reopened, so the record of the assessment stays visible. Otherwise refused.
fn mode(ep: &Episode) -> Result<Mode, AppError> {
    match ep.status() {
        EpisodeStatus::InAssessment => Ok(Mode::Edit),
        EpisodeStatus::Assessed => Ok(Mode::Read),
        _ if ep.assessed_at.is_some() => Ok(Mode::Read),
        _ => Err(AppError::Refused("Start the full assessment first".into())),
    }
}

/// Refuses a change unless the episode is in assessment.
fn require_edit(ep: &Episode) -> Result<(), AppError> {
    match mode(ep)? {
        Mode::Edit => Ok(()),
        Mode::Read => Err(AppError::Refused(
            "This assessment has been completed and can no longer be changed".into(),
        )),
    }
}

fn task_list_path(episode_id: &str) -> String {
    format!("/episodes/{episode_id}/assessment")
}

fn section_path(episode_id: &str, section: &str) -> String {
    format!("/episodes/{episode_id}/assessment/{section}")
}

/// The caption naming the person, then the page heading.
fn heading(person: &Person, title: &str) -> Markup {
    html! {
        span.app-caption { (person.list_name()) }
        h1.app-heading-l { (title) }
    }
}

/// "14:05" today, "21 Nov 2026 14:05" on an earlier day.
fn saved_at(now: Millis, at: Millis) -> String {
    if local_time::local_date(now) == local_time::local_date(at) {
        local_time::hhmm(at)
    } else {
        local_time::date_time(at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn saved(section: &str, complete: bool) -> SavedSection {
        SavedSection {
            section: section.into(),
            answers: Answers::default(),
            complete,
            updated_by: "Pat".into(),
            updated_at: 0,
        }
    }

    #[test]
    fn progress_lists_every_section_in_order_with_its_state() {
        let p = progress_of(&[saved("risk", true), saved("background", false)]);
        let states: Vec<(&str, &str)> = p.iter().map(|(s, st)| (s.code, st.label())).collect();
        assert_eq!(
            states,
            [
                ("mental-state-examination", "Not started"),
                ("risk", "Completed"),
                ("background", "In progress"),
                ("formulation", "Not started"),
                ("care-pathway", "Not started"),
            ]
        );
        assert_eq!(progress_summary(&p), "1 of 5 sections completed");
    }
}
