//! A report with everything shown or sent with it, and the questions every page asks of it:
//! is it signed off, which version goes out, which is printed.

use super::{Addendum, Answers, Include, Report, Section, Waiver};
use crate::web::error::AppError;

/// A report with everything shown or sent with it.
#[derive(Debug, Clone)]
pub struct Full {
    pub report: Report,
    pub sections: Vec<Section>,
    /// Oldest first, signed or not.
    pub addenda: Vec<Addendum>,
    pub signed_off_by: Option<String>,
    /// Who drafted it, by display name.
    pub author: String,
    /// The latest signed-off version; `None` while a draft.
    pub version: Option<i32>,
    /// Identifiers included beyond the kind's allow-list.
    pub includes: Vec<Include>,
    /// Checklist items waived at sign-off.
    pub waivers: Vec<Waiver>,
}

impl Full {
    /// The structured answers of section `code`, if the report has that section.
    pub fn answers(&self, code: &str) -> Option<Answers> {
        self.sections
            .iter()
            .find(|s| s.code == code)
            .map(|s| Answers::parse(&s.answers))
    }

    /// The section's answered fields as (label, answer in words).
    pub fn answer_lines(&self, section: &Section) -> Vec<(&'static str, String)> {
        match self.report.kind().section(&section.code) {
            Some(kind) => Answers::parse(&section.answers).lines(kind),
            None => Vec::new(),
        }
    }

    /// Written: it has text or an answered field.
    pub fn is_written(&self, section: &Section) -> bool {
        !section.body.trim().is_empty() || !self.answer_lines(section).is_empty()
    }

    pub fn signed_addenda(&self) -> impl Iterator<Item = &Addendum> {
        self.addenda.iter().filter(|a| a.version.is_some())
    }

    /// The latest signed-off version, the one a send carries; refused while a draft.
    pub fn sendable(&self) -> Result<i32, AppError> {
        self.version.ok_or_else(|| {
            AppError::Refused("The report has not been signed off yet: only a signed-off report can be sent".into())
        })
    }

    /// Refuses a report already signed off.
    pub fn still_draft(&self) -> Result<(), AppError> {
        if self.report.is_final() {
            return Err(AppError::Refused("This report has already been signed off".into()));
        }
        Ok(())
    }

    /// The addendum `id`, while it waits for sign-off.
    pub fn unsigned_addendum(&self, id: &str) -> Result<Addendum, AppError> {
        let a = self.addenda.iter().find(|a| a.id == id).ok_or(AppError::NotFound)?;
        if a.version.is_some() {
            return Err(AppError::Refused("This addendum has already been signed off".into()));
        }
        Ok(a.clone())
    }

    /// The version to print (`wanted`, or the report as it stands) and the newer version
    /// that supersedes it, if any.
    pub fn to_print(self, wanted: Option<i32>) -> Result<(Full, Option<i32>), AppError> {
        let latest = self.version;
        let printed = match wanted {
            Some(v) => self.as_of(v).ok_or(AppError::NotFound)?,
            None => self,
        };
        let newer = latest.filter(|l| printed.version.is_some_and(|v| v < *l));
        Ok((printed, newer))
    }

    /// The report as version `version` read when it was signed off (and sent): the sections
    /// and the addenda signed up to it; `None` if there is no such version.
    pub fn as_of(&self, version: i32) -> Option<Full> {
        if !(1..=self.version?).contains(&version) {
            return None;
        }
        let mut then = self.clone();
        then.addenda.retain(|a| a.version.is_some_and(|v| v <= version));
        then.version = Some(version);
        Some(then)
    }
}
