//! A report as people read it: on screen, printed and in a secure email. The same markup
//! serves all three, so what is printed is what was sent.

use maud::{Markup, html};

use super::Full;
use crate::domain::local_time;

/// A tag: "Draft", or "Final, version 2".
pub fn version_tag(version: Option<i32>) -> Markup {
    use crate::views::components::{Tone, tag};
    match version {
        Some(v) => tag(&format!("Final, version {v}"), Tone::Good),
        None => tag("Draft", Tone::Warning),
    }
}

/// "Version 2, signed off by Sam Senior on 3 Dec 2026", or that it is a draft.
pub fn status_line(full: &Full) -> String {
    match (full.version, full.report.signed_off_at) {
        (Some(v), Some(at)) => format!(
            "Final, version {v}. Signed off by {} on {}",
            full.signed_off_by.as_deref().unwrap_or("unknown"),
            local_time::local_day(at)
        ),
        _ => "Draft: not signed off".to_string(),
    }
}

/// The sections, then each signed addendum with its version and signer. Headings start at
/// level 2, under the page's own title.
pub fn body(full: &Full) -> Markup {
    html! {
        @for s in &full.sections {
            section.app-report-section {
                h2.app-heading-m { (s.title) }
                (section_content(full, s, "Not written."))
            }
        }
        @if let (Some(by), Some(at)) = (&full.signed_off_by, full.report.signed_off_at) {
            p { strong { "Signed off by " (by) " on " (local_time::local_day(at)) " (version 1)." } }
        }
        @for a in full.signed_addenda() {
            section.app-report-section {
                h2.app-heading-m { "Addendum: version " (a.version.unwrap_or_default()) }
                p.app-pre-wrap { (a.body) }
                p { strong { "Signed off by " (a.signed_off_by.as_deref().unwrap_or("unknown")) " on " (a.signed_off_at.map(local_time::local_day).unwrap_or_default()) "." } }
            }
        }
    }
}

/// A section's answered fields, then its text; `empty` when it has neither.
pub fn section_content(full: &Full, s: &super::Section, empty: &str) -> Markup {
    let lines = full.answer_lines(s);
    html! {
        @if !lines.is_empty() {
            dl.app-answers { @for (label, words) in &lines { dt { (label) } dd { (words) } } }
        }
        @if !s.body.trim().is_empty() { p.app-pre-wrap { (s.body) } }
        @else if lines.is_empty() { p.app-hint { (empty) } }
    }
}

/// The same content as plain text, for an email's text part.
pub fn text(full: &Full) -> String {
    let mut out = String::new();
    for s in &full.sections {
        out.push_str(&format!("{}\n", s.title.to_uppercase()));
        let lines = full.answer_lines(s);
        for (label, words) in &lines {
            out.push_str(&format!("{label}: {words}\n"));
        }
        if !s.body.trim().is_empty() {
            out.push_str(&format!("{}\n", s.body.trim()));
        } else if lines.is_empty() {
            out.push_str("Not written.\n");
        }
        out.push('\n');
    }
    if let (Some(by), Some(at)) = (&full.signed_off_by, full.report.signed_off_at) {
        out.push_str(&format!(
            "Signed off by {by} on {} (version 1).\n\n",
            local_time::local_day(at)
        ));
    }
    for a in full.signed_addenda() {
        out.push_str(&format!(
            "ADDENDUM: VERSION {}\n{}\nSigned off by {} on {}.\n\n",
            a.version.unwrap_or_default(),
            a.body.trim(),
            a.signed_off_by.as_deref().unwrap_or("unknown"),
            a.signed_off_at.map(local_time::local_day).unwrap_or_default()
        ));
    }
    out
}
