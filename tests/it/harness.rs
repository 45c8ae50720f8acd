//! Starts the real application on port 0 with a fresh database per test and drives it over
//! HTTP with a cookie-keeping client.

use std::sync::Arc;

use diesel::pg::PgConnection;
use diesel::prelude::*;
use liaison::app;
use liaison::auth::{accounts, password};
use liaison::clock::TestClock;
use liaison::config::Config;
use liaison::db::{self, DbConnection};
use liaison::domain::Role;
use liaison::web::state::AppState;
use reqwest::{Client, Response, StatusCode};

pub const PASSWORD: &str = "a long test passphrase";

/// Which database a test runs on.
pub enum Db {
    Sqlite,
    Postgres(String),
}

impl Db {
    /// PostgreSQL from `LIAISON_TEST_POSTGRES_URL`; without it the test is skipped, except
    /// under `CI=true`, where a missing PostgreSQL fails the run.
    pub fn postgres() -> Option<Db> {
        match std::env::var("LIAISON_TEST_POSTGRES_URL") {
            Ok(url) if !url.is_empty() => Some(Db::Postgres(url)),
            _ if std::env::var("CI").as_deref() == Ok("true") => {
                panic!("CI=true but LIAISON_TEST_POSTGRES_URL is not set: PostgreSQL tests must run")
            }
            _ => {
                eprintln!("skipped: PostgreSQL test (set LIAISON_TEST_POSTGRES_URL to run it)");
                None
            }
        }
    }
}

/// A database that exists for one test and is removed after it.
pub enum TestDb {
    Sqlite(tempfile::TempDir),
    Postgres {
        admin_url: String,
        name: String,
        url: String,
    },
}

impl TestDb {
    pub fn create(db: &Db) -> TestDb {
        match db {
            Db::Sqlite => TestDb::Sqlite(tempfile::tempdir().expect("temp dir")),
            Db::Postgres(admin_url) => {
                let name = format!("liaison_test_{}", uuid::Uuid::new_v4().simple());
                let mut conn = PgConnection::establish(admin_url)
                    .unwrap_or_else(|e| panic!("PostgreSQL at LIAISON_TEST_POSTGRES_URL is unreachable: {e}"));
                diesel::sql_query(format!("CREATE DATABASE {name}"))
                    .execute(&mut conn)
                    .expect("create test database");
                let (without_query, query) = admin_url
                    .split_once('?')
                    .map_or((admin_url.as_str(), None), |(u, q)| (u, Some(q)));
                let base = without_query
                    .rsplit_once('/')
                    .map(|(b, _)| b)
                    .expect("URL with a database name");
                let url = match query {
                    Some(q) => format!("{base}/{name}?{q}"),
                    None => format!("{base}/{name}"),
                };
                TestDb::Postgres {
                    admin_url: admin_url.clone(),
                    url,
                    name,
                }
            }
        }
    }

    pub fn url(&self) -> String {
        match self {
            TestDb::Sqlite(dir) => format!("sqlite://{}", dir.path().join("test.db").display()),
            TestDb::Postgres { url, .. } => url.clone(),
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let TestDb::Postgres { admin_url, name, .. } = self
            && let Ok(mut conn) = PgConnection::establish(admin_url)
        {
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut conn);
        }
    }
}

/// Test teams named with "MHTR" are created as MHTR teams, the rest as L&D teams: the
/// application itself never reads the kind from a name.
pub fn kind_for(team_name: &str) -> liaison::domain::TeamKind {
    if team_name.to_uppercase().contains("MHTR") {
        liaison::domain::TeamKind::Mhtr
    } else {
        liaison::domain::TeamKind::LiaisonDiversion
    }
}

pub struct TestApp {
    pub base: String,
    pub client: Client,
    pub state: AppState,
    pub clock: TestClock,
    pub port: u16,
    _db: Arc<TestDb>,
}

pub fn client() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("http client")
}

impl TestApp {
    pub async fn spawn(db: Db) -> TestApp {
        Self::spawn_with(db, |_| {}).await
    }

    pub async fn spawn_with(db: Db, tweak: impl FnOnce(&mut Config)) -> TestApp {
        let test_db = TestDb::create(&db);
        let mut config = Config {
            listen: "127.0.0.1:0".into(),
            database_url: Some(test_db.url()),
            allow_http: true,
            pool_size: 4,
            // Tests that send mail run the outbox worker's passes themselves.
            run_outbox_worker: false,
            // Tests connect to PostgreSQL as its superuser; `privileges.rs` tests the split.
            allow_database_owner: true,
            // Most tests sign in with a password alone (decision 0018); the second-factor
            // tests turn both back on to test the requirement itself.
            require_second_factor: Some(false),
            allow_privileged_without_second_factor: true,
            ..Config::default()
        };
        tweak(&mut config);
        let clock = TestClock::default();
        let running = app::start(config, Arc::new(clock.clone())).expect("app starts");
        actix_web::rt::spawn(running.server);
        TestApp {
            base: format!("http://127.0.0.1:{}", running.port),
            client: client(),
            state: running.state,
            clock,
            port: running.port,
            _db: Arc::new(test_db),
        }
    }

    /// Another browser on the same server and database (a second member of staff).
    pub fn another_client(&self) -> TestApp {
        TestApp {
            base: self.base.clone(),
            client: client(),
            state: self.state.clone(),
            clock: self.clock.clone(),
            port: self.port,
            _db: self._db.clone(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn conn(&self) -> db::PooledConn {
        self.state.pool.get().expect("pooled connection")
    }

    /// Adds a user directly in the database; returns its id.
    pub fn add_user(&self, username: &str, role: Role, teams: &[&str]) -> String {
        let mut conn = self.conn();
        let team_ids: Vec<liaison::domain::ids::TeamId> = teams
            .iter()
            .map(|t| match accounts::team_by_name(&mut conn, t).unwrap() {
                Some(team) => team.id,
                None => accounts::create_team(&mut conn, 0, t, kind_for(t)).unwrap(),
            })
            .collect();
        let hash = password::hash(PASSWORD).unwrap();
        let display = format!("{username} Test");
        let new = accounts::NewUser {
            username,
            display_name: &display,
            role,
            password_hash: &hash,
            team_ids: &team_ids,
        };
        accounts::create(&mut conn, self.state.now(), &new).unwrap()
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    pub async fn page(&self, path: &str) -> (StatusCode, String) {
        let res = self.get(path).await;
        (res.status(), res.text().await.unwrap())
    }

    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> Response {
        self.client.post(self.url(path)).form(form).send().await.expect("POST")
    }

    /// Posts a form with the CSRF token found on `token_page`.
    pub async fn submit(&self, token_page: &str, path: &str, form: &[(&str, &str)]) -> Response {
        let (_, html) = self.page(token_page).await;
        let token = csrf_token(&html);
        let mut fields = vec![("csrf_token", token.as_str())];
        fields.extend_from_slice(form);
        self.post(path, &fields).await
    }

    pub async fn sign_in(&self, username: &str, password: &str) -> Response {
        self.submit(
            "/sign-in",
            "/sign-in",
            &[("username", username), ("password", password)],
        )
        .await
    }

    /// Signs in and checks it worked.
    pub async fn sign_in_ok(&self, username: &str) {
        let res = self.sign_in(username, PASSWORD).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "sign-in as {username}");
        assert_eq!(location(&res), "/");
    }

    pub fn audit_rows(&self, action: &str) -> Vec<liaison::audit::Row> {
        let filter = liaison::audit::Filter {
            action: action.into(),
            ..Default::default()
        };
        liaison::audit::search(&mut self.conn(), &filter).unwrap()
    }

    pub fn count(&self, table: &str) -> i64 {
        self.count_where(table, "1 = 1")
    }

    /// Rows of `table` matching an SQL condition written by the test.
    pub fn count_where(&self, table: &str, condition: &str) -> i64 {
        #[derive(QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let mut conn = self.conn();
        let c: &mut DbConnection = &mut conn;
        diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table} WHERE {condition}"))
            .get_result::<N>(c)
            .unwrap()
            .n
    }
}

pub fn csrf_token(html: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html
        .find(marker)
        .unwrap_or_else(|| panic!("no CSRF token on page:\n{html}"))
        + marker.len();
    html[start..].split('"').next().unwrap().to_string()
}

pub fn location(res: &Response) -> String {
    res.headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

/// Runs each named `async fn(Db)` test on SQLite and on PostgreSQL.
#[macro_export]
macro_rules! both_databases {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[actix_web::test]
                async fn sqlite() {
                    super::$name($crate::harness::Db::Sqlite).await;
                }

                #[actix_web::test]
                async fn postgres() {
                    if let Some(db) = $crate::harness::Db::postgres() {
                        super::$name(db).await;
                    }
                }
            }
        )*
    };
}
