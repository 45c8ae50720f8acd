//! Court hearings on an MHTR case: the sentence, adjournments that move the deadline, and closing a case early.

mod close;
mod outcome;

use diesel::prelude::*;
use maud::{Markup, html};

use crate::clock::Millis;
use crate::db::schema::{mhtr_hearings, mhtr_orders};
use crate::db::{DbConnection, NullableText};
use crate::domain::codes::label_of;
use crate::domain::mhtr::{COURT_OUTCOMES, ORDER_TYPES};
use crate::domain::words::count;
use crate::domain::{CalendarDate, local_time};
use crate::mhtr::case::MhtrCase;
use crate::views::components;
use crate::web::routes::Routes;

#[rustfmt::skip]
pub fn routes(r: &mut Routes) {
    use crate::web::routes::{Guard::Clinical, Record::MhtrCase};
    r.get("/mhtr/cases/{id}/court", Clinical, MhtrCase, outcome::show)
        .post("/mhtr/cases/{id}/court", Clinical, MhtrCase, outcome::submit)
        .get("/mhtr/cases/{id}/close", Clinical, MhtrCase, close::show)
        .post("/mhtr/cases/{id}/close", Clinical, MhtrCase, close::submit);
}

/// What the court did at one hearing.
#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = mhtr_hearings)]
pub struct Hearing {
    pub id: String,
    pub case_id: String,
    #[diesel(deserialize_as = String)]
    pub heard_on: CalendarDate,
    /// A `COURT_OUTCOMES` code.
    pub outcome: String,
    /// For an adjournment.
    #[diesel(deserialize_as = NullableText<CalendarDate>)]
    pub adjourned_to: Option<CalendarDate>,
    pub notes: Option<String>,
    pub recorded_by: String,
    pub recorded_at: Millis,
}

/// The order the court made with an MHTR, and how treatment under it ended.
#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = mhtr_orders)]
pub struct Order {
    pub case_id: String,
    #[diesel(deserialize_as = String)]
    pub sentenced_on: CalendarDate,
    pub order_type: String,
    pub requirement_months: i32,
    pub responsible_officer: String,
    pub responsible_officer_email: String,
    pub treating_practitioner: String,
    pub completion_outcome: Option<String>,
    pub completed_at: Option<Millis>,
    pub recorded_by: String,
    pub recorded_at: Millis,
}

/// The case's hearings, oldest first.
pub fn hearings(conn: &mut DbConnection, case_id: &str) -> QueryResult<Vec<Hearing>> {
    mhtr_hearings::table
        .filter(mhtr_hearings::case_id.eq(case_id))
        .order((mhtr_hearings::heard_on.asc(), mhtr_hearings::recorded_at.asc()))
        .select(Hearing::as_select())
        .load(conn)
}

/// The case's order, once the court has made an MHTR.
pub fn order(conn: &mut DbConnection, case_id: &str) -> QueryResult<Option<Order>> {
    mhtr_orders::table
        .find(case_id)
        .select(Order::as_select())
        .first(conn)
        .optional()
}

fn hearings_table(hearings: &[Hearing]) -> Markup {
    let rows: Vec<Vec<Markup>> = hearings
        .iter()
        .map(|h| {
            vec![
                html! { (local_time::day(h.heard_on)) },
                html! { (label_of(COURT_OUTCOMES, &h.outcome).unwrap_or(&h.outcome)) },
                html! { (h.adjourned_to.map(local_time::day).unwrap_or_default()) },
                html! { span.app-pre-wrap { (h.notes.as_deref().unwrap_or("")) } },
            ]
        })
        .collect();
    components::table(
        "Hearings, oldest first",
        &["Hearing date", "Outcome", "Adjourned to", "Notes"],
        &rows,
    )
}

/// The order's terms, as the court made them.
pub fn order_summary(o: &Order) -> Markup {
    components::summary_list(&[
        ("Sentenced on", html! { (local_time::day(o.sentenced_on)) }),
        (
            "Order",
            html! { (label_of(ORDER_TYPES, &o.order_type).unwrap_or(&o.order_type)) },
        ),
        ("Requirement length", html! { (months(o.requirement_months)) }),
        (
            "Responsible officer",
            html! { (o.responsible_officer) " (" (o.responsible_officer_email) ")" },
        ),
        ("Treating practitioner", html! { (o.treating_practitioner) }),
    ])
}

fn months(n: i32) -> String {
    count(n, "month", "months")
}

/// Hearings and the order, for the court page and the case page.
fn court_record(hearings: &[Hearing], order: Option<&Order>) -> Markup {
    html! {
        @if hearings.is_empty() { p { "No hearings have been recorded yet." } }
        @else { (hearings_table(hearings)) }
        @if let Some(o) = order {
            h3.app-heading-s { "The order" }
            (order_summary(o))
        }
    }
}

/// This part's section of the case page.
pub fn panel(conn: &mut DbConnection, case: &MhtrCase) -> diesel::QueryResult<Markup> {
    let hearings = hearings(conn, &case.id)?;
    let order = order(conn, &case.id)?;
    if hearings.is_empty() && order.is_none() {
        return Ok(html! {});
    }
    Ok(html! {
        h2.app-heading-m { "Court" }
        (court_record(&hearings, order.as_ref()))
    })
}
