//! Markup of the live list. The list fragment is what htmx polls and swaps.

use maud::{Markup, html};

use super::{Filters, Listed, Row};
use crate::clock::Millis;
use crate::domain::episode::EpisodeStatus;
use crate::domain::local_time;
use crate::domain::local_time::duration;
use crate::domain::person::age_on;
use crate::episodes::page::flags;
use crate::records::episode::status_tag;
use crate::sites::Site;
use crate::views::components::{self, Tone};
use crate::views::form::Errors;

pub const POLL_SECONDS: u32 = 20;

fn waiting(row: &Row, site: &Site, now: Millis) -> Markup {
    let e = &row.episode;
    let until = e.screened_at.or(e.closed_at).unwrap_or(now);
    let waited = until - e.alert_at;
    let over = e.screened_at.is_none() && e.closed_at.is_none() && waited > i64::from(site.target_minutes) * 60_000;
    html! {
        "Alert " (local_time::hhmm(e.alert_at)) br;
        @if e.screened_at.is_some() { "Screened after " (duration(waited)) }
        @else if e.closed_at.is_some() { "Closed before screening" }
        @else {
            "Waiting " (duration(waited))
            @if over { br; (components::tag("Over target", Tone::Bad)) }
            @else { br; span.app-hint { "Target " (site.target_minutes) " min" } }
        }
    }
}

/// Which list is shown: one site's, or every site of the practitioner's shift at once.
pub struct Scope<'a> {
    pub sites: &'a [Site],
    /// The list's address, without its filters.
    pub path: String,
    /// What the table's caption calls the place.
    pub name: String,
}

impl<'a> Scope<'a> {
    pub fn site(site: &'a Site) -> Scope<'a> {
        Scope {
            sites: std::slice::from_ref(site),
            path: format!("/sites/{}/list", site.id),
            name: site.name.clone(),
        }
    }

    pub fn shift(sites: &'a [Site]) -> Scope<'a> {
        Scope {
            sites,
            path: SHIFT_LIST.to_string(),
            name: "your shift's sites".to_string(),
        }
    }

    fn many(&self) -> bool {
        self.sites.len() > 1
    }

    fn url(&self, filters: &Filters) -> String {
        format!("{}?{}", self.path, filters.query_string())
    }
}

/// Every site of the practitioner's shift on one list.
pub const SHIFT_LIST: &str = "/shift/list";

fn row_cells(row: &Row, scope: &Scope<'_>, now: Millis) -> Vec<Markup> {
    let site = &scope.sites[row.site];
    let e = &row.episode;
    let age = age_on(row.person.dob(), local_time::local_date(e.alert_at));
    vec![
        html! {
            a href={ "/episodes/" (e.id) } { (row.person.list_name()) }
            @if let Some(note) = &row.handover { br; span.app-hint { "Handover: " (note) } }
        },
        html! { (age) @if e.youth { " " (components::tag("Under 18", Tone::Warning)) } },
        html! { @if scope.many() { (site.name) br; } (e.location.as_deref().unwrap_or("–")) },
        waiting(row, site, now),
        status_tag(e.status()),
        html! {
            @match &row.allocated {
                Some(name) => {
                    (name)
                    @if row.allocated_off_duty { br; (components::tag("Not on duty", Tone::Warning)) }
                },
                None => {
                    "Unallocated"
                    @if e.status().is_open() {
                        // Submits the list's one allocation form, to this episode.
                        button.app-button.app-button--small type="submit" form=(ALLOCATE_FORM) formaction={ "/episodes/" (e.id) "/actions" } {
                            "Allocate to me" span.app-visually-hidden { ": " (row.person.list_name()) }
                        }
                    }
                }
            }
        },
        html! {
            @if row.earlier_contacts > 0 { "Known – " (row.earlier_contacts) " earlier contact" @if row.earlier_contacts > 1 { "s" } }
            @else { "New" }
        },
        html! {
            (crate::records::alerts::tags(&row.alerts, local_time::local_date(now)))
            (flags(e)) @if row.referral_overdue { (components::tag("Referral overdue", Tone::Bad)) }
        },
    ]
}

const HEADINGS: [&str; 8] = [
    "Name",
    "Age",
    "Location",
    "Waiting",
    "Status",
    "Allocated",
    "Known to service",
    "Alerts and flags",
];

/// The id of the list's one "Allocate to me" form: each row's button names it and its own
/// episode, so the CSRF token and fields are sent once per list rather than once per row.
const ALLOCATE_FORM: &str = "allocate";

/// The part that polling refreshes. It carries its own polling attributes so they survive
/// the swap, and marks its requests as background so they do not extend the session.
pub fn list_fragment(scope: &Scope<'_>, filters: &Filters, listed: &Listed, now: Millis) -> Markup {
    let url = scope.url(filters);
    let closed_url = scope.url(&Filters {
        status: Some(EpisodeStatus::Closed),
        ..filters.clone()
    });
    let rows: Vec<Vec<Markup>> = listed.rows.iter().map(|r| row_cells(r, scope, now)).collect();
    let (caption, none) = if filters.showing_closed() {
        ("closed today at", "No one has been closed here today.")
    } else {
        ("open at", "No one is waiting or in progress.")
    };
    html! {
        div #live-list data-hx-get=(url) data-hx-trigger={ "every " (POLL_SECONDS) "s" } data-hx-swap="outerHTML"
            data-hx-headers=r#"{"X-Liaison-Background":"1"}"# data-poll="true" {
            p.app-hint { "Updated " (local_time::hhmm(now)) ". " a href=(url) { "Refresh" } }
            // Its CSRF fields are outside the list ([`allocation_fields`]): the list is the
            // same for everyone at the site and kept for them all.
            form id=(ALLOCATE_FORM) method="post" {
                input type="hidden" name="action" value="allocate";
                input type="hidden" name="back" value=(if scope.path == SHIFT_LIST { "shift" } else { "list" });
                input type="hidden" name="filters" value=(filters.query_string());
                // The rows offering it are unallocated: anyone holding one since asks first.
                input type="hidden" name="from" value="";
            }
            @if rows.is_empty() { p { (none) } }
            @else {
                p.app-hint { (if filters.showing_closed() { "Latest closed first." } else { super::ORDER_EXPLAINED }) }
                (components::table(&format!("{} {caption} {}", rows.len(), scope.name), &HEADINGS, &rows))
            }
            @if !filters.showing_closed() && listed.closed_today > 0 {
                p { a href=(closed_url) { (listed.closed_today) " closed today" } }
            }
        }
    }
}

/// The allocation form's CSRF fields, on the page outside the list so that the list's polls
/// replace the form but keep them.
pub fn allocation_fields(csrf: &str) -> Markup {
    components::csrf_field_for(csrf, ALLOCATE_FORM)
}

pub fn filter_form(scope: &Scope<'_>, filters: &Filters) -> Markup {
    let none = Errors::default();
    let statuses: Vec<(String, String)> = std::iter::once((String::new(), "Any status".to_string()))
        .chain(
            EpisodeStatus::ALL
                .iter()
                // The list holds only today's closures, not the site's history.
                .map(|s| {
                    let label = if *s == EpisodeStatus::Closed {
                        "Closed today"
                    } else {
                        s.label()
                    };
                    (s.code().to_string(), label.to_string())
                }),
        )
        .collect();
    let who = [
        ("", "Everyone"),
        ("mine", "Allocated to me"),
        ("unallocated", "Unallocated"),
    ]
    .map(|(a, b)| (a.to_string(), b.to_string()));
    let youth = [("", "All ages"), ("yes", "Under 18 only")].map(|(a, b)| (a.to_string(), b.to_string()));
    let action = &scope.path;
    html! {
        form.app-filter method="get" action=(action) data-hx-get=(action) data-hx-target="#live-list" data-hx-swap="outerHTML" data-hx-push-url="true" data-hx-trigger="change, submit" {
            (components::select("status", "Status", &statuses, filters.status.map_or("", EpisodeStatus::code), &none))
            (components::select("who", "Allocated", &who, &filters.who, &none))
            (components::select("youth", "Age", &youth, &filters.youth, &none))
            button.app-button.app-button--secondary type="submit" { "Filter" }
        }
    }
}

pub fn on_duty(people: &[(String, String, Millis)]) -> Markup {
    html! {
        aside.app-panel aria-labelledby="on-duty-title" {
            h2 #on-duty-title .app-heading-s { "On duty now" }
            @if people.is_empty() { p { "No one is signed on at this site." } }
            ul.app-list {
                @for (name, phone, since) in people {
                    li { (name) " – " a href={ "tel:" (phone.replace(' ', "")) } { (phone) } span.app-hint { " since " (local_time::hhmm(*since)) } }
                }
            }
        }
    }
}
