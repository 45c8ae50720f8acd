//! The email measure: queue referral emails in the outbox, let the server's worker send them
//! to the loopback sink, and time the drain while N clients keep loading the live list.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use diesel::prelude::*;

use super::load::{self, MakeRequest, Stats};
use super::smtp::Sink;
use crate::clock::{Clock, SystemClock};
use crate::db::schema::outbox as table;
use crate::db::{Pool, one_of, write_tx};
use crate::email::{outbox, templates};

#[derive(Clone, Debug, serde::Serialize)]
pub struct EmailReport {
    pub queued: usize,
    /// Distinct queued messages the sink received.
    pub received: usize,
    /// Deliveries of a Message-ID beyond its first.
    pub duplicates: u64,
    /// Messages the sink took that the bench did not queue (e.g. the server's own chases).
    pub other_messages: u64,
    /// Queued messages the outbox has not marked sent once the sink had them all.
    pub not_marked_sent: i64,
    /// Whether every queued message arrived before the deadline (a minute, plus 250 ms a message).
    pub complete: bool,
    /// From the commit of the queue to the last message received.
    pub drain_secs: f64,
    /// From the commit to the first message received (the worker's pick-up).
    pub first_after_secs: f64,
    /// Messages per second between the first and the last received.
    pub messages_per_sec: f64,
    /// The live list, loaded by N clients from the first message to the last.
    pub list_while_draining: Stats,
}

/// Queues `n` referral letters in one transaction; returns (row id, Message-ID) pairs and
/// when the transaction committed.
fn enqueue(pool: &Pool, n: usize) -> Result<(Vec<(String, String)>, Instant), String> {
    let mut conn = pool.get().map_err(|e| format!("database: {e}"))?;
    let now = SystemClock.now_ms();
    let ids = write_tx(&mut conn, |conn| {
        let mut ids = Vec::with_capacity(n);
        for i in 0..n {
            let reference = format!("BENCH-{i:05}");
            let letter = templates::letter(&referral(&reference), &PERSON);
            let message = outbox::NewMessage {
                referral_id: None,
                recipient: "Bench Referrals <referrals@bench.invalid>",
                subject: &letter.subject,
                body_text: &letter.text,
                body_html: Some(&letter.html),
            };
            let id = outbox::enqueue(conn, now, &message)?;
            let message_id: String = table::table.find(&id).select(table::message_id).first(conn)?;
            ids.push((id, message_id));
        }
        Ok::<_, diesel::result::Error>(ids)
    })
    .map_err(|e| format!("cannot queue the bench's emails: {e}"))?;
    Ok((ids, Instant::now()))
}

const PERSON: templates::Person<'static> = templates::Person {
    name: "Alex Bench (synthetic)",
    date_of_birth: "1 Jan 1990",
    nhs_number: Some("999 000 0000"),
};

fn referral(reference: &str) -> templates::Referral<'_> {
    templates::Referral {
        reference,
        team: "Bench L&D",
        contact_phone: "020 7946 0000",
        practitioner: "Bench Practitioner",
        service: "Community mental health team",
        urgency: "Routine",
        answer_url: "http://127.0.0.1/answer/bench",
        answer_by: "Friday",
        reason: "Synthetic referral queued by `liaison bench` to time the outbox.",
        shared_information: "None: synthetic.",
        consent_statement: "Synthetic: no person.",
        purpose: crate::email::templates::Purpose::First,
    }
}

/// How many of the rows are still not marked sent.
fn unsent(pool: &Pool, ids: &[String]) -> Result<i64, String> {
    let mut conn = pool.get().map_err(|e| format!("database: {e}"))?;
    let mut left = 0;
    for chunk in ids.chunks(500) {
        left += table::table
            .filter(one_of(table::id, chunk))
            .filter(table::status.ne(outbox::Status::Sent.code()))
            .count()
            .get_result::<i64>(&mut conn)
            .map_err(|e| format!("database: {e}"))?;
    }
    Ok(left)
}

pub async fn measure(
    pool: Pool,
    sink: &Sink,
    addr: SocketAddr,
    clients: usize,
    n: usize,
    list: MakeRequest,
) -> Result<EmailReport, String> {
    let already = sink.messages();
    let p = pool.clone();
    let (ids, committed) = tokio::task::spawn_blocking(move || enqueue(&p, n))
        .await
        .map_err(|e| e.to_string())??;
    let message_ids: Vec<String> = ids.iter().map(|(_, m)| m.clone()).collect();
    let deadline = committed + Duration::from_secs(60) + Duration::from_millis(250 * n as u64);
    while sink.arrivals(&message_ids).is_empty() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    let stop = Arc::new(AtomicBool::new(false));
    let loader = tokio::spawn(load::run(
        addr,
        clients,
        deadline.saturating_duration_since(Instant::now()),
        Some(stop.clone()),
        list,
    ));
    while sink.arrivals(&message_ids).len() < n && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let complete = sink.arrivals(&message_ids).len() == n;
    stop.store(true, Ordering::Relaxed);
    let list_while_draining = loader.await.map_err(|e| e.to_string())?;
    // The outbox marks a message sent just after the sink answers; give it a moment.
    let row_ids: Vec<String> = ids.into_iter().map(|(id, _)| id).collect();
    let mut not_marked_sent = 0;
    for _ in 0..50 {
        let p = pool.clone();
        let rows = row_ids.clone();
        not_marked_sent = tokio::task::spawn_blocking(move || unsent(&p, &rows))
            .await
            .map_err(|e| e.to_string())??;
        if not_marked_sent == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Read the sink after the outbox, so a message sent meanwhile counts as received.
    let arrivals = sink.arrivals(&message_ids);
    let first = arrivals.iter().map(|a| a.first).min();
    let last = arrivals.iter().map(|a| a.first).max();
    let secs_after = |t: Option<Instant>| t.map_or(0.0, |t| t.saturating_duration_since(committed).as_secs_f64());
    let sending = match (first, last) {
        (Some(f), Some(l)) => l.saturating_duration_since(f).as_secs_f64(),
        _ => 0.0,
    };
    let received = arrivals.len();
    let duplicates = arrivals.iter().map(|a| u64::from(a.count - 1)).sum();
    Ok(EmailReport {
        queued: n,
        received,
        duplicates,
        other_messages: sink.messages().saturating_sub(already + received as u64 + duplicates),
        not_marked_sent,
        complete,
        drain_secs: secs_after(last),
        first_after_secs: secs_after(first),
        messages_per_sec: if sending > 0.0 { received as f64 / sending } else { 0.0 },
        list_while_draining,
    })
}
