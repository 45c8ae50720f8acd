//! The request context: the signed-in user, the request's clock, database access for reading
//! and for writing with an audit record, records reached through the access model, and page
//! rendering — so a handler is only the lines that are its own.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::web::Data;
use actix_web::{FromRequest, HttpRequest, HttpResponse};
use maud::Markup;

use super::error::AppError;
use super::htmx::Htmx;
use crate::access::{self, Grant, Intent, Refusal, Subject};
use crate::audit::{self, Actor, Event};
use crate::auth::CurrentUser;
use crate::clock::Millis;
use crate::db::{DbConnection, read_tx, write_tx};
use crate::views::form::Errors;
use crate::views::{Page, layout};
use crate::web::state::AppState;

pub struct Ctx {
    pub state: Data<AppState>,
    pub user: CurrentUser,
    pub htmx: bool,
}

impl FromRequest for Ctx {
    type Error = AppError;
    type Future = Ready<Result<Ctx, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let user = match CurrentUser::from_request(req, payload).into_inner() {
            Ok(user) => user,
            Err(e) => return ready(Err(e)),
        };
        let state = req.app_data::<Data<AppState>>().cloned();
        ready(
            state
                .map(|state| Ctx {
                    state,
                    user,
                    htmx: Htmx::of(req).0,
                })
                .ok_or_else(|| AppError::Internal("application state missing".into())),
        )
    }
}

/// A write transaction with the request's time and actor, for recording the change's audit
/// row in the same transaction as the change.
pub struct Tx<'c> {
    pub conn: &'c mut DbConnection,
    pub now: Millis,
    pub actor: &'c Actor,
}

impl Tx<'_> {
    pub fn audit(&mut self, event: Event<'_>) -> Result<(), AppError> {
        Ok(audit::record(self.conn, self.now, self.actor, event)?)
    }
}

impl Ctx {
    /// The server's time when the request was resolved: one clock for the whole request.
    pub fn now(&self) -> Millis {
        self.user.now
    }

    pub fn actor(&self) -> Actor {
        self.user.actor()
    }

    /// Runs read-only database work off the async workers, as one read transaction.
    pub async fn read<T, F>(&self, work: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
    {
        self.state.db(|conn| read_tx(conn, work)).await
    }

    /// Runs `work` in one write transaction; its audit rows commit or roll back with it.
    pub async fn write<T, F>(&self, work: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Tx<'_>) -> Result<T, AppError> + Send + 'static,
    {
        let (now, actor) = (self.now(), self.actor());
        self.state
            .db(move |conn| {
                write_tx(conn, |conn| {
                    let mut tx = Tx {
                        conn,
                        now,
                        actor: &actor,
                    };
                    work(&mut tx)
                })
            })
            .await
    }

    /// Records an audit row that accompanies no change (a view, a search, a refusal); it is
    /// committed, shared with concurrent requests' rows, before this returns. A row that
    /// records a change belongs in the change's transaction instead: [`Tx::audit`].
    pub async fn audit(&self, event: Event<'_>) -> Result<(), AppError> {
        journal(&self.state, self.now(), &self.actor(), event).await
    }

    /// A role guard: refuses, and audits the refusal against `what`, unless `allowed`.
    pub async fn require(&self, allowed: bool, what: &'static str) -> Result<(), AppError> {
        if allowed {
            return Ok(());
        }
        self.audit(Event::denied(audit::VIEW).record(what, "-")).await?;
        Err(AppError::Forbidden)
    }

    /// Reaches a record through the access model; see [`reach`].
    pub async fn reach<T, F>(&self, subject: Subject, intent: Intent, load: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection, &Grant) -> Result<T, AppError> + Send + 'static,
    {
        reach(&self.state, &self.user, subject, intent, load).await
    }

    /// A page for this user, with the demo and break-glass banners as they apply.
    pub fn page<'a>(&'a self, title: &'a str) -> Page<'a> {
        Page::signed_in(title, &self.user, self.state.demo)
    }

    pub fn render(&self, status: StatusCode, page: &Page<'_>, body: Markup) -> HttpResponse {
        super::html(status, layout::render(page, body))
    }

    /// A form's page: 200, or 422 with the error summary's title prefix when `errors` has any.
    pub fn form_page(&self, title: &str, errors: &Errors, body: Markup) -> HttpResponse {
        let page = self.page(title).with_errors(!errors.is_empty());
        self.render(super::form_status(errors), &page, body)
    }
}

/// Asks the access model whether the user may act on `subject`; refuses (audited, with the
/// person named on the audit row) or runs `load` and, for a read, audits the view with its
/// basis. A break-glass basis is noted on the user so the page shows its banner.
pub async fn reach<T, F>(
    state: &AppState,
    user: &CurrentUser,
    subject: Subject,
    intent: Intent,
    load: F,
) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConnection, &Grant) -> Result<T, AppError> + Send + 'static,
{
    let (viewer, actor) = (user.viewer(), user.actor());
    let now = viewer.now;
    let reached = state
        .db(move |conn| {
            let decide_and_load = |conn: &mut DbConnection| match access::decide(conn, &viewer, &subject, intent)? {
                Ok(grant) => Ok(Ok((load(conn, &grant)?, grant, subject))),
                Err(Refusal::NotFound) => Err(AppError::NotFound),
                Err(refusal) => Ok(Err((refusal, subject))),
            };
            match intent {
                Intent::Read(_) => read_tx(conn, decide_and_load),
                Intent::Write(_) => decide_and_load(conn),
            }
        })
        .await?;
    let (value, grant, subject) = match reached {
        Ok(reached) => reached,
        Err((refusal, subject)) => {
            let action = match intent {
                Intent::Read(_) => audit::VIEW,
                Intent::Write(action) => action,
            };
            let mut event = Event::denied(action)
                .record(subject.record_type(), subject.id())
                .detail(refusal_detail(&refusal));
            if let Some(person) = refusal.person_id() {
                event = event.person(person);
            }
            journal(state, now, &actor, event).await?;
            return Err(refused(refusal));
        }
    };
    if let Intent::Read(what) = intent {
        let event = Event::allowed(audit::VIEW)
            .record(subject.record_type(), subject.id())
            .detail(what)
            .person(&grant.person_id)
            .basis(grant.basis.code());
        journal(state, now, &actor, event).await?;
    }
    user.access_notice.note(&grant.basis);
    Ok(value)
}

/// Records an audit row that accompanies no change, through the group-committing journal.
async fn journal(state: &AppState, at: Millis, actor: &Actor, event: Event<'_>) -> Result<(), AppError> {
    Ok(state.journal.record(at, actor, event).await?)
}

fn refusal_detail(refusal: &Refusal) -> &'static str {
    match refusal {
        Refusal::Role => "role does not reach identifiable records",
        Refusal::NoRelationship { .. } => "no legitimate relationship",
        Refusal::ReadOnly { .. } => "break-glass access is read-only",
        Refusal::NotFound => "not found",
    }
}

fn refused(refusal: Refusal) -> AppError {
    match refusal {
        Refusal::NoRelationship { person_id } => AppError::NoRelationship {
            person_id: person_id.into(),
        },
        Refusal::ReadOnly { .. } => AppError::ReadOnly,
        Refusal::Role | Refusal::NotFound => AppError::Forbidden,
    }
}
