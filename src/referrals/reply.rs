//! The conversation on a referral: a partner asks for more information through their answer
//! link, and a practitioner answers from the referral's reply page. The answer goes through
//! the outbox like the referral itself, with a fresh single-use link so the partner can then
//! accept, decline or ask again. Every turn is kept in `referral_messages`.

use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use maud::{Markup, html};
use serde::Deserialize;

use super::{Referral, Status};
use crate::audit::Event;
use crate::clock::Millis;
use crate::db::schema::{referral_messages, referrals, users};
use crate::db::{DbConnection, one_of};
use crate::domain::ids::ReferralId;
use crate::domain::local_time;
use crate::email::templates::Purpose;
use crate::records::timeline;
use crate::views::components;
use crate::views::form::Errors;
use crate::web::context::Ctx;
use crate::web::error::AppError;
use crate::web::see_other;

/// The longest reply, as for the partner's own answer.
const MAX_CHARS: usize = 2000;

/// Who wrote a message on a referral.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sender {
    Partner,
    Team,
}

impl Sender {
    fn code(self) -> &'static str {
        match self {
            Sender::Partner => "partner",
            Sender::Team => "team",
        }
    }
}

/// One turn of the conversation, as the referral shows it.
pub struct Message {
    pub referral_id: String,
    pub sender: Sender,
    /// The partner's address, or the practitioner's name.
    pub from: String,
    pub body: String,
    pub at: Millis,
}

/// Keeps one turn; `author` is the partner's address or the practitioner's user id.
pub fn add(
    conn: &mut DbConnection,
    now: Millis,
    referral_id: &str,
    sender: Sender,
    author: &str,
    body: &str,
) -> QueryResult<()> {
    diesel::insert_into(referral_messages::table)
        .values((
            referral_messages::id.eq(crate::domain::new_id()),
            referral_messages::referral_id.eq(referral_id),
            referral_messages::sender.eq(sender.code()),
            referral_messages::author.eq(author),
            referral_messages::body.eq(body),
            referral_messages::created_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// The messages on these referrals, oldest first, with practitioners named (one query).
pub fn for_referrals(conn: &mut DbConnection, referral_ids: &[&str]) -> QueryResult<Vec<Message>> {
    let rows: Vec<(String, String, String, Option<String>, String, Millis)> = referral_messages::table
        .left_join(users::table.on(users::id.eq(referral_messages::author)))
        .filter(one_of(referral_messages::referral_id, referral_ids))
        .order((referral_messages::created_at.asc(), referral_messages::id.asc()))
        .select((
            referral_messages::referral_id,
            referral_messages::sender,
            referral_messages::author,
            users::display_name.nullable(),
            referral_messages::body,
            referral_messages::created_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(referral_id, sender, author, name, body, at)| Message {
            referral_id,
            sender: if sender == "team" {
                Sender::Team
            } else {
                Sender::Partner
            },
            from: name.unwrap_or(author),
            body,
            at,
        })
        .collect())
}

/// The conversation on one referral, for its card on the episode page and its reply page.
pub fn thread<'a>(messages: impl Iterator<Item = &'a Message>) -> Markup {
    html! {
        @for m in messages {
            div.app-message.app-message--team[m.sender == Sender::Team] {
                p.app-hint {
                    @match m.sender { Sender::Partner => "From the service", Sender::Team => "Our reply" }
                    " – " (m.from) ", " (local_time::date_time(m.at))
                }
                p.app-message__body { (m.body) }
            }
        }
    }
}

#[derive(Deserialize, Default, Debug)]
pub struct ReplyForm {
    #[serde(default)]
    message: String,
}

impl ReplyForm {
    fn validate(&self) -> Result<String, Errors> {
        let text = self.message.trim();
        let mut errors = Errors::default();
        if text.is_empty() {
            errors.add("message", "Enter your answer to the service's question");
        } else if text.chars().count() > MAX_CHARS {
            errors.add("message", "Your answer must be 2000 characters or fewer");
        }
        if errors.is_empty() {
            Ok(text.to_string())
        } else {
            Err(errors)
        }
    }
}

fn page(ctx: &Ctx, r: &Referral, messages: &[Message], form: &ReplyForm, errors: &Errors) -> HttpResponse {
    let body = html! {
        (components::error_summary(errors))
        span.app-caption { "Referral " (r.reference) }
        h1.app-heading-l { "Answer the request for more information" }
        p { "Your answer is emailed to the service with a new link, so they can accept or decline the referral, or ask again. Share only what the referral needs." }
        h2.app-heading-m { "The conversation so far" }
        (thread(messages.iter()))
        form method="post" action={ "/referrals/" (r.id) "/reply" } novalidate {
            (components::csrf_field(&ctx.user.csrf_token))
            (components::textarea("message", "Your answer", &form.message, Some("Up to 2000 characters. A service at an address that is not secure gets a notice to telephone you instead of your answer."), errors))
            button.app-button type="submit" { "Send answer" }
        }
        p { a href={ "/episodes/" (r.episode_id) "#referrals" } { "Back to the episode" } }
    };
    ctx.form_page("Answer the request for more information", errors, body)
}

async fn load(ctx: &Ctx, id: ReferralId) -> Result<(Referral, Vec<Message>), AppError> {
    let (r, _) = super::load_for(ctx, id).await?;
    if r.status != Status::MoreInformation {
        return Err(AppError::Refused(
            "Only a referral whose service has asked for more information can be answered".into(),
        ));
    }
    let rid = r.id.clone();
    let messages = ctx.read(move |conn| Ok(for_referrals(conn, &[&rid])?)).await?;
    Ok((r, messages))
}

pub async fn show(ctx: Ctx, id: web::Path<ReferralId>) -> Result<HttpResponse, AppError> {
    let (r, messages) = load(&ctx, id.into_inner()).await?;
    Ok(page(&ctx, &r, &messages, &ReplyForm::default(), &Errors::default()))
}

pub async fn send(ctx: Ctx, id: web::Path<ReferralId>, form: web::Form<ReplyForm>) -> Result<HttpResponse, AppError> {
    let form = form.into_inner();
    let (r, messages) = load(&ctx, id.into_inner()).await?;
    let text = match form.validate() {
        Ok(text) => text,
        Err(errors) => return Ok(page(&ctx, &r, &messages, &form, &errors)),
    };
    let (uid, config, episode) = (ctx.user.id.clone(), ctx.state.config.clone(), r.episode_id.clone());
    ctx.write(move |tx| {
        // Only the first of two replies sent at once goes out.
        let reopened = diesel::update(
            referrals::table
                .find(&r.id)
                .filter(referrals::status.eq(Status::MoreInformation.code())),
        )
        .set((
            referrals::status.eq(Status::Queued.code()),
            referrals::answered_at.eq(None::<Millis>),
            referrals::answer_reason.eq(None::<String>),
            referrals::answer_message.eq(None::<String>),
            // The wait for an answer, and its reminders, start again from the reply.
            referrals::chase_count.eq(0),
            referrals::last_chased_at.eq(None::<Millis>),
            referrals::updated_at.eq(tx.now),
        ))
        .execute(tx.conn)?;
        if reopened == 0 {
            return Err(AppError::Refused("This request has already been answered".into()));
        }
        let follow_up = super::follow_up::FollowUp::load(tx.conn, &r, &uid)?.ok_or_else(|| {
            AppError::Refused("The service is no longer in the directory; telephone them instead".into())
        })?;
        let question = r.answer_message.as_deref().unwrap_or("(asked by telephone)");
        let queued = follow_up.queue(tx.conn, tx.now, &config, &r, Purpose::Reply { question, reply: &text })?;
        add(tx.conn, tx.now, &r.id, Sender::Team, &uid, &text)?;
        r.on_timeline(
            tx.conn,
            (tx.now, &uid),
            timeline::Kind::Contact,
            &format!("Answered the request for more information on referral {}", r.reference),
        )?;
        tx.audit(
            Event::allowed("email")
                .record("referral", &r.id)
                .detail(format!("reply to more information; {queued} queued")),
        )
    })
    .await?;
    ctx.state.outbox.wake();
    Ok(see_other(&format!("/episodes/{episode}?done=replied#referrals")))
}
