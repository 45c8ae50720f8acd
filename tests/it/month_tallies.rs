//! Monthly tallies: a period merged from the tallies of its months gives the figures its facts
//! give, in the measures and on the pages that merge them (a year's service view, the equality
//! view, the commissioner view); a change to a month's facts, or to a site's target,
//! sends the month back to its facts until it is tallied again.

use diesel::prelude::*;
use liaison::db::DbConnection;
use liaison::db::schema::{episodes, month_tallies, sites, tallied_months};
use liaison::domain::Role;
use liaison::domain::measures::{ByGroup, Ld, LdMeasures};
use liaison::domain::period::Period;
use liaison::generate::{self, Plan};
use liaison::returns::facts::{self, Counted, Dimensions, Selection};

use crate::both_databases;
use crate::harness::{Db, TestApp};

both_databases!(
    a_period_merged_from_tallies_measures_as_its_facts_do,
    the_views_are_the_same_from_tallies_as_from_facts,
    a_changed_month_is_read_from_its_facts_until_tallied_again
);

/// A few years of synthetic episodes, tallied as `liaison generate` leaves them.
async fn generated(db: Db) -> TestApp {
    let app = TestApp::spawn(db).await;
    liaison::demo::seed(&mut app.conn(), app.state.now()).unwrap();
    let plan = Plan {
        people: 1_200,
        episodes: 2_400,
        seed: 5,
        force: false,
        retention: Default::default(),
    };
    generate::run(&mut app.conn(), &plan, app.state.now(), &mut Vec::new()).unwrap();
    assert!(app.count("tallied_months") > 12, "generate tallies every month over");
    app
}

fn everything(conn: &mut DbConnection, from: i64, to: i64) -> Selection {
    let teams = liaison::auth::accounts::all_teams(conn).unwrap();
    Selection {
        from,
        to,
        teams: teams.into_iter().map(|t| t.id).collect(),
        site: None,
        youth: None,
    }
}

/// The measures of the selection from its facts alone, and merged from tallies where its
/// months are tallied; and how many tallies were merged.
fn both_ways(conn: &mut DbConnection, sel: &Selection, now: i64) -> (LdMeasures, LdMeasures, usize) {
    let mut from_facts = Ld::new(now);
    facts::each(conn, sel, |found| from_facts.add(&found.fact())).unwrap();
    let (mut merged, mut tallies) = (Ld::new(now), 0);
    facts::measure(conn, sel, now, Dimensions::Whole, |counted| match counted {
        Counted::Episode(found) => merged.add(&found.fact()),
        Counted::Month(month) => {
            tallies += 1;
            merged.merge(&month.tally, &month.people);
        }
    })
    .unwrap();
    (from_facts.finish(), merged.finish(), tallies)
}

async fn a_period_merged_from_tallies_measures_as_its_facts_do(db: Db) {
    let app = generated(db).await;
    let now = app.state.now();
    let conn: &mut DbConnection = &mut app.conn();
    let Period::Year(this_year) = Period::year_of(now) else {
        unreachable!()
    };
    for (from, to) in [
        Period::Year(this_year - 1).bounds(),
        Period::Year(this_year).bounds(),
        (i64::MIN, i64::MAX),
    ] {
        let sel = everything(conn, from, to);
        let (from_facts, merged, tallies) = both_ways(conn, &sel, now);
        assert!(tallies > 0, "tallies merged for {from}..{to}");
        assert!(from_facts.alerts > 100 && from_facts.people < from_facts.alerts);
        assert_eq!(merged, from_facts, "{from}..{to}");
    }
    // The equality groups, with one site and the adults only.
    let site: String = episodes::table
        .select(episodes::site_id)
        .order(episodes::alert_at)
        .first(conn)
        .unwrap();
    let sel = Selection {
        site: Some(site.as_str().into()),
        youth: Some(false),
        ..everything(conn, i64::MIN, i64::MAX)
    };
    let split = |conn: &mut DbConnection, tallied: bool| {
        let mut groups = [ByGroup::new(now), ByGroup::new(now), ByGroup::new(now)];
        let add = |groups: &mut [ByGroup; 3], found: facts::EpisodeFacts| {
            let f = found.fact();
            groups[0].add(found.ethnic_group(), &f);
            groups[1].add(found.gender_identity(), &f);
            groups[2].add(found.age_band(), &f);
        };
        if tallied {
            facts::measure(conn, &sel, now, Dimensions::Equality, |counted| match counted {
                Counted::Episode(found) => add(&mut groups, found),
                Counted::Month(m) => {
                    let n = [facts::ETHNIC, facts::GENDER, facts::AGE]
                        .iter()
                        .position(|d| *d == m.dimension)
                        .unwrap();
                    groups[n].merge(&m.group, &m.tally, &m.people);
                }
            })
            .unwrap();
        } else {
            facts::each(conn, &sel, |found| add(&mut groups, found)).unwrap();
        }
        groups.map(|g| g.finish(&[]))
    };
    let (from_facts, merged) = (split(conn, false), split(conn, true));
    assert!(from_facts[0].len() > 3, "{:?}", from_facts[0]);
    assert_eq!(merged, from_facts);

    // One tally that cannot be read (another version wrote it): its whole month is read from
    // facts, not merged from the month's other tallies without it.
    let (from, to) = Period::Year(this_year - 1).bounds();
    let (site, team, youth, group): (String, String, bool, String) = month_tallies::table
        .filter(month_tallies::month_from.eq(from))
        .filter(month_tallies::dimension.eq("all"))
        .select((
            month_tallies::site_id,
            month_tallies::team_id,
            month_tallies::youth,
            month_tallies::grp,
        ))
        .first(conn)
        .unwrap();
    let corrupted = diesel::update(
        month_tallies::table
            .filter(month_tallies::month_from.eq(from))
            .filter(month_tallies::dimension.eq("all"))
            .filter(month_tallies::site_id.eq(site))
            .filter(month_tallies::team_id.eq(team))
            .filter(month_tallies::youth.eq(youth))
            .filter(month_tallies::grp.eq(group)),
    )
    .set(month_tallies::tally.eq("{\"alerts\": \"many\"}"))
    .execute(conn)
    .unwrap();
    assert_eq!(corrupted, 1);
    let last_year = everything(conn, from, to);
    let (from_facts, merged, tallies) = both_ways(conn, &last_year, now);
    assert!(tallies > 0);
    assert_eq!(merged, from_facts);
}

/// The main part of a page, without the form tokens that differ between requests.
fn main_of(html: &str) -> String {
    let start = html.find("<main").expect("a main element");
    let end = html.find("</main>").expect("its end");
    html[start..end]
        .split('"')
        .filter(|part| part.len() != 64 || !part.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .collect::<Vec<_>>()
        .join("\"")
}

async fn the_views_are_the_same_from_tallies_as_from_facts(db: Db) {
    let app = generated(db).await;
    app.add_user("analyst", Role::Analyst, &[]);
    app.sign_in_ok("analyst").await;
    let Period::Year(this_year) = Period::year_of(app.state.now()) else {
        unreachable!()
    };
    let pages = [
        format!("/dashboards/service?period={}", this_year - 1),
        format!("/dashboards/equality?period={}", this_year - 1),
        format!("/dashboards/service?period={this_year}"),
        format!("/dashboards/equality?period={this_year}&age=adult"),
        format!("/dashboards/equality?period={}-Q4", this_year - 1),
        format!("/dashboards/commissioner?period={}-Q2", this_year - 1),
    ];
    let mut tallied = Vec::new();
    for path in &pages {
        let (status, html) = app.page(path).await;
        assert_eq!(status, 200, "{path}");
        tallied.push(main_of(&html));
    }
    // Tallies that hold for no cut-off: every month is read from its facts.
    diesel::update(tallied_months::table)
        .set(tallied_months::latest_screening.eq(i64::MAX))
        .execute(&mut app.conn())
        .unwrap();
    for (path, from_tallies) in pages.iter().zip(tallied) {
        let (_, html) = app.page(path).await;
        assert_eq!(main_of(&html), from_tallies, "{path}");
        assert!(from_tallies.contains("Alerts"), "{from_tallies}");
    }
}

async fn a_changed_month_is_read_from_its_facts_until_tallied_again(db: Db) {
    let app = generated(db).await;
    let now = app.state.now();
    let conn: &mut DbConnection = &mut app.conn();
    let before = app.count("tallied_months");
    // An episode of a month long over changes its source of referral.
    let last_year = Period::Year(match Period::year_of(now) {
        Period::Year(y) => y - 1,
        _ => unreachable!(),
    });
    let (from, to) = last_year.bounds();
    let (id, alert_at, source): (String, i64, String) = episodes::table
        .filter(episodes::alert_at.ge(from))
        .filter(episodes::alert_at.lt(to))
        .select((episodes::id, episodes::alert_at, episodes::referral_source))
        .order(episodes::alert_at)
        .first(conn)
        .unwrap();
    let changed = if source == "E2" { "E1" } else { "E2" };
    diesel::update(episodes::table.find(&id))
        .set(episodes::referral_source.eq(changed))
        .execute(conn)
        .unwrap();
    facts::refresh(conn).unwrap();
    let (month_from, _) = Period::month_of(alert_at).bounds();
    let is_tallied = |conn: &mut DbConnection| -> bool {
        diesel::select(diesel::dsl::exists(
            tallied_months::table.filter(tallied_months::month_from.eq(month_from)),
        ))
        .get_result(conn)
        .unwrap()
    };
    assert!(!is_tallied(conn), "the month waits to be tallied again");
    assert!(facts::untallied(conn, now).unwrap());
    let sel = everything(conn, from, to);
    let (from_facts, merged, _) = both_ways(conn, &sel, now);
    assert_eq!(merged, from_facts);
    assert_eq!(facts::fill(conn, now).unwrap(), 1);
    assert!(is_tallied(conn) && !facts::untallied(conn, now).unwrap());
    assert_eq!(app.count("tallied_months"), before);
    let (again, merged, _) = both_ways(conn, &sel, now);
    assert_eq!((merged, &again), (from_facts.clone(), &from_facts));
    assert!(again.alerts_by_source.contains_key(changed));

    // A site's target is counted into its tallies: changing it tallies every month again.
    diesel::update(sites::table)
        .set(sites::target_minutes.eq(sites::target_minutes + 5))
        .execute(conn)
        .unwrap();
    assert_eq!(app.count("tallied_months"), 0);
    let (from_facts, merged, tallies) = both_ways(conn, &sel, now);
    assert_eq!((tallies, &merged), (0, &from_facts));
    assert_eq!(facts::fill(conn, now).unwrap(), usize::try_from(before).unwrap());
    let (again, merged, tallies) = both_ways(conn, &sel, now);
    assert!(tallies > 0);
    assert_eq!(merged, again);
    assert_eq!(again.waits, from_facts.waits);
}
