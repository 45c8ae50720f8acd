//! Builds the application: state, middleware and the route table. `main` and the tests
//! both start the server through `start`.

use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use actix_web::dev::Server;
use actix_web::middleware::{Compress, from_fn};
use actix_web::{App, HttpServer, web};

use crate::clock::Clock;
use crate::config::Config;
use crate::email::hooks::Hooks;
use crate::email::mailer::Mailer;
use crate::email::worker::{Guard, Signal, Worker};
use crate::state::AppState;
use crate::views::nav::NavItem;
use crate::{admin, audit, auth, board, db, episodes, ops, partners, people, referrals, settings, shifts, sites};

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
    let applied = db::run_migrations(&mut conn).map_err(|e| format!("cannot apply migrations: {e}"))?;
    if applied > 0 {
        tracing::info!(applied, "database migrations applied");
    }
    let demo = settings::is_demo(&mut conn).map_err(|e| format!("cannot read settings: {e}"))?;
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
    let state = AppState {
        pool,
        config,
        clock,
        demo,
        csp_reports: Arc::new(AtomicU64::new(0)),
        worker_guard: Arc::new(Guard(signal.clone())),
        outbox_hooks: hooks,
        nav: Arc::new(navigation()),
        outbox: signal,
    };
    let data = web::Data::new(state.clone());
    let server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .configure(crate::web::configure)
            .wrap(from_fn(crate::web::input::refuse_control_characters))
            .wrap(from_fn(crate::web::csrf::verify))
            .wrap(from_fn(auth::current::load))
            .wrap(from_fn(crate::web::headers::security_headers))
            .wrap(Compress::default())
            .wrap(from_fn(crate::web::head::answer_as_get))
            .configure(routes)
    })
    .workers(workers())
    .shutdown_timeout(10)
    .listen(listener)
    .map_err(|e| e.to_string())?
    .run();
    Ok(Running { server, port, state })
}

/// What the features register with the outbox: referrals follow their emails' delivery, and
/// unanswered referrals are chased on each pass.
pub fn outbox_hooks(config: &Arc<Config>) -> Hooks {
    Hooks {
        listeners: vec![Arc::new(referrals::delivery::ReferralStatus)],
        tasks: vec![Arc::new(referrals::chase::ChaseTask { config: config.clone() })],
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
        admin::NAV,
    ]
    .concat()
}

fn workers() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(1, 8)
}

fn routes(cfg: &mut web::ServiceConfig) {
    use admin::{teams, users};
    use auth::handlers as sign;
    cfg.route("/healthz", web::get().to(ops::healthz))
        .route("/readyz", web::get().to(ops::readyz))
        .route("/csp-report", web::post().to(ops::csp_report))
        .route("/assets/{hash}/{name}", web::get().to(crate::web::assets::serve))
        .route("/", web::get().to(sign::home))
        .route("/sign-in", web::get().to(sign::sign_in_form))
        .route("/sign-in", web::post().to(sign::sign_in))
        .route("/sign-out", web::post().to(sign::sign_out))
        .route("/session/extend", web::post().to(sign::extend))
        .route("/admin/users", web::get().to(users::list))
        .route("/admin/users", web::post().to(users::create))
        .route("/admin/users/new", web::get().to(users::new_form))
        .route("/admin/users/{id}", web::get().to(users::show))
        .route("/admin/users/{id}", web::post().to(users::update))
        .route("/admin/users/{id}/disable", web::get().to(users::confirm_disable))
        .route("/admin/users/{id}/disable", web::post().to(users::disable))
        .route("/admin/users/{id}/enable", web::post().to(users::enable))
        .route("/admin/users/{id}/password", web::get().to(users::password_form))
        .route("/admin/users/{id}/password", web::post().to(users::set_password))
        .route("/admin/teams", web::get().to(teams::list))
        .route("/admin/teams", web::post().to(teams::create))
        .route("/admin/teams/{id}/kind", web::get().to(teams::kind_form))
        .route("/admin/teams/{id}/kind", web::post().to(teams::set_kind))
        .route("/admin/audit", web::get().to(audit::handlers::page))
        .route("/admin/sites", web::get().to(sites::handlers::list))
        .route("/admin/sites", web::post().to(sites::handlers::create))
        .route("/admin/sites/new", web::get().to(sites::handlers::new_form))
        .route("/admin/sites/{id}", web::get().to(sites::handlers::edit_form))
        .route("/admin/sites/{id}", web::post().to(sites::handlers::update))
        .route("/shift", web::get().to(shifts::handlers::show))
        .route("/shift", web::post().to(shifts::handlers::start))
        .route("/shift/end", web::get().to(shifts::handlers::handover_form))
        .route("/shift/end", web::post().to(shifts::handlers::end))
        .route("/people/search", web::get().to(people::handlers::search_page))
        .route("/people/new", web::get().to(people::handlers::new_form))
        .route("/people/new", web::post().to(people::handlers::create))
        .route("/people/{id}", web::get().to(people::page::show))
        .route("/sites/{id}/list", web::get().to(board::handlers::list))
        .route("/episodes", web::post().to(episodes::intake::create))
        .route("/episodes/new", web::get().to(episodes::intake::new_form))
        .route("/episodes/{id}", web::get().to(episodes::page::show))
        .route("/episodes/{id}/actions", web::post().to(episodes::page::act))
        .route("/episodes/{id}/timeline", web::post().to(episodes::timeline::post))
        .configure(episodes::screening::routes)
        .configure(episodes::assessment::routes)
        .configure(episodes::closure::routes)
        .configure(partners::routes)
        .route("/admin/outbox", web::get().to(crate::email::admin::page))
        .route("/admin/outbox/{id}/retry", web::post().to(crate::email::admin::retry))
        .configure(crate::safeguarding::routes)
        .configure(crate::governance::routes)
        .configure(crate::mhtr::routes)
        .route("/episodes/{id}/referrals/new", web::get().to(referrals::form::new))
        .route("/episodes/{id}/referrals/check", web::post().to(referrals::form::check))
        .route("/episodes/{id}/referrals/edit", web::post().to(referrals::form::edit))
        .route("/episodes/{id}/referrals", web::post().to(referrals::form::send))
        .route("/referrals", web::get().to(referrals::status::awaiting))
        .route("/referrals/{id}/chase", web::post().to(referrals::chase::now))
        .route(
            "/referrals/{id}/attendance",
            web::post().to(referrals::status::attendance),
        )
        .route("/referrals/{id}/close", web::post().to(referrals::status::close))
        .route("/answer/{token}", web::get().to(referrals::answer::show))
        .route("/answer/{token}", web::post().to(referrals::answer::submit))
        .default_service(web::to(ops::not_found));
}
