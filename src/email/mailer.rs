//! Where messages go: an SMTP server through one pooled lettre transport, or files under the
//! data directory when no SMTP server is configured (development and demos).

use std::path::PathBuf;
use std::time::Duration;

use lettre::message::{Mailbox, MultiPart, header::ContentType};
use lettre::transport::smtp::PoolConfig;
use lettre::{Message, SmtpTransport, Transport};

use crate::config::Config;

/// A message ready to send; `message_id` is stable across retries.
pub struct Outgoing<'a> {
    pub message_id: &'a str,
    pub to: &'a str,
    pub subject: &'a str,
    pub text: &'a str,
    pub html: Option<&'a str>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum SendError {
    /// Worth trying again later: the server is down, busy or said 4xx.
    Transient(String),
    /// Never going to work: a 5xx answer or an address that cannot be used.
    Permanent(String),
}

pub enum Mailer {
    Smtp { transport: SmtpTransport, from: Mailbox },
    Files { dir: PathBuf, from: Mailbox },
}

impl Mailer {
    pub fn from_config(config: &Config) -> Result<Mailer, String> {
        let from: Mailbox = config
            .mail_from
            .parse()
            .map_err(|e| format!("invalid setting `mail_from`: {e}"))?;
        match &config.smtp_url {
            Some(url) => {
                crate::domain::smtp_url::check_smtp_url(url).map_err(|e| format!("invalid setting `smtp_url`: {e}"))?;
                let transport = SmtpTransport::from_url(url)
                    .map_err(|e| format!("invalid setting `smtp_url`: {e}"))?
                    .timeout(Some(Duration::from_secs(20)))
                    .pool_config(PoolConfig::new().max_size(super::worker::SENDERS as u32))
                    .build();
                Ok(Mailer::Smtp { transport, from })
            }
            None => Ok(Mailer::Files {
                dir: config.data_dir.join("outbox-mail"),
                from,
            }),
        }
    }

    fn from(&self) -> &Mailbox {
        match self {
            Mailer::Smtp { from, .. } | Mailer::Files { from, .. } => from,
        }
    }

    fn build(&self, m: &Outgoing<'_>) -> Result<Message, SendError> {
        let to: Mailbox =
            m.to.parse()
                .map_err(|e| SendError::Permanent(format!("recipient address: {e}")))?;
        let builder = Message::builder()
            .from(self.from().clone())
            .to(to)
            .subject(m.subject)
            .message_id(Some(format!("<{}>", m.message_id)));
        let built = match m.html {
            Some(html) => builder.multipart(MultiPart::alternative_plain_html(m.text.to_string(), html.to_string())),
            None => builder.header(ContentType::TEXT_PLAIN).body(m.text.to_string()),
        };
        built.map_err(|e| SendError::Permanent(format!("message: {e}")))
    }

    /// Sends one message. Blocking: call it from the outbox worker's thread, never a request.
    pub fn send(&self, m: &Outgoing<'_>) -> Result<(), SendError> {
        let message = self.build(m)?;
        match self {
            Mailer::Smtp { transport, .. } => transport.send(&message).map(|_| ()).map_err(|e| {
                if e.is_permanent() {
                    SendError::Permanent(e.to_string())
                } else {
                    SendError::Transient(e.to_string())
                }
            }),
            Mailer::Files { dir, .. } => {
                std::fs::create_dir_all(dir).map_err(|e| SendError::Transient(format!("mail directory: {e}")))?;
                let name: String = m
                    .message_id
                    .chars()
                    .map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' })
                    .collect();
                std::fs::write(dir.join(format!("{name}.eml")), message.formatted())
                    .map_err(|e| SendError::Transient(format!("mail file: {e}")))
            }
        }
    }
}
