use maud::{DOCTYPE, Markup, html};

use crate::auth::CurrentUser;
use crate::views::assets;

/// Everything the layout needs besides the page body.
pub struct Page<'a> {
    pub title: &'a str,
    pub user: Option<&'a CurrentUser>,
    /// The token forms and htmx requests must send back.
    pub csrf_token: &'a str,
    pub demo: bool,
    /// Set when the page shows validation errors: the title gains "Error: ".
    pub has_errors: bool,
}

const HTMX_CONFIG: &str = r#"{"selfRequestsOnly":true,"allowEval":false,"allowScriptTags":false,"includeIndicatorStyles":false,"historyCacheSize":0,"historyRestoreAsHxRequest":false,"defaultFocusScroll":true,"responseHandling":[{"code":"204","swap":false},{"code":"[23]..","swap":true},{"code":"422","swap":true},{"code":"[45]..","swap":false,"error":true}]}"#;

fn head(title: &str) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            meta name="htmx-config" content=(HTMX_CONFIG);
            title { (title) " – Liaison" }
            link rel="icon" href="/favicon.ico" sizes="32x32";
            link rel="icon" href=(assets::url("favicon.svg")) type="image/svg+xml";
            link rel="stylesheet" href=(assets::url("app.css"));
            link rel="stylesheet" media="print" href=(assets::url("print.css"));
            script src=(assets::url(assets::HTMX_FILE)) defer {}
            script src=(assets::url("app.js")) defer {}
        }
    }
}

fn header(user: Option<&CurrentUser>, csrf_token: &str) -> Markup {
    html! {
        header.app-header role="banner" {
            div.app-width {
                a.app-header__service href="/" { "Liaison" }
                @if let Some(u) = user {
                    div.app-header__account {
                        p {
                            span.app-visually-hidden { "Signed in as " }
                            strong { (u.display_name) }
                            " (" (u.role.label()) ")"
                            @if !u.teams.is_empty() { br; span { "Team: " (u.team_names()) } }
                            @if u.sees_records() {
                                br;
                                @if u.sites.is_empty() { a.app-header__link href="/shift" { "Not on shift – sign on" } }
                                @else { span { "Site: " (u.sites.iter().map(|s| s.name.as_str()).collect::<Vec<_>>().join(", ")) } }
                            }
                        }
                        form method="post" action="/sign-out" {
                            input type="hidden" name="csrf_token" value=(csrf_token);
                            button.app-link-button type="submit" { "Sign out" }
                        }
                    }
                }
            }
            @if let Some(u) = user {
                nav.app-nav aria-label="Main" {
                    ul.app-width {
                        li { a href="/" { "Home" } }
                        @for (href, label) in &u.nav {
                            li { a href=(href) { (label) } }
                        }
                    }
                }
            }
        }
    }
}

fn session_warning(user: &CurrentUser) -> Markup {
    html! {
        div #session-warning .app-session-warning role="alertdialog" aria-labelledby="session-warning-title" aria-live="assertive" hidden {
            h2 #session-warning-title { "You will be signed out soon" }
            p { "For your security you will be signed out in " span #session-warning-remaining { "2 minutes" } " without activity." }
            // Shown only by app.js, so htmx always sends it; the token travels in the header.
            button #session-extend .app-button type="button" data-hx-post="/session/extend" data-hx-swap="none" { "Stay signed in" }
        }
        span #session-info hidden data-idle-deadline=(user.idle_deadline) data-now=(user.now) data-idle-ms=(user.idle_ms) {}
    }
}

pub fn render(page: &Page<'_>, body: Markup) -> Markup {
    let title = if page.has_errors {
        format!("Error: {}", page.title)
    } else {
        page.title.to_string()
    };
    let hx_headers = format!(r#"{{"X-CSRF-Token":"{}"}}"#, page.csrf_token);
    html! {
        (DOCTYPE)
        html lang="en-GB" {
            (head(&title))
            body data-hx-headers=[page.user.map(|_| hx_headers.as_str())] {
                a.app-skip-link href="#main-content" { "Skip to main content" }
                (header(page.user, page.csrf_token))
                @if page.demo {
                    div.app-demo-banner role="region" aria-label="Demonstration" {
                        div.app-width { strong { "Demonstration system." } " Every person and record here is synthetic. Do not enter real patient data." }
                    }
                }
                @if let Some((until, reason)) = page.user.and_then(|u| u.access_notice.break_glass()) {
                    div.app-break-glass-banner role="region" aria-label="Break-glass access" {
                        div.app-width {
                            strong { "Break-glass access." }
                            " You are reading this record outside your team's relationship (" (reason) "), read-only, until "
                            (crate::domain::local_time::hhmm(until)) ". Every page you open is recorded and reviewed."
                        }
                    }
                }
                div.app-width {
                    main #main-content .app-main role="main" tabindex="-1" {
                        (body)
                    }
                }
                @if let Some(u) = page.user { (session_warning(u)) }
                footer.app-footer role="contentinfo" {
                    div.app-width { p { "Liaison – case management for Liaison and Diversion and Women's MHTR services." } }
                }
            }
        }
    }
}

/// A page rendered without the user: errors raised outside a handler's context.
fn bare(title: &str, body: Markup) -> Markup {
    let page = Page {
        title,
        user: None,
        csrf_token: "",
        demo: false,
        has_errors: false,
    };
    render(&page, body)
}

/// A page for errors raised before any user context is known.
pub fn error_page(title: &str, message: &str) -> Markup {
    bare(
        title,
        html! { h1.app-heading-l { (title) } p { (message) } p { a href="/" { "Go to the home page" } } },
    )
}

/// The refusal a clinician sees when their teams have no relationship with the person:
/// no personal data, and the way to break the glass if they must read the record now.
pub fn refusal_with_break_glass(person_id: &str) -> Markup {
    let title = "You do not have access to this record";
    bare(
        title,
        html! {
            h1.app-heading-l { (title) }
            p { "Your teams have no current relationship with this person, so their record is not open to you. The attempt has been recorded." }
            p { "If you must read it now – for example to protect someone from harm, or because they are in custody or court today – you can open it read-only with break-glass access. You will be asked for a reason, and the information governance lead reviews every use." }
            p { a.app-button.app-button--secondary href={ "/people/" (person_id) "/break-glass" } { "Break the glass" } }
            p { a href="/" { "Go to the home page" } }
        },
    )
}

impl<'a> Page<'a> {
    /// A page for a signed-in user.
    pub fn signed_in(title: &'a str, user: &'a CurrentUser, demo: bool) -> Self {
        Page {
            title,
            user: Some(user),
            csrf_token: &user.csrf_token,
            demo,
            has_errors: false,
        }
    }

    pub fn with_errors(mut self, has_errors: bool) -> Self {
        self.has_errors = has_errors;
        self
    }
}
