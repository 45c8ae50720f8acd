//! The authorisation matrix: every declared route × every kind of user, on the demo data.
//!
//! What each user should get is derived from the route's declaration alone: the guard must
//! let the role through and, for a route that names a team-held record, the user's team must
//! work with that record. Then each request is checked against that: a refusal is a 403 (or
//! the sign-in redirect for nobody signed in) that shows no personal data and leaves a
//! `denied` row in the audit trail; an allowed request is never refused, never a 404 and
//! never a server error.
//!
//! `ROUTES_DEBUG=1` prints each allowed request that was answered 4xx (a form refused for its
//! empty body, a page for the record's stage), to check the samples still reach the pages.

use std::collections::{BTreeMap, BTreeSet};

use actix_web::http::Method;
use diesel::prelude::*;
use liaison::app::declared_routes;
use liaison::db::schema::{
    answer_links, audit_events, episodes, mhtr_cases, mhtr_referrals, mhtr_sessions, outbox, partner_services, people,
    person_alerts, person_merges, referrals, report_addenda, report_sections, reports, safeguarding_concerns, sites,
};
use liaison::domain::Role;
use liaison::web::routes::{Declared, Guard, Record};
use reqwest::StatusCode;

use crate::both_databases;
use crate::harness::{self, Db, TestApp, csrf_token, location};

/// Routes open to every clinician whatever their relationship with the person, which show
/// the person's details only to a team that works with them: recording a new contact (which
/// claims the relationship, marked for review) and breaking the glass.
const OPEN_WITHOUT_DETAILS: &[&str] = &["/episodes/new", "/episodes", "/people/{id}/break-glass"];

/// A second L&D team, with a practitioner of its own.
const OTHER_TEAM: &str = "Camden L&D (routes test)";

both_databases!(
    every_route_answers_each_kind_of_user_as_declared,
    the_admin_scope_is_guarded_as_a_whole,
);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    OwnPractitioner,
    OtherPractitioner,
    MhtrPractitioner,
    Psychologist,
    Senior,
    Analyst,
    Admin,
    IgLead,
    RecordsManager,
    SignedOut,
}

impl Who {
    const ALL: [Who; 10] = [
        Who::OwnPractitioner,
        Who::OtherPractitioner,
        Who::MhtrPractitioner,
        Who::Psychologist,
        Who::Senior,
        Who::Analyst,
        Who::Admin,
        Who::IgLead,
        Who::RecordsManager,
        Who::SignedOut,
    ];

    fn label(self) -> &'static str {
        match self {
            Who::OwnPractitioner => "own-ld-practitioner",
            Who::OtherPractitioner => "other-ld-practitioner",
            Who::MhtrPractitioner => "mhtr-practitioner",
            Who::Psychologist => "psychologist",
            Who::Senior => "own-ld-senior",
            Who::Analyst => "analyst",
            Who::Admin => "admin",
            Who::IgLead => "ig-lead",
            Who::RecordsManager => "records-manager",
            Who::SignedOut => "signed-out",
        }
    }

    /// (username, password)
    fn account(self) -> Option<(&'static str, &'static str)> {
        let demo = liaison::demo::PASSWORD;
        Some(match self {
            Who::OwnPractitioner => ("demo.practitioner", demo),
            Who::OtherPractitioner => ("other.practitioner", harness::PASSWORD),
            Who::MhtrPractitioner => ("demo.mhtr", demo),
            Who::Psychologist => ("demo.psychologist", demo),
            Who::Senior => ("demo.senior", demo),
            Who::Analyst => ("demo.analyst", demo),
            Who::Admin => ("demo.admin", demo),
            Who::IgLead => ("demo.ig", demo),
            Who::RecordsManager => ("demo.records", demo),
            Who::SignedOut => return None,
        })
    }

    fn role(self) -> Option<Role> {
        Some(match self {
            Who::OwnPractitioner | Who::OtherPractitioner | Who::MhtrPractitioner => Role::Practitioner,
            Who::Psychologist => Role::ConsultantPsychologist,
            Who::Senior => Role::SeniorPractitioner,
            Who::Analyst => Role::Analyst,
            Who::Admin => Role::Administrator,
            Who::IgLead => Role::IgLead,
            Who::RecordsManager => Role::RecordsManager,
            Who::SignedOut => return None,
        })
    }
}

/// A signed-in (or not) browser for one persona.
struct Persona {
    who: Who,
    app: TestApp,
    user_id: Option<String>,
    team_ids: BTreeSet<String>,
    in_mhtr_team: bool,
    csrf: String,
}

/// Whether the guard lets the persona through, from the guards' documented meaning.
fn guard_allows(guard: Guard, p: &Persona) -> bool {
    let clinical = matches!(
        p.who.role(),
        Some(Role::Practitioner | Role::SeniorPractitioner | Role::ConsultantPsychologist)
    );
    match guard {
        Guard::Public => true,
        Guard::SignedIn => p.who != Who::SignedOut,
        Guard::Clinical => clinical,
        Guard::MhtrTeam => clinical && p.in_mhtr_team,
        Guard::Analytics => (clinical && p.in_mhtr_team) || p.who.role() == Some(Role::Analyst),
        Guard::SignsOff => matches!(
            p.who.role(),
            Some(Role::SeniorPractitioner | Role::ConsultantPsychologist)
        ),
        Guard::Merges => p.who.role() == Some(Role::SeniorPractitioner),
        Guard::Admin => p.who.role() == Some(Role::Administrator),
        Guard::IgLead => p.who.role() == Some(Role::IgLead),
        Guard::AccessLog => matches!(p.who.role(), Some(Role::IgLead | Role::Administrator)),
        Guard::RecordsManager => p.who.role() == Some(Role::RecordsManager),
        Guard::Dashboards => clinical || p.who.role() == Some(Role::Analyst),
        Guard::Returns => p.who.role() == Some(Role::Analyst),
    }
}

/// Whether the persona's teams work with the record the target names (or it names none).
fn works_with(target: &Target, p: &Persona) -> bool {
    target
        .owners
        .as_ref()
        .is_none_or(|owners| owners.iter().any(|t| p.team_ids.contains(t)))
}

/// The one rule: the role passes the guard and, for a route naming a team-held record, the
/// persona's team works with it (except the routes open without details).
fn expected_allowed(route: &Declared, target: &Target, p: &Persona) -> bool {
    guard_allows(route.guard, p)
        && (OPEN_WITHOUT_DETAILS.contains(&route.path) || works_with(target, p))
        && !signs_off_only_as_senior(route, p)
}

/// Signing off an L&D report is narrowed by the kind in the handler: the fixture's court
/// report needs a senior (a custody summary's author may sign it too).
fn signs_off_only_as_senior(route: &Declared, p: &Persona) -> bool {
    route.method == Method::POST
        && route.path.starts_with("/episodes/{id}/reports/{kind}")
        && route.path.ends_with("/sign-off")
        && !guard_allows(Guard::SignsOff, p)
}

/// Whether the route names one record held by a team, whose teams then decide.
fn names_team_record(route: &Declared) -> bool {
    let team_held = matches!(
        route.record,
        Record::Person
            | Record::SiteList
            | Record::Episode
            | Record::Referral
            | Record::MhtrReferral
            | Record::MhtrCase
    );
    let by_person_field = route.record == Record::Person && matches!(route.path, "/episodes/new" | "/episodes");
    team_held && (route.path.contains("{id}") || by_person_field)
}

/// One concrete request for a route: the path with its parameters filled in, a minimal
/// form, and the teams that work with the record it names (`None`: no team record).
struct Target {
    label: &'static str,
    path: String,
    form: Vec<(String, String)>,
    owners: Option<BTreeSet<String>>,
    /// The named person's name and NHS number, lower-cased, for the routes open without details.
    secrets: Vec<String>,
}

/// Ids from the demo data (and a few rows added here) to fill in the routes' parameters.
struct Fixtures {
    ld_team: String,
    mhtr_team: String,
    site: String,
    episode: String,
    concern: String,
    referral: String,
    mhtr_referral: String,
    case: String,
    intake_case: String,
    session: String,
    addendum: String,
    report_section: String,
    /// An unsigned addendum of the episode's court report, and a link to that report.
    ld_addendum: String,
    link: String,
    /// (label, person id) for the person routes.
    people: Vec<(&'static str, String)>,
    /// (person id, alert id): a current alert of each of those people.
    alerts: Vec<(String, String)>,
    /// (person id, merge id): a recent merge into each of those people.
    merges: Vec<(String, String)>,
    /// One of those merges, for the administrators' routes.
    merge: String,
    /// A share made on the public interest, waiting for the IG lead.
    share: String,
    spare_user: String,
    partner_service: String,
    outbox: String,
    token: String,
    asset: String,
    /// An access override waiting on the IG lead's queue.
    review: String,
    /// A commissioner return in draft.
    data_return: String,
}

fn fixtures(app: &TestApp) -> Fixtures {
    let mut conn = app.conn();
    let c = &mut *conn;
    let team = |c: &mut liaison::db::DbConnection, name: &str| {
        String::from(liaison::auth::accounts::team_by_name(c, name).unwrap().unwrap().id)
    };
    let ld_team = team(c, liaison::demo::LD_TEAM);
    let mhtr_team = team(c, liaison::demo::MHTR_TEAM);
    let site: String = sites::table
        .filter(sites::team_id.eq(&ld_team))
        .select(sites::id)
        .order(sites::name)
        .first(c)
        .unwrap();
    let (mhtr_referral, referred_person): (String, String) = mhtr_referrals::table
        .filter(mhtr_referrals::team_id.eq(&mhtr_team))
        .select((mhtr_referrals::id, mhtr_referrals::person_id))
        .first(c)
        .unwrap();
    let episode: String = episodes::table
        .filter(episodes::team_id.eq(&ld_team))
        .filter(episodes::person_id.ne(&referred_person))
        // Still open, so the team's relationship is current (the demo has historic records).
        .filter(episodes::closed_at.is_null())
        .select(episodes::id)
        .order(episodes::id)
        .first(c)
        .unwrap();
    let author = liaison::auth::accounts::find_by_username(c, "demo.practitioner")
        .unwrap()
        .unwrap()
        .id;
    let partner_service: String = partner_services::table.select(partner_services::id).first(c).unwrap();
    // The demo sends no referral and raises no safeguarding concern: add them. One referral
    // for the referral routes (which may close it), one waiting for the partner's answer.
    let add_referral = |c: &mut liaison::db::DbConnection| {
        let id = uuid::Uuid::new_v4().to_string();
        diesel::insert_into(referrals::table)
            .values((
                referrals::id.eq(&id),
                referrals::episode_id.eq(&episode),
                referrals::service_id.eq(Some(&partner_service)),
                referrals::kind.eq("partner"),
                referrals::reason.eq("Routes test referral"),
                referrals::urgency.eq("routine"),
                referrals::shared_information.eq("Routes test"),
                referrals::consent.eq("given"),
                referrals::status.eq("sent"),
                referrals::submission_key.eq(uuid::Uuid::new_v4().to_string()),
                referrals::reference.eq(format!("ROUTES-{}", &id[..8])),
                referrals::created_by.eq(&author),
                referrals::created_at.eq(app.state.now()),
                referrals::sent_at.eq(Some(app.state.now())),
                referrals::chase_count.eq(0),
                referrals::updated_at.eq(app.state.now()),
            ))
            .execute(c)
            .unwrap();
        id
    };
    let referral = add_referral(c);
    let answered_referral = add_referral(c);
    let concern = uuid::Uuid::new_v4().to_string();
    diesel::insert_into(safeguarding_concerns::table)
        .values((
            safeguarding_concerns::id.eq(&concern),
            safeguarding_concerns::episode_id.eq(&episode),
            safeguarding_concerns::kind.eq("adult"),
            safeguarding_concerns::agency.eq("Brent Adult Social Care (demo)"),
            safeguarding_concerns::raised_on.eq("2026-11-01"),
            safeguarding_concerns::recorded_by.eq(&author),
            safeguarding_concerns::recorded_at.eq(app.state.now()),
        ))
        .execute(c)
        .unwrap();
    let case: String = mhtr_cases::table
        .filter(mhtr_cases::team_id.eq(&mhtr_team))
        .filter(mhtr_cases::status.eq("treatment"))
        .select(mhtr_cases::id)
        .first(c)
        .unwrap();
    let (intake_case, external_person): (String, String) = mhtr_cases::table
        .filter(mhtr_cases::team_id.eq(&mhtr_team))
        .filter(mhtr_cases::status.eq("referred"))
        .select((mhtr_cases::id, mhtr_cases::person_id))
        .first(c)
        .unwrap();
    let session: String = mhtr_sessions::table
        .filter(mhtr_sessions::case_id.eq(&case))
        .select(mhtr_sessions::id)
        .first(c)
        .unwrap();
    let report: liaison::domain::ids::ReportId = reports::table
        .filter(reports::subject_id.eq(&case))
        .select(reports::id)
        .first(c)
        .unwrap();
    let psychologist = liaison::auth::accounts::find_by_username(c, "demo.psychologist")
        .unwrap()
        .unwrap()
        .id;
    let addendum = match report_addenda::table
        .filter(report_addenda::report_id.eq(&report))
        .select(report_addenda::id)
        .first::<String>(c)
        .optional()
        .unwrap()
    {
        Some(id) => id,
        None => {
            liaison::reports::add_addendum(c, app.state.now(), &report, &psychologist, "Routes test addendum.").unwrap()
        }
    };
    let report_section: String = report_sections::table
        .filter(report_sections::report_id.eq(&report))
        .select(report_sections::code)
        .first(c)
        .unwrap();
    let ld_person: String = episodes::table
        .find(&episode)
        .select(episodes::person_id)
        .first(c)
        .unwrap();
    // A signed-off court report on the episode, with an addendum waiting and a link sent.
    let ld_episode = liaison::records::episode::find(c, &episode).unwrap().unwrap();
    let senior = liaison::auth::accounts::find_by_username(c, "demo.senior")
        .unwrap()
        .unwrap()
        .id;
    // The episode's court report: the demo's, if it drafted one, signed off here.
    let court = liaison::justice::draft(
        c,
        app.state.now(),
        (&senior, "Senior"),
        &ld_episode,
        liaison::reports::Kind::CourtReport,
    )
    .unwrap();
    if !liaison::reports::find(c, &court).unwrap().unwrap().is_final() {
        liaison::reports::sign_off(c, app.state.now(), &court, &senior, &[]).unwrap();
    }
    let ld_addendum =
        liaison::reports::add_addendum(c, app.state.now(), &court, &senior, "Routes test addendum.").unwrap();
    let link = liaison::reports::links::create(c, app.state.now(), &court, 1, "routes.test@example.org").unwrap();
    let message = liaison::email::outbox::NewMessage {
        referral_id: None,
        recipient: "routes.test@nhs.net",
        subject: "Routes test",
        body_text: "Routes test",
        body_html: None,
    };
    liaison::email::outbox::enqueue(c, app.state.now(), &message).unwrap();
    let outbox: String = outbox::table.select(outbox::id).first(c).unwrap();
    let token = "routes-test-answer-token-0123456789abcdef".to_string();
    diesel::insert_into(answer_links::table)
        .values((
            answer_links::token_hash.eq(liaison::auth::session::token_id(&token)),
            answer_links::referral_id.eq(&answered_referral),
            answer_links::email.eq("routes.test@nhs.net"),
            answer_links::expires_at.eq(app.state.now() + 7 * 24 * 3_600_000),
            answer_links::created_at.eq(app.state.now()),
        ))
        .execute(c)
        .unwrap();
    drop(conn);
    let spare_user = app.add_user("spare.user", Role::Practitioner, &[OTHER_TEAM]);
    let claim = liaison::access::overrides::NewOverride {
        kind: liaison::access::overrides::OverrideKind::SelfClaim,
        user_id: &spare_user,
        person_id: &ld_person,
        episode_id: None,
        reason: liaison::access::overrides::NEW_CONTACT,
        note: "",
        expires_at: app.state.now(),
        review_due: app.state.now(),
    };
    let review = liaison::access::overrides::insert(&mut app.conn(), app.state.now(), &claim).unwrap();
    let asset = liaison::views::assets::url("app.css");
    let data_return =
        liaison::returns::store::start(&mut app.conn(), "2026-Q3", "hes", &author, app.state.now()).unwrap();
    let people = vec![
        ("known to L&D only", ld_person),
        ("referred by L&D to MHTR", referred_person),
        ("referred to MHTR from outside", external_person),
    ];
    let alerts = people
        .iter()
        .map(|(_, person)| {
            let id = uuid::Uuid::new_v4().to_string();
            diesel::insert_into(person_alerts::table)
                .values((
                    person_alerts::id.eq(&id),
                    person_alerts::person_id.eq(person),
                    person_alerts::kind.eq("interpreter"),
                    person_alerts::note.eq("Routes test alert"),
                    person_alerts::review_on.eq("2027-06-01"),
                    person_alerts::raised_by.eq(&author),
                    person_alerts::raised_at.eq(app.state.now()),
                ))
                .execute(&mut app.conn())
                .unwrap();
            (person.clone(), id)
        })
        .collect();
    // A merge row into each (of an empty duplicate, so the route's forms have one to show).
    let merges = people
        .iter()
        .map(|(_, person)| {
            let duplicate = app.add_person("Routes", "Duplicate", "1990-01-01", &author);
            let id = uuid::Uuid::new_v4().to_string();
            diesel::insert_into(person_merges::table)
                .values((
                    person_merges::id.eq(&id),
                    person_merges::kept_id.eq(person),
                    person_merges::merged_id.eq(&duplicate),
                    person_merges::reason.eq("Routes test merge"),
                    person_merges::identifiers_moved.eq(""),
                    person_merges::merged_by.eq(&author),
                    person_merges::merged_at.eq(app.state.now()),
                ))
                .execute(&mut app.conn())
                .unwrap();
            (person.clone(), id)
        })
        .collect::<Vec<_>>();
    let merge = merges[0].1.clone();
    let actor = liaison::audit::Actor {
        user_id: Some(author.clone()),
        ..Default::default()
    };
    let justified = liaison::domain::sharing::OtherBasis {
        basis: liaison::domain::sharing::Basis::PublicInterest,
        detail: "Routes test".into(),
        consulted: Some("Routes test consultant".into()),
        caldicott_told: false,
    };
    let out = liaison::sharing::Outbound {
        episode_id: &episode,
        person_id: &people[0].1,
        scope: liaison::domain::sharing::Scope::Police,
        recipient: "Routes test recipient",
        document: "Routes test document",
        document_version: None,
        content: "Routes test",
        other: Some(&justified),
    };
    let share = liaison::sharing::share(&mut app.conn(), app.state.now(), &actor, &out)
        .unwrap()
        .unwrap();
    Fixtures {
        ld_team,
        mhtr_team,
        site,
        episode,
        concern,
        referral,
        mhtr_referral,
        case,
        intake_case,
        session,
        addendum,
        report_section,
        ld_addendum,
        link,
        people,
        alerts,
        merges,
        merge,
        share,
        spare_user,
        partner_service,
        outbox,
        token,
        asset,
        review,
        data_return,
    }
}

/// The teams that work with a person: any with an episode, MHTR referral or case for them.
fn teams_for_person(app: &TestApp, person: &str) -> BTreeSet<String> {
    let mut conn = app.conn();
    let mut teams: BTreeSet<String> = episodes::table
        .filter(episodes::person_id.eq(person))
        .select(episodes::team_id)
        .load::<String>(&mut *conn)
        .unwrap()
        .into_iter()
        .collect();
    teams.extend(
        mhtr_referrals::table
            .filter(mhtr_referrals::person_id.eq(person))
            .select(mhtr_referrals::team_id)
            .load::<String>(&mut *conn)
            .unwrap(),
    );
    teams.extend(
        mhtr_cases::table
            .filter(mhtr_cases::person_id.eq(person))
            .select(mhtr_cases::team_id)
            .load::<String>(&mut *conn)
            .unwrap(),
    );
    teams
}

/// The concrete requests for one route.
fn targets(app: &TestApp, f: &Fixtures, route: &Declared) -> Vec<Target> {
    let one = |owner: Option<&str>| owner.map(|t| BTreeSet::from([t.to_string()]));
    let justice = route.path.starts_with("/episodes/{id}/reports/{kind}");
    let fill = |id: &str| {
        let (addendum, section) = if justice {
            (&f.ld_addendum, "risk")
        } else {
            (&f.addendum, f.report_section.as_str())
        };
        route
            .path
            .replace("/shared/{token}", &format!("/shared/{}", f.link))
            .replace("{id}", id)
            .replace("{concern_id}", &f.concern)
            .replace("{section}", "risk")
            .replace("{sid}", &f.session)
            .replace("{aid}", addendum)
            .replace("{code}", section)
            .replace("{token}", &f.token)
            .replace("{kind}", "court-report")
    };
    let target = |path: String, owners: Option<BTreeSet<String>>| Target {
        label: "",
        path,
        form: Vec::new(),
        owners,
        secrets: Vec::new(),
    };
    if route.path == "/assets/{hash}/{name}" {
        return vec![target(f.asset.clone(), None)];
    }
    if !names_team_record(route) {
        let id = match route.record {
            Record::AccessReview if route.path.starts_with("/governance/people/") => &f.people[0].1,
            Record::Retention => &f.people[0].1,
            Record::AccessReview => &f.review,
            Record::User => &f.spare_user,
            Record::Team => &f.ld_team,
            Record::Site => &f.site,
            Record::PartnerService => &f.partner_service,
            Record::Outbox => &f.outbox,
            Record::AlertKind => "interpreter",
            Record::PersonMerge => &f.merge,
            Record::ShareReview => &f.share,
            Record::DataReturn => &f.data_return,
            _ => "",
        };
        let mut t = target(fill(id), None);
        if route.path == "/mhtr/extract.csv" {
            t.path.push_str("?pseudonymised=yes");
        }
        // Each dashboard's CSV is one of its charts.
        let chart = match route.path {
            "/dashboards/shift.csv" => "waiting",
            "/dashboards/service.csv" => "weeks",
            "/dashboards/equality.csv" => "screened-by-ethnic-group",
            "/dashboards/mhtr.csv" => "funnel",
            "/dashboards/commissioner.csv" => "alerts-by-month",
            _ => "",
        };
        if !chart.is_empty() {
            t.path.push_str(&format!("?chart={chart}"));
        }
        return vec![t];
    }
    match route.record {
        Record::Person => f
            .people
            .iter()
            .map(|(label, person)| {
                let owners = Some(teams_for_person(app, person));
                let mut t = match route.path {
                    "/episodes/new" => target(format!("/episodes/new?person={person}"), owners),
                    "/episodes" => {
                        let mut t = target("/episodes".into(), owners);
                        t.form.push(("person".into(), person.clone()));
                        t
                    }
                    _ => {
                        let of = |rows: &[(String, String)]| rows.iter().find(|(p, _)| p == person).unwrap().1.clone();
                        let path = fill(person)
                            .replace("{alert_id}", &of(&f.alerts))
                            .replace("{merge_id}", &of(&f.merges));
                        target(path, owners)
                    }
                };
                t.label = label;
                t.secrets = person_data(app, person);
                t
            })
            .collect(),
        Record::SiteList => vec![target(fill(&f.site), one(Some(&f.ld_team)))],
        Record::Episode => vec![target(fill(&f.episode), one(Some(&f.ld_team)))],
        Record::Referral => vec![target(fill(&f.referral), one(Some(&f.ld_team)))],
        Record::MhtrReferral => vec![target(fill(&f.mhtr_referral), one(Some(&f.mhtr_team)))],
        Record::MhtrCase => {
            let case = if route.path.starts_with("/mhtr/intake/cases/") {
                &f.intake_case
            } else {
                &f.case
            };
            let mut t = target(fill(case), one(Some(&f.mhtr_team)));
            if route.path.contains("/assessment/{section}") {
                t.path = route.path.replace("{id}", case).replace("{section}", "risks");
            }
            vec![t]
        }
        other => panic!("no fixture for {other:?}"),
    }
}

async fn persona(app: &TestApp, who: Who) -> Persona {
    let browser = app.another_client();
    let (user_id, team_ids, in_mhtr_team) = match who.account() {
        Some((username, password)) => {
            let res = browser.sign_in(username, password).await;
            assert_eq!(res.status(), StatusCode::SEE_OTHER, "sign-in as {username}");
            let mut conn = app.conn();
            let user = liaison::auth::accounts::find_by_username(&mut conn, username)
                .unwrap()
                .unwrap();
            let teams = liaison::auth::accounts::teams_of(&mut conn, &user.id).unwrap();
            let mhtr = teams.iter().any(liaison::mhtr::is_mhtr_team);
            (Some(user.id), teams.into_iter().map(|t| t.id.into()).collect(), mhtr)
        }
        None => (None, BTreeSet::new(), false),
    };
    let token_page = if user_id.is_some() { "/" } else { "/sign-in" };
    let csrf = csrf_token(&browser.page(token_page).await.1);
    Persona {
        who,
        app: browser,
        user_id,
        team_ids,
        in_mhtr_team,
        csrf,
    }
}

fn denied_count(app: &TestApp, user_id: &str) -> i64 {
    audit_events::table
        .filter(audit_events::user_id.eq(user_id))
        .filter(audit_events::outcome.eq("denied"))
        .count()
        .get_result(&mut *app.conn())
        .unwrap()
}

/// One person's name and NHS number, lower-cased.
fn person_data(app: &TestApp, person: &str) -> Vec<String> {
    let (given, family, nhs): (String, String, Option<String>) = people::table
        .find(person)
        .select((people::given_name, people::family_name, people::nhs_number))
        .first(&mut *app.conn())
        .unwrap();
    let mut found = vec![family.to_lowercase(), format!("{given} {family}").to_lowercase()];
    found.extend(nhs);
    found
}

/// Names and NHS numbers of everyone in the database, lower-cased, to look for in refusals.
fn personal_data(app: &TestApp) -> Vec<String> {
    let rows: Vec<(String, String, Option<String>)> = people::table
        .select((people::given_name, people::family_name, people::nhs_number))
        .load(&mut *app.conn())
        .unwrap();
    let mut found = Vec::new();
    for (given, family, nhs) in rows {
        found.push(family.to_lowercase());
        found.push(format!("{given} {family}").to_lowercase());
        found.extend(nhs);
    }
    found
}

struct Outcome {
    status: StatusCode,
    location: String,
    hx_redirect: String,
    body: String,
}

async fn send(p: &Persona, method: &Method, target: &Target, htmx: bool) -> Outcome {
    let url = p.app.url(&target.path);
    let req = if *method == Method::GET {
        p.app.client.get(url)
    } else {
        let mut form = vec![("csrf_token".to_string(), p.csrf.clone())];
        form.extend(target.form.iter().cloned());
        p.app.client.post(url).form(&form)
    };
    let req = if htmx { req.header("HX-Request", "true") } else { req };
    let res = req.send().await.expect("request");
    let header = |name: &str| {
        res.headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    };
    let (status, location, hx_redirect) = (res.status(), location(&res), header("HX-Redirect"));
    Outcome {
        status,
        location,
        hx_redirect,
        body: res.text().await.unwrap(),
    }
}

/// The way to sign in for a request without a session (not the page after signing out).
fn sent_to_sign_in(o: &Outcome) -> bool {
    let to_sign_in = |to: &str| to.starts_with("/sign-in") && !to.contains("signed_out");
    (o.status == StatusCode::SEE_OTHER && to_sign_in(&o.location))
        || (o.status == StatusCode::UNAUTHORIZED && to_sign_in(&o.hx_redirect))
}

async fn every_route_answers_each_kind_of_user_as_declared(db: Db) {
    let app = TestApp::spawn(db).await;
    liaison::demo::seed(&mut app.conn(), app.state.now()).unwrap();
    app.add_user("other.practitioner", Role::Practitioner, &[OTHER_TEAM]);
    let f = fixtures(&app);
    let secrets = personal_data(&app);
    let mut personas = Vec::new();
    for who in Who::ALL {
        personas.push(persona(&app, who).await);
    }
    let routes = declared_routes();
    let mut failures: Vec<String> = Vec::new();
    let mut checked = 0;
    // (expected allowed, status) -> requests, for the summary.
    let mut statuses: BTreeMap<(bool, u16), usize> = BTreeMap::new();
    for route in &routes {
        for target in targets(&app, &f, route) {
            for p in &personas {
                let expected = expected_allowed(route, &target, p);
                let without_details = OPEN_WITHOUT_DETAILS.contains(&route.path) && !works_with(&target, p);
                for htmx in [false, true] {
                    if htmx && route.method != Method::GET {
                        continue;
                    }
                    let signing_out = route.path == "/sign-out" && p.who != Who::SignedOut;
                    let fresh;
                    let p = if signing_out {
                        // Signing out ends the session: use a second one of the same user.
                        fresh = persona(&app, p.who).await;
                        &fresh
                    } else {
                        p
                    };
                    let before = p.user_id.as_deref().map(|u| denied_count(&app, u));
                    let o = send(p, &route.method, &target, htmx).await;
                    let case = format!(
                        "{} {}{}{} as {}: {}",
                        route.method,
                        target.path,
                        if target.label.is_empty() {
                            String::new()
                        } else {
                            format!(" ({})", target.label)
                        },
                        if htmx { " [htmx]" } else { "" },
                        p.who.label(),
                        o.status
                    );
                    let problems = if expected {
                        let mut problems = allowed_problems(&o);
                        if without_details {
                            problems.extend(leaked(&o, &target.secrets));
                        }
                        problems
                    } else {
                        let after = p.user_id.as_deref().map(|u| denied_count(&app, u));
                        refused_problems(&o, p, &secrets, before, after)
                    };
                    checked += 1;
                    *statuses.entry((expected, o.status.as_u16())).or_default() += 1;
                    if expected && o.status.is_client_error() && std::env::var("ROUTES_DEBUG").is_ok() {
                        println!("DEBUG {case}");
                    }
                    if !problems.is_empty() {
                        let want = if expected { "allowed" } else { "refused" };
                        failures.push(format!("{case}: expected {want}, but {}", problems.join("; ")));
                    }
                }
            }
        }
    }
    println!(
        "route matrix: {} routes x {} personas: {checked} requests checked",
        routes.len(),
        personas.len()
    );
    for (label, allowed) in [("allowed", true), ("refused", false)] {
        let counts: Vec<String> = statuses
            .iter()
            .filter(|((a, _), _)| *a == allowed)
            .map(|((_, status), n)| format!("{status}: {n}"))
            .collect();
        println!("  {label}: {}", counts.join(", "));
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} requests broke the rule:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The person's name or NHS number on a page that must not show them.
fn leaked(o: &Outcome, secrets: &[String]) -> Option<String> {
    let body = o.body.to_lowercase();
    secrets
        .iter()
        .find(|s| body.contains(s.as_str()))
        .map(|leak| format!("the page shows the person's details ({leak})"))
}

fn allowed_problems(o: &Outcome) -> Vec<String> {
    let mut problems = Vec::new();
    if sent_to_sign_in(o) {
        problems.push("sent to sign in".to_string());
    }
    if [StatusCode::FORBIDDEN, StatusCode::UNAUTHORIZED, StatusCode::NOT_FOUND].contains(&o.status) {
        problems.push(format!("answered {}", o.status));
    }
    if o.status.is_server_error() {
        problems.push(format!("server error {}", o.status));
    }
    problems
}

fn refused_problems(
    o: &Outcome,
    p: &Persona,
    secrets: &[String],
    before: Option<i64>,
    after: Option<i64>,
) -> Vec<String> {
    let mut problems = Vec::new();
    match p.who {
        Who::SignedOut if !sent_to_sign_in(o) => problems.push("not sent to sign in".to_string()),
        Who::SignedOut => {}
        _ if o.status != StatusCode::FORBIDDEN => problems.push(format!("answered {}", o.status)),
        _ => {}
    }
    let body = o.body.to_lowercase();
    if let Some(leak) = secrets.iter().find(|s| body.contains(s.as_str())) {
        problems.push(format!("the page shows personal data ({leak})"));
    }
    if let (Some(before), Some(after)) = (before, after)
        && after <= before
    {
        problems.push("no denied row in the audit trail".to_string());
    }
    problems
}

/// A page under /admin that no route declares is still behind the administrator guard.
async fn the_admin_scope_is_guarded_as_a_whole(db: Db) {
    let app = TestApp::spawn(db).await;
    app.add_user("ana", Role::Analyst, &[]);
    app.add_user("adi", Role::Administrator, &[]);
    const PAGE: &str = "/admin/not-a-page-yet";
    let res = app.get(PAGE).await;
    assert_eq!(
        (res.status(), location(&res)),
        (StatusCode::SEE_OTHER, "/sign-in".to_string())
    );

    let ana = app.another_client();
    ana.sign_in_ok("ana").await;
    let (status, body) = ana.page(PAGE).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body.contains("You do not have access to this page"));
    let refused: Vec<_> = app
        .audit_rows("view")
        .into_iter()
        .filter(|r| r.outcome.code() == "denied" && r.username.as_deref() == Some("ana"))
        .collect();
    assert_eq!(refused.len(), 1);
    assert_eq!(
        refused[0].detail.as_deref(),
        Some("admin guard: GET /admin/not-a-page-yet")
    );

    let adi = app.another_client();
    adi.sign_in_ok("adi").await;
    assert_eq!(adi.page(PAGE).await.0, StatusCode::NOT_FOUND);
    assert_eq!(adi.page("/admin/users").await.0, StatusCode::OK);
}
