//! Builds the application: state, middleware and the route table. `main` and the tests
//! both start the server through `start`.

use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::{App, HttpServer, web};

use crate::clock::Clock;
use crate::config::Config;
use crate::email::hooks::Hooks;
use crate::email::mailer::Mailer;
use crate::email::worker::{self, Signal, Worker};
use crate::views::nav::NavItem;
use crate::web::routes::{Declared, Guard, Record, Routes};
use crate::web::state::AppState;
use crate::{admin, audit, board, db, episodes, ops, partners, people, referrals, settings, shifts, sites};

/// A server bound to its port and ready to be awaited (or spawned by a test).
pub struct Running {
    pub server: Server,
    pub port: u16,
    pub state: AppState,
}

/// Opens the database, applies migrations and binds the listener.
pub fn start(config: Config, clock: Arc<dyn Clock>) -> Result<Running, String> {
    config.validate().map_err(|e| e.to_string())?;
    let target = config.database_target().map_err(|e| e.to_string())?;
    let pool = db::pool(&target, config.pool_size)?;
    let mut conn = pool
        .get()
        .map_err(|e| format!("cannot connect to the {} database: {e}", target.backend_name()))?;
    let (applied, reach) = db::privileges::migrate_where_allowed(&mut conn)?;
    if applied > 0 {
        tracing::info!(applied, "database migrations applied");
    }
    db::refresh_statistics(&mut conn).map_err(|e| format!("cannot analyse the database: {e}"))?;
    let demo = settings::is_demo(&mut conn).map_err(|e| format!("cannot read settings: {e}"))?;
    check_audit_reach(&target, reach, config.allow_database_owner || demo)?;
    if config.allow_privileged_without_second_factor && !demo {
        tracing::warn!(
            "allow_privileged_without_second_factor is on: administrators and IG leads may sign in without a second factor"
        );
    }
    drop(conn);
    let listener = TcpListener::bind(config.listen_addr().map_err(|e| e.to_string())?)
        .map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();
    let mailer = Mailer::from_config(&config)?;
    let config = Arc::new(config);
    let signal = Arc::new(Signal::default());
    let hooks = outbox_hooks(&config);
    if config.run_outbox_worker {
        Worker {
            pool: pool.clone(),
            clock: clock.clone(),
            mailer,
            hooks: hooks.clone(),
        }
        .spawn(signal.clone());
    }
    let journal = audit::journal::Journal::start(&target)?;
    let state = AppState {
        journal,
        pool,
        config,
        clock,
        demo,
        csp_reports: Arc::new(AtomicU64::new(0)),
        worker_guard: Arc::new(worker::Guard(signal.clone())),
        outbox_hooks: hooks,
        nav: Arc::new(navigation()),
        outbox: signal,
        long_reads: Arc::new(tokio::sync::Semaphore::new(crate::web::state::LONG_READS)),
        kept: Arc::default(),
    };
    let data = web::Data::new(state.clone());
    let workers = workers();
    let blocking_threads = (state.config.pool_size as usize).div_ceil(workers).max(1);
    let server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .configure(crate::web::configure)
            .wrap(from_fn(crate::web::once::once))
            .wrap(from_fn(crate::web::input::refuse_control_characters))
            .wrap(from_fn(crate::web::csrf::verify))
            .wrap(from_fn(crate::web::session::load))
            .wrap(from_fn(crate::web::headers::security_headers))
            .wrap(from_fn(crate::web::gzip::compress))
            .wrap(from_fn(crate::web::head::answer_as_get))
            .configure(routes)
    })
    .workers(workers)
    // Database work runs on blocking threads; more of them than pooled connections would only
    // wait for one, each with a malloc arena of its own.
    .worker_max_blocking_threads(blocking_threads)
    // Each response leaves as soon as it is written: otherwise a compressed body sent after
    // its headers waits on Nagle's algorithm and the client's delayed ACK (~40 ms).
    .tcp_nodelay(true)
    .shutdown_timeout(10)
    .listen(listener)
    .map_err(|e| e.to_string())?
    .run();
    Ok(Running { server, port, state })
}

/// On PostgreSQL the server's role must not be able to alter the audit trail (decision 0017):
/// refused unless the deployment allows it (development, demonstrations), then warned loudly.
/// SQLite has no roles; its file's permissions are the operator's to keep.
fn check_audit_reach(target: &db::Target, reach: db::privileges::AuditReach, allowed: bool) -> Result<(), String> {
    if !matches!(target, db::Target::Postgres(_)) || !reach.can_alter() {
        return Ok(());
    }
    let problem = format!(
        "the server's database role {}, so it could alter the audit trail; run `liaison migrate \
         --app-role ROLE` as the owner and connect the server as ROLE (README, PostgreSQL)",
        reach.describe()
    );
    if !allowed {
        return Err(format!("{problem}, or set allow_database_owner = true for development"));
    }
    tracing::warn!("{problem} (allowed by allow_database_owner or demo mode)");
    eprintln!("WARNING: {problem}.");
    Ok(())
}

/// What the features register with the outbox: referrals follow their emails' delivery, and
/// unanswered referrals are chased on each pass.
pub fn outbox_hooks(config: &Arc<Config>) -> Hooks {
    Hooks {
        listeners: vec![Arc::new(referrals::delivery::ReferralStatus)],
        tasks: vec![
            Arc::new(referrals::chase::ChaseTask { config: config.clone() }),
            Arc::new(crate::retention::RecomputeTask { config: config.clone() }),
            Arc::new(crate::returns::facts::FactsTask),
            Arc::new(PlannerStatistics::default()),
        ],
    }
}

/// Gathers the query planner's statistics again each hour, as tables grow
/// ([`db::refresh_statistics`]).
#[derive(Default)]
struct PlannerStatistics {
    gathered_at: std::sync::atomic::AtomicI64,
}

impl crate::email::hooks::PeriodicTask for PlannerStatistics {
    fn name(&self) -> &'static str {
        "refresh the query planner's statistics"
    }

    fn run(&self, conn: &mut db::DbConnection, now: crate::clock::Millis) -> diesel::QueryResult<usize> {
        use std::sync::atomic::Ordering;
        const EVERY_MS: crate::clock::Millis = 3_600_000;
        let gathered_at = self.gathered_at.load(Ordering::Relaxed);
        if gathered_at == 0 {
            // `start` has just gathered them.
            self.gathered_at.store(now, Ordering::Relaxed);
            return Ok(0);
        }
        if now - gathered_at < EVERY_MS {
            return Ok(0);
        }
        db::refresh_statistics(conn)?;
        self.gathered_at.store(now, Ordering::Relaxed);
        Ok(1)
    }
}

/// The main navigation, in order: each feature's items.
fn navigation() -> Vec<NavItem> {
    [
        shifts::NAV,
        people::NAV,
        referrals::NAV,
        crate::mhtr::NAV,
        crate::governance::NAV,
        crate::dashboards::NAV,
        crate::returns::NAV,
        crate::retention::NAV,
        admin::NAV,
    ]
    .concat()
}

fn workers() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(1, 8)
}

/// Mounts the route table, then the not-found page for everything else.
fn routes(cfg: &mut web::ServiceConfig) {
    let mut table = Routes::new();
    route_table(&mut table);
    table.install(cfg);
    cfg.default_service(web::to(ops::not_found));
}

/// Every route with its declared access, built without a server: for the tests and docs.
pub fn declared_routes() -> Vec<Declared> {
    let mut table = Routes::new();
    route_table(&mut table);
    table.declared()
}

/// The whole route table. Each route names the guard that lets a role through and the kind
/// of record it works with; see `web::routes` and docs/adding-a-route.md.
#[rustfmt::skip]
fn route_table(r: &mut Routes) {
    use Guard::{Admin, Clinical, Public, SignedIn};
    use admin::{teams, users};
    use crate::signin as sign;
    r.get("/healthz", Public, Record::None, ops::healthz)
        .get("/readyz", Public, Record::None, ops::readyz)
        .post("/csp-report", Public, Record::None, ops::csp_report)
        .get("/assets/{hash}/{name}", Public, Record::None, crate::web::assets::serve)
        .get("/", SignedIn, Record::None, sign::home)
        .get("/sign-in", Public, Record::None, sign::sign_in_form)
        .post("/sign-in", Public, Record::None, sign::sign_in)
        .post("/sign-out", SignedIn, Record::None, sign::sign_out)
        .post("/session/extend", SignedIn, Record::None, sign::extend)
        .get("/account/sessions", SignedIn, Record::None, sign::sessions::show)
        .post("/account/sessions", SignedIn, Record::None, sign::sessions::end)
        .get("/sign-in/code", Public, Record::None, sign::second_step::code_form)
        .post("/sign-in/code", Public, Record::None, sign::second_step::submit_code)
        .get("/sign-in/enrol", Public, Record::None, sign::second_step::enrol_form)
        .post("/sign-in/enrol", Public, Record::None, sign::second_step::enrol)
        .get("/account/confirm", SignedIn, Record::None, sign::confirm::show)
        .post("/account/confirm", SignedIn, Record::None, sign::confirm::confirm)
        .get("/account/second-factor", SignedIn, Record::None, sign::factor::show)
        .post("/account/second-factor", SignedIn, Record::None, sign::factor::enrol)
        .get("/account/second-factor/new", SignedIn, Record::None, sign::factor::new_form)
        .post("/account/second-factor/remove", SignedIn, Record::None, sign::factor::remove)
        .post("/account/second-factor/recovery", SignedIn, Record::None, sign::factor::new_recovery)
        .get("/admin/users", Admin, Record::User, users::list)
        .post("/admin/users", Admin, Record::User, users::create)
        .get("/admin/users/new", Admin, Record::User, users::new_form)
        .get("/admin/users/{id}", Admin, Record::User, users::show)
        .post("/admin/users/{id}", Admin, Record::User, users::update)
        .get("/admin/users/{id}/disable", Admin, Record::User, users::confirm_disable)
        .post("/admin/users/{id}/disable", Admin, Record::User, users::disable)
        .post("/admin/users/{id}/enable", Admin, Record::User, users::enable)
        .get("/admin/users/{id}/password", Admin, Record::User, users::password_form)
        .post("/admin/users/{id}/password", Admin, Record::User, users::set_password)
        .get("/admin/users/{id}/second-factor", Admin, Record::User, users::confirm_reset_factor)
        .post("/admin/users/{id}/second-factor", Admin, Record::User, users::reset_factor)
        .get("/admin/teams", Admin, Record::Team, teams::list)
        .post("/admin/teams", Admin, Record::Team, teams::create)
        .get("/admin/teams/{id}/kind", Admin, Record::Team, teams::kind_form)
        .post("/admin/teams/{id}/kind", Admin, Record::Team, teams::set_kind)
        .get("/admin/audit", Admin, Record::Audit, admin::audit::page)
        .get("/admin/alert-kinds", Admin, Record::AlertKind, admin::alert_kinds::list)
        .post("/admin/alert-kinds", Admin, Record::AlertKind, admin::alert_kinds::create)
        .post("/admin/alert-kinds/{id}/active", Admin, Record::AlertKind, admin::alert_kinds::set_active)
        .get("/admin/reports", Admin, Record::None, admin::reports::show)
        .post("/admin/reports", Admin, Record::None, admin::reports::save)
        .get("/admin/sites", Admin, Record::Site, sites::handlers::list)
        .post("/admin/sites", Admin, Record::Site, sites::handlers::create)
        .get("/admin/sites/new", Admin, Record::Site, sites::handlers::new_form)
        .get("/admin/sites/{id}", Admin, Record::Site, sites::handlers::edit_form)
        .post("/admin/sites/{id}", Admin, Record::Site, sites::handlers::update)
        .get("/admin/outbox", Admin, Record::Outbox, admin::outbox::page)
        .post("/admin/outbox/{id}/retry", Admin, Record::Outbox, admin::outbox::retry)
        .get("/shift", Clinical, Record::Shift, shifts::handlers::show)
        .post("/shift", Clinical, Record::Shift, shifts::handlers::start)
        .get("/shift/end", Clinical, Record::Shift, shifts::handlers::handover_form)
        .post("/shift/end", Clinical, Record::Shift, shifts::handlers::end)
        .get("/people/search", Clinical, Record::PersonSearch, people::handlers::search_page)
        .get("/people/new", Clinical, Record::Person, people::handlers::new_form)
        .post("/people/new", Clinical, Record::Person, people::handlers::create)
        .get("/people/{id}", Clinical, Record::Person, people::page::show)
        .get("/people/{id}/edit", Clinical, Record::Person, people::edit::show)
        .post("/people/{id}/edit", Clinical, Record::Person, people::edit::save)
        .get("/sites/{id}/list", Clinical, Record::SiteList, board::handlers::list)
        .get("/shift/list", Clinical, Record::Shift, board::handlers::shift_list)
        .post("/episodes", Clinical, Record::Person, episodes::intake::create)
        .get("/episodes/new", Clinical, Record::Person, episodes::intake::new_form)
        .get("/episodes/{id}", Clinical, Record::Episode, episodes::page::show)
        .post("/episodes/{id}/actions", Clinical, Record::Episode, episodes::actions::act)
        .post("/episodes/{id}/timeline", Clinical, Record::Episode, episodes::timeline::post);
    episodes::screening::routes(r);
    episodes::assessment::routes(r);
    episodes::closure::routes(r);
    partners::routes(r);
    people::alerts::routes(r);
    people::merge::routes(r);
    crate::safeguarding::routes(r);
    crate::governance::routes(r);
    crate::retention::routes(r);
    crate::vetting::routes(r);
    crate::sharing::routes(r);
    crate::justice::routes(r);
    crate::mhtr::routes(r);
    crate::dashboards::routes(r);
    crate::returns::routes(r);
    r.get("/episodes/{id}/referrals/new", Clinical, Record::Episode, referrals::form::new)
        .post("/episodes/{id}/referrals/check", Clinical, Record::Episode, referrals::form::check)
        .post("/episodes/{id}/referrals/edit", Clinical, Record::Episode, referrals::form::edit)
        .post("/episodes/{id}/referrals", Clinical, Record::Episode, referrals::form::send)
        .get("/referrals", Clinical, Record::ReferralList, referrals::status::awaiting)
        .post("/referrals/{id}/chase", Clinical, Record::Referral, referrals::chase::now)
        .post("/referrals/{id}/send-again", Clinical, Record::Referral, referrals::retry::send_again)
        .get("/referrals/{id}/reply", Clinical, Record::Referral, referrals::reply::show)
        .post("/referrals/{id}/reply", Clinical, Record::Referral, referrals::reply::send)
        .post("/referrals/{id}/attendance", Clinical, Record::Referral, referrals::status::attendance)
        .post("/referrals/{id}/close", Clinical, Record::Referral, referrals::status::close)
        // A partner answers through the single-use link in the email, without an account.
        .get("/answer/{token}", Public, Record::None, referrals::answer::show)
        .post("/answer/{token}", Public, Record::None, referrals::answer::submit)
        .get("/shared/{token}", Public, Record::None, crate::justice::link::open);
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::declared_routes;
    use crate::web::routes::Guard;

    #[test]
    fn each_method_and_path_is_declared_once() {
        let routes = declared_routes();
        let mut seen = HashSet::new();
        for r in &routes {
            assert!(
                seen.insert((r.method.clone(), r.path)),
                "{} {} declared twice",
                r.method,
                r.path
            );
        }
        assert!(routes.len() > 100, "the whole table: {}", routes.len());
    }

    #[test]
    fn every_admin_route_is_admin_guarded() {
        let admin: Vec<_> = declared_routes().into_iter().filter(|r| r.in_admin_scope()).collect();
        assert!(admin.len() >= 20);
        for r in admin {
            assert_eq!(r.guard, Guard::Admin, "{} {}", r.method, r.path);
        }
    }

    #[test]
    fn routes_to_clinical_records_have_a_clinical_guard() {
        for r in declared_routes().into_iter().filter(|r| r.record.is_clinical()) {
            assert!(
                matches!(
                    r.guard,
                    Guard::Clinical | Guard::MhtrTeam | Guard::SignsOff | Guard::Merges
                ),
                "{} {} is {:?}",
                r.method,
                r.path,
                r.guard
            );
        }
    }

    /// A route opened to everyone is a decision: add it here deliberately.
    #[test]
    fn only_these_routes_are_public() {
        let public: Vec<String> = declared_routes()
            .into_iter()
            .filter(|r| r.guard == Guard::Public)
            .map(|r| format!("{} {}", r.method, r.path))
            .collect();
        assert_eq!(
            public,
            [
                "GET /healthz",
                "GET /readyz",
                "POST /csp-report",
                "GET /assets/{hash}/{name}",
                "GET /sign-in",
                "POST /sign-in",
                "GET /sign-in/code",
                "POST /sign-in/code",
                "GET /sign-in/enrol",
                "POST /sign-in/enrol",
                "GET /answer/{token}",
                "POST /answer/{token}",
                "GET /shared/{token}",
            ]
        );
    }
}
