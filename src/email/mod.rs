//! Email handoff: a durable outbox in the database, a worker that sends it, and the messages.

pub mod hooks;
pub mod mailer;
pub mod outbox;
pub mod templates;
pub mod worker;
