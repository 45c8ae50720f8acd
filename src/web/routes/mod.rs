//! The route table: every route is registered with the guard that lets a role through and
//! the kind of record it works with, so no route can be added without saying who may use it.
//!
//! The guard is enforced here, around the route, before the handler runs: a signed-out user
//! is sent to sign in, a refused role gets the 403 page and a `denied` row in the audit trail.
//! Which *record* a user may open (their team's episode, their MHTR team's case) is decided
//! where the record is loaded; the guard only ever narrows who reaches that code.
//!
//! Every route under `/admin` is mounted in one scope guarded as a whole, and [`Routes`]
//! refuses an `/admin` route declared with any guard but [`Guard::Admin`].

use std::rc::Rc;

use actix_web::body::BoxBody;
use actix_web::dev::{Path, ResourceDef, ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::{Next, from_fn};
use actix_web::web::{self, Data, ServiceConfig};
use actix_web::{FromRequest, Handler, HttpMessage, Responder, guard};

use crate::audit::Event;
use crate::auth::CurrentUser;
use crate::auth::current::SessionEnded;
use crate::web::error::AppError;
use crate::web::htmx::Htmx;
use crate::web::state::AppState;

/// Every route whose path starts with this is mounted in one scope guarded by
/// [`Guard::Admin`].
pub const ADMIN_SCOPE: &str = "/admin";

mod policy;

pub use policy::{Guard, Record};

/// One row of the route table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Declared {
    pub method: Method,
    pub path: &'static str,
    pub guard: Guard,
    pub record: Record,
}

impl Declared {
    pub fn in_admin_scope(&self) -> bool {
        in_admin_scope(self.path)
    }
}

fn in_admin_scope(path: &str) -> bool {
    path.strip_prefix(ADMIN_SCOPE)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// Mounts one route at a path, wrapped in the guard given (`None`: the scope guards it).
type Register = Box<dyn FnOnce(&mut ServiceConfig, String, Option<(Guard, Record)>)>;

/// Collects the routes with their declared access; [`Routes::install`] mounts them.
#[derive(Default)]
pub struct Routes {
    entries: Vec<(Declared, Register)>,
}

impl Routes {
    pub fn new() -> Routes {
        Routes::default()
    }

    pub fn get<F, Args>(&mut self, path: &'static str, guard: Guard, record: Record, handler: F) -> &mut Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.add(Method::GET, path, guard, record, handler)
    }

    pub fn post<F, Args>(&mut self, path: &'static str, guard: Guard, record: Record, handler: F) -> &mut Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.add(Method::POST, path, guard, record, handler)
    }

    /// Panics on an `/admin` route declared with a guard other than [`Guard::Admin`], so
    /// the mistake stops the server starting (and the route table's test) rather than
    /// shipping.
    fn add<F, Args>(
        &mut self,
        method: Method,
        path: &'static str,
        guard: Guard,
        record: Record,
        handler: F,
    ) -> &mut Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        assert!(
            !in_admin_scope(path) || guard == Guard::Admin,
            "{method} {path} is in the admin scope and must be declared Guard::Admin"
        );
        let declared = Declared {
            method: method.clone(),
            path,
            guard,
            record,
        };
        let register: Register = Box::new(move |cfg, at, enforce| {
            let resource = web::resource(at)
                .guard(guard::Method(method.clone()))
                .route(web::method(method).to(handler));
            match enforce {
                Some((guard, record)) => {
                    cfg.service(resource.wrap(from_fn(move |req, next| guarded(guard, record, req, next))))
                }
                None => cfg.service(resource),
            };
        });
        self.entries.push((declared, register));
        self
    }

    /// The table, without mounting anything.
    pub fn declared(&self) -> Vec<Declared> {
        self.entries.iter().map(|(d, _)| d.clone()).collect()
    }

    /// Mounts every route in the order declared: each outside `/admin` wrapped in its own
    /// guard, and those under `/admin` in one scope wrapped in the administrator guard.
    pub fn install(self, cfg: &mut ServiceConfig) {
        let (admin, rest): (Vec<_>, Vec<_>) = self.entries.into_iter().partition(|(d, _)| d.in_admin_scope());
        for (d, register) in rest {
            let enforce = (d.guard != Guard::Public).then_some((d.guard, d.record));
            register(cfg, d.path.to_string(), enforce);
        }
        let table: Rc<Vec<Declared>> = Rc::new(admin.iter().map(|(d, _)| d.clone()).collect());
        let scope = web::scope(ADMIN_SCOPE)
            .wrap(from_fn(move |req, next| admin_guarded(table.clone(), req, next)))
            .configure(|cfg| {
                for (d, register) in admin {
                    register(cfg, d.path[ADMIN_SCOPE.len()..].to_string(), None);
                }
            });
        cfg.service(scope);
    }
}

/// Runs the route's handler if its guard lets the user through.
async fn guarded(
    guard: Guard,
    record: Record,
    req: ServiceRequest,
    next: Next<BoxBody>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let refused = check(guard, &req, |req| {
        (record, req.match_info().get("id").map(str::to_string))
    })
    .await;
    match refused {
        Ok(()) => next.call(req).await,
        Err(e) => Ok(req.error_response(e)),
    }
}

/// The `/admin` scope's guard: administrators only, whichever route (or none) matches.
async fn admin_guarded(
    table: Rc<Vec<Declared>>,
    req: ServiceRequest,
    next: Next<BoxBody>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let refused = check(Guard::Admin, &req, |req| admin_target(&table, req)).await;
    match refused {
        Ok(()) => next.call(req).await,
        Err(e) => Ok(req.error_response(e)),
    }
}

/// The record kind and id of the `/admin` route a request is for, for the audit trail.
fn admin_target(table: &[Declared], req: &ServiceRequest) -> (Record, Option<String>) {
    for d in table.iter().filter(|d| d.method == req.method()) {
        let mut path = Path::new(req.path().to_string());
        if ResourceDef::new(d.path).capture_match_info(&mut path) {
            return (d.record, path.get("id").map(str::to_string));
        }
    }
    (Record::None, None)
}

/// Ok, a sign-in redirect for no user, or a refusal audited against the record that
/// `target` names (only worked out for a refusal).
async fn check(
    guard: Guard,
    req: &ServiceRequest,
    target: impl FnOnce(&ServiceRequest) -> (Record, Option<String>),
) -> Result<(), AppError> {
    if guard == Guard::Public {
        return Ok(());
    }
    let Some(user) = req.extensions().get::<CurrentUser>().cloned() else {
        return Err(AppError::SignIn {
            htmx: Htmx::of(req.request()).0,
            ended: req.extensions().get::<SessionEnded>().map(|e| e.0),
        });
    };
    if guard.allows(&user) {
        return Ok(());
    }
    let state = req
        .app_data::<Data<AppState>>()
        .cloned()
        .ok_or(AppError::Internal("application state missing".into()))?;
    let (action, detail) = guard.refusal(req.method());
    let detail = detail.map_or_else(
        || format!("{} guard: {} {}", guard.code(), req.method(), req.path()),
        str::to_string,
    );
    let (record, id) = target(req);
    let event = match record.code() {
        Some(kind) => Event::denied(action).record(kind, id.as_deref().unwrap_or("-")),
        None => Event::denied(action),
    };
    state
        .journal
        .record(user.now, &user.actor(), event.detail(detail))
        .await?;
    Err(AppError::Forbidden)
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn nothing() -> &'static str {
        ""
    }

    #[test]
    #[should_panic(expected = "must be declared Guard::Admin")]
    fn an_admin_route_without_the_admin_guard_is_refused() {
        Routes::new().get("/admin/anything", Guard::Clinical, Record::None, nothing);
    }

    #[test]
    fn the_table_lists_routes_in_the_order_declared() {
        let mut r = Routes::new();
        r.get("/a/{id}", Guard::Clinical, Record::Episode, nothing).post(
            "/admin/b",
            Guard::Admin,
            Record::User,
            nothing,
        );
        let declared = r.declared();
        assert_eq!(declared.len(), 2);
        assert_eq!((&declared[0].method, declared[0].path), (&Method::GET, "/a/{id}"));
        assert!(declared[1].in_admin_scope() && !declared[0].in_admin_scope());
        assert!(!in_admin_scope("/administrators") && in_admin_scope("/admin"));
    }
}
