//! Eli's reports in the demo: a custody summary his practitioner wrote, signed off and sent
//! to the custody sergeants' secure address on his consent; and a court report with an
//! effective-participation concern, written and waiting for the senior's sign-off.

use diesel::prelude::*;

use crate::audit::Actor;
use crate::clock::Millis;
use crate::db::DbConnection;
use crate::db::schema::{episodes, outbox, people, shares, users};
use crate::domain::ids::ReportId;
use crate::domain::local_time;
use crate::domain::sharing::Scope;
use crate::email::outbox::{NewMessage, Status};
use crate::records::episode;
use crate::reports::{self, Answers, Kind};

const CUSTODY: &str = "demo.wembley.custody@cjsm.net";

/// Replaces a section's text and answers: `lines` are (field, text), `ticks` (field, codes).
fn write(
    conn: &mut DbConnection,
    now: Millis,
    report: &ReportId,
    (code, body): (&str, &str),
    lines: &[(&str, &str)],
    ticks: &[(&str, &[&str])],
) -> QueryResult<()> {
    let mut answers = Answers::default();
    for (field, text) in lines {
        answers.set_text(field, text);
    }
    for (field, codes) in ticks {
        answers.set_ticks(field, codes);
    }
    reports::update_section(conn, now, report, code, (body, &answers))
        .map_err(|e| diesel::result::Error::QueryBuilderError(e.to_string().into()))
}

/// Does nothing unless Eli's open episode exists, or once his reports do.
pub fn seed(conn: &mut DbConnection, now: Millis, author: &str) -> QueryResult<()> {
    let found: Option<String> = episodes::table
        .inner_join(people::table)
        .filter(people::family_name.eq("Demo-Evans"))
        .filter(episodes::closed_at.is_null())
        .select(episodes::id)
        .first(conn)
        .optional()?;
    let Some(ep) = found.map(|id| episode::find(conn, &id)).transpose()?.flatten() else {
        return Ok(());
    };
    if !reports::all_for_subject(conn, crate::justice::SUBJECT, &ep.id)?.is_empty() {
        return Ok(());
    }
    let name: String = users::table.find(author).select(users::display_name).first(conn)?;
    custody_summary(conn, now - 80 * 60_000, (author, &name), &ep)?;
    court_report(conn, now - 20 * 60_000, (author, &name), &ep)
}

fn custody_summary(
    conn: &mut DbConnection,
    at: Millis,
    (author, name): (&str, &str),
    ep: &crate::records::Episode,
) -> QueryResult<()> {
    let id = crate::justice::draft(conn, at, (author, name), ep, Kind::CustodySummary)?;
    write(
        conn,
        at,
        &id,
        (
            "appropriate-adult",
            "He understood the booking-in questions and explained them back.",
        ),
        &[("indicated", "not-indicated")],
        &[],
    )?;
    write(
        conn,
        at,
        &id,
        ("communication", "Answers well to one question at a time."),
        &[],
        &[("adjustments", &["breaks", "plain-language"])],
    )?;
    write(
        conn,
        at,
        &id,
        (
            "risk",
            "No thoughts of self-harm today. Says he will “sort out” his neighbour when released.",
        ),
        &[(
            "source",
            &format!(
                "His account in custody, and the custody record, {}",
                local_time::local_day(at)
            ),
        )],
        &[("risks", &["risk-to-others", "medication"])],
    )?;
    write(
        conn,
        at,
        &id,
        (
            "healthcare-review",
            "He stopped his depot injection three weeks ago. Ask the custody nurse to review before interview.",
        ),
        &[("review", "advised")],
        &[],
    )?;
    write(
        conn,
        at,
        &id,
        (
            "health-context",
            "Relapse of psychosis is likely after stopping his depot injection.",
        ),
        &[],
        &[],
    )?;
    reports::sign_off(conn, at + 5 * 60_000, &id, author, &[])
        .map_err(|e| diesel::result::Error::QueryBuilderError(e.to_string().into()))?;
    let full = reports::load(conn, &id)?.ok_or(diesel::result::Error::NotFound)?;
    let content = reports::view::text(&full);
    let actor = Actor {
        user_id: Some(author.to_string()),
        username: Some("demo.practitioner".into()),
        ..Actor::default()
    };
    let out = crate::sharing::Outbound {
        episode_id: &ep.id,
        person_id: &ep.person_id,
        scope: Scope::Police,
        recipient: "Metropolitan Police – Wembley custody (demo) – Custody sergeants (demo.wembley.custody@cjsm.net)",
        document: full.report.title(),
        document_version: Some(1),
        content: &content,
        other: None,
    };
    let sent_at = at + 7 * 60_000;
    let Ok(share) = crate::sharing::share(conn, sent_at, &actor, &out)? else {
        return Ok(());
    };
    let subject = format!(
        "Custody summary {} (version 1) from Brent L&D (demo)",
        full.report.reference()
    );
    let message = NewMessage {
        referral_id: None,
        recipient: CUSTODY,
        subject: &subject,
        body_text: &content,
        body_html: None,
    };
    // The demo has no mail server: the message is on record as sent.
    let outbox_id = crate::email::outbox::enqueue(conn, sent_at, &message)?;
    diesel::update(outbox::table.find(&outbox_id))
        .set((
            outbox::status.eq(Status::Sent.code()),
            outbox::sent_at.eq(sent_at + 30_000),
        ))
        .execute(conn)?;
    diesel::update(shares::table.find(&share))
        .set(shares::outbox_id.eq(&outbox_id))
        .execute(conn)?;
    reports::record_send(conn, sent_at, &id, (1, CUSTODY), &outbox_id, author)
}

fn court_report(
    conn: &mut DbConnection,
    at: Millis,
    (author, name): (&str, &str),
    ep: &crate::records::Episode,
) -> QueryResult<()> {
    let id = crate::justice::draft(conn, at, (author, name), ep, Kind::CourtReport)?;
    let today = local_time::local_day(at);
    let (sources, risk) = (
        format!("Custody record, his GP record and his community psychiatric nurse, {today}"),
        format!("His account and police records, {today}"),
    );
    let lines = [
        (
            "case",
            "",
            vec![
                ("court", "Willesden Magistrates' Court (demo)"),
                ("hearing-date", "Tomorrow, 10:00"),
                ("case-number", "DEMO-01-2026"),
                ("charges", "Threatening behaviour (synthetic)"),
                ("hearing-type", "first-appearance"),
            ],
        ),
        (
            "purpose",
            "This is a liaison and diversion assessment to inform the court. It is not a psychiatric report.",
            vec![("sources", sources.as_str())],
        ),
        (
            "presentation",
            "Calm and polite. His thoughts jumped between topics. He believes his neighbour is watching him.",
            vec![],
        ),
        (
            "history",
            "Paranoid schizophrenia for ten years. Three hospital admissions under the Mental Health Act.",
            vec![],
        ),
        (
            "social",
            "Lives alone in a council flat. Receives benefits. No dependants.",
            vec![],
        ),
        (
            "services",
            "Known to the North Brent community mental health team. His care coordinator is a community psychiatric nurse.",
            vec![],
        ),
        (
            "participation",
            "He could not say what his solicitor is for, or how to tell her his side.",
            vec![
                ("charge", "yes"),
                ("charge-evidence", "Repeated the charge in his own words"),
                ("plea", "yes"),
                ("plea-evidence", "Knew what guilty and not guilty mean"),
                ("proceedings", "yes"),
                ("proceedings-evidence", "Followed the custody process"),
                ("instruct", "unclear"),
                ("instruct-evidence", "Could not say what his solicitor is for"),
                ("evidence", "yes"),
                ("evidence-evidence", "Gave a clear account to L&D"),
            ],
        ),
        (
            "risk",
            "He has threatened his neighbour. No violence is recorded.",
            vec![("source", risk.as_str())],
        ),
        (
            "options",
            "Bail with support from his care coordinator is possible.",
            vec![],
        ),
        (
            "author",
            "",
            vec![("registration", "Nursing and Midwifery Council, DEMO0001")],
        ),
    ];
    for (code, body, answered) in lines {
        let ticks: Vec<(&str, &[&str])> = match code {
            "options" => vec![("options", &["psychiatric-assessment", "bail-support"])],
            "participation" => vec![("adjustments", &["breaks", "check-understanding"])],
            _ => vec![],
        };
        let existing = if body.is_empty() {
            reports::load(conn, &id)?
                .and_then(|f| f.sections.into_iter().find(|s| s.code == code))
                .map(|s| s.body)
                .unwrap_or_default()
        } else {
            body.to_string()
        };
        write(conn, at, &id, (code, &existing), &answered, &ticks)?;
    }
    Ok(())
}
