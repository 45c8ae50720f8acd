//! The test SMTP server, driven by a tiny hand-written SMTP client.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::time::Duration;

use crate::smtp_server::{Mode, SmtpServer};

const WAIT: Duration = Duration::from_secs(5);

/// A minimal SMTP client: sends one line, reads one (possibly multi-line) reply.
struct Client {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl Client {
    fn connect(server: &SmtpServer) -> Client {
        let stream = TcpStream::connect(("127.0.0.1", server.port())).expect("connect to test SMTP server");
        stream.set_read_timeout(Some(WAIT)).unwrap();
        let writer = stream.try_clone().unwrap();
        let mut client = Client {
            reader: BufReader::new(stream),
            writer,
        };
        let (code, _) = client.read_reply();
        assert_eq!(code, 220, "greeting");
        client
    }

    /// The reply code and every line's text.
    fn read_reply(&mut self) -> (u16, Vec<String>) {
        let mut lines = Vec::new();
        loop {
            let mut line = String::new();
            let n = self.reader.read_line(&mut line).expect("read reply");
            assert!(n > 0, "connection closed while waiting for a reply (got {lines:?})");
            assert!(line.ends_with("\r\n"), "reply line not CRLF-terminated: {line:?}");
            let line = line.trim_end().to_string();
            let code: u16 = line[..3].parse().expect("reply code");
            let last = line.as_bytes().get(3) != Some(&b'-');
            lines.push(line);
            if last {
                return (code, lines);
            }
        }
    }

    fn cmd(&mut self, line: &str) -> u16 {
        self.cmd_lines(line).0
    }

    fn cmd_lines(&mut self, line: &str) -> (u16, Vec<String>) {
        self.writer
            .write_all(format!("{line}\r\n").as_bytes())
            .expect("send command");
        self.read_reply()
    }

    /// DATA with dot-stuffing and the terminating dot; the reply code after the message.
    fn data(&mut self, message: &str) -> u16 {
        assert_eq!(self.cmd("DATA"), 354);
        let mut wire = String::new();
        // The message's final CRLF is the first half of the terminating CRLF.CRLF.
        for line in message.strip_suffix("\r\n").unwrap_or(message).split("\r\n") {
            if line.starts_with('.') {
                wire.push('.');
            }
            wire.push_str(line);
            wire.push_str("\r\n");
        }
        wire.push_str(".\r\n");
        self.writer.write_all(wire.as_bytes()).expect("send message");
        self.read_reply().0
    }

    fn send(&mut self, from: &str, to: &[&str], message: &str) -> u16 {
        assert_eq!(self.cmd(&format!("MAIL FROM:<{from}>")), 250);
        for rcpt in to {
            let code = self.cmd(&format!("RCPT TO:<{rcpt}>"));
            if code != 250 {
                return code;
            }
        }
        self.data(message)
    }
}

fn simple_message(subject: &str) -> String {
    format!(
        "From: outbox@liaison.test\r\nTo: a@example.org\r\nSubject: {subject}\r\n\
         Message-ID: <{subject}@liaison.test>\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n\
         Plain body for {subject}.\r\n"
    )
}

#[test]
fn accepts_multipart_message_and_decodes_its_parts() {
    let server = SmtpServer::start();
    assert_eq!(server.url(), format!("smtp://127.0.0.1:{}", server.port()));
    let mut client = Client::connect(&server);

    let (code, ehlo) = client.cmd_lines("EHLO client.test");
    assert_eq!(code, 250);
    assert!(ehlo.len() > 1, "multi-line EHLO: {ehlo:?}");
    let (last, rest) = ehlo.split_last().unwrap();
    assert!(rest.iter().all(|l| l.starts_with("250-")), "{ehlo:?}");
    assert!(last.starts_with("250 "), "{ehlo:?}");
    assert_eq!(client.cmd("NOOP"), 250);
    assert_eq!(client.cmd("VRFY someone"), 502);
    assert_eq!(client.cmd("DATA"), 503, "DATA before RCPT");

    // "Grüße, Ärzte" in UTF-8, quoted-printable with a soft line break; "<p>Grüße</p>\r\n" in
    // base64; a folded header; a line that needs dot-stuffing.
    let message = "From: Liaison <outbox@liaison.test>\r\n\
        To: a@example.org, b@example.org\r\n\
        Subject: =?utf-8?b?R3LDvMOfZQ==?= =?utf-8?b?IHVuZCBTY2hsdXNz?= now\r\n\
        Message-ID: <abc.123@liaison.test>\r\n\
        X-Folded: first\r\n\tsecond\r\n\
        MIME-Version: 1.0\r\n\
        Content-Type: multipart/alternative;\r\n boundary=\"b0und4ry\"\r\n\
        \r\n\
        --b0und4ry\r\n\
        Content-Type: text/plain; charset=utf-8\r\n\
        Content-Transfer-Encoding: quoted-printable\r\n\
        \r\n\
        Gr=C3=BC=C3=9Fe, =C3=84rz=\r\n\
        te\r\n\
        .dotted line\r\n\
        --b0und4ry\r\n\
        Content-Type: text/html; charset=utf-8\r\n\
        Content-Transfer-Encoding: base64\r\n\
        \r\n\
        PHA+R3LDvMOfZTwvcD4NCg==\r\n\
        --b0und4ry--\r\n";
    assert_eq!(
        client.send("outbox@liaison.test", &["a@example.org", "b@example.org"], message),
        250
    );

    // Same connection, RSET in between, as lettre's pool does.
    assert_eq!(client.cmd("RSET"), 250);
    assert_eq!(
        client.send("outbox@liaison.test", &["c@example.org"], &simple_message("second")),
        250
    );
    assert_eq!(client.cmd("QUIT"), 221);

    let messages = server.wait_for_messages(2, WAIT);
    assert_eq!(messages.len(), 2);
    assert_eq!(server.attempts(), 2);

    let first = &messages[0];
    assert_eq!(first.mail_from, "outbox@liaison.test");
    assert_eq!(first.rcpt_to, vec!["a@example.org", "b@example.org"]);
    assert!(first.data.starts_with("From: Liaison <outbox@liaison.test>\r\n"));
    assert!(
        first.data.contains("\r\n.dotted line\r\n"),
        "dot-unstuffed: {}",
        first.data
    );
    assert!(!first.data.contains("..dotted"));
    assert_eq!(first.header("to").as_deref(), Some("a@example.org, b@example.org"));
    assert_eq!(first.header("X-FOLDED").as_deref(), Some("first\tsecond"));
    assert_eq!(first.header("X-Missing"), None);
    assert_eq!(first.message_id().as_deref(), Some("<abc.123@liaison.test>"));
    assert_eq!(first.subject().as_deref(), Some("Grüße und Schluss now"));
    assert_eq!(first.text_part().as_deref(), Some("Grüße, Ärzte\n.dotted line"));
    assert_eq!(first.html_part().as_deref(), Some("<p>Grüße</p>\n"));

    let second = &messages[1];
    assert_eq!(second.rcpt_to, vec!["c@example.org"]);
    assert_eq!(second.subject().as_deref(), Some("second"));
    assert_eq!(second.message_id().as_deref(), Some("<second@liaison.test>"));
    assert_eq!(second.text_part().as_deref(), Some("Plain body for second.\n"));
    assert_eq!(second.html_part(), None);
}

#[test]
fn parts_are_found_inside_nested_multiparts() {
    let server = SmtpServer::start();
    let mut client = Client::connect(&server);
    assert_eq!(client.cmd("HELO client.test"), 250);
    let message = "Subject: nested\r\n\
        Content-Type: multipart/mixed; boundary=outer\r\n\
        \r\n\
        preamble\r\n\
        --outer\r\n\
        Content-Type: multipart/alternative; boundary=inner\r\n\
        \r\n\
        --inner\r\n\
        \r\n\
        implicit text/plain\r\n\
        --inner\r\n\
        Content-Type: TEXT/HTML\r\n\
        \r\n\
        <b>7bit</b>\r\n\
        --inner--\r\n\
        --outer\r\n\
        Content-Type: application/pdf\r\n\
        Content-Transfer-Encoding: base64\r\n\
        \r\n\
        JVBERi0=\r\n\
        --outer--\r\n\
        epilogue\r\n";
    assert_eq!(client.send("a@liaison.test", &["b@example.org"], message), 250);
    let messages = server.wait_for_messages(1, WAIT);
    assert_eq!(messages[0].text_part().as_deref(), Some("implicit text/plain"));
    assert_eq!(messages[0].html_part().as_deref(), Some("<b>7bit</b>"));
}

#[test]
fn temp_fail_answers_451_and_stores_nothing() {
    let server = SmtpServer::start();
    server.set_mode(Mode::TempFail);
    let mut client = Client::connect(&server);
    assert_eq!(client.cmd("EHLO client.test"), 250);
    assert_eq!(
        client.send("a@liaison.test", &["b@example.org"], &simple_message("t1")),
        451
    );
    assert_eq!(client.cmd("RSET"), 250);
    assert_eq!(server.wait_for_attempts(1, WAIT), 1);

    // The mode switching between RCPT and the end of DATA fails at the end of DATA.
    server.set_mode(Mode::Accept);
    assert_eq!(client.cmd("MAIL FROM:<a@liaison.test>"), 250);
    assert_eq!(client.cmd("RCPT TO:<b@example.org>"), 250);
    server.set_mode(Mode::TempFail);
    assert_eq!(client.data(&simple_message("t2")), 451);
    assert!(server.messages().is_empty());

    // A retry once the fault clears is delivered.
    server.set_mode(Mode::Accept);
    assert_eq!(
        client.send("a@liaison.test", &["b@example.org"], &simple_message("t3")),
        250
    );
    assert_eq!(client.cmd("QUIT"), 221);
    let messages = server.wait_for_messages(1, WAIT);
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].subject().as_deref(), Some("t3"));
    assert_eq!(server.attempts(), 3);
}

#[test]
fn perm_fail_answers_550_and_stores_nothing() {
    let server = SmtpServer::start();
    server.set_mode(Mode::PermFail);
    let mut client = Client::connect(&server);
    assert_eq!(client.cmd("EHLO client.test"), 250);
    assert_eq!(
        client.send("a@liaison.test", &["b@example.org"], &simple_message("p1")),
        550
    );
    assert_eq!(client.cmd("RSET"), 250);

    server.set_mode(Mode::Accept);
    assert_eq!(client.cmd("MAIL FROM:<a@liaison.test>"), 250);
    assert_eq!(client.cmd("MAIL FROM:<a@liaison.test>"), 503, "nested MAIL");
    assert_eq!(client.cmd("RCPT TO:<b@example.org>"), 250);
    server.set_mode(Mode::PermFail);
    assert_eq!(client.data(&simple_message("p2")), 550);
    assert_eq!(client.cmd("QUIT"), 221);

    assert!(server.messages().is_empty());
    assert_eq!(server.attempts(), 3);
}

#[test]
fn stop_refuses_connections_and_restart_listens_on_the_same_port() {
    let server = SmtpServer::start();
    let port = server.port();
    let mut pooled = Client::connect(&server);
    assert_eq!(pooled.cmd("EHLO client.test"), 250);

    server.stop();
    let refused = TcpStream::connect(("127.0.0.1", port));
    assert!(refused.is_err(), "connection after stop() must be refused");
    // An open (pooled) connection is cut too.
    pooled.writer.write_all(b"NOOP\r\n").ok();
    let mut line = String::new();
    assert!(
        matches!(pooled.reader.read_line(&mut line), Ok(0) | Err(_)),
        "open connection survived stop(): {line:?}"
    );
    server.stop(); // idempotent

    server.restart();
    assert_eq!(server.port(), port);
    let mut client = Client::connect(&server);
    assert_eq!(client.cmd("EHLO client.test"), 250);
    assert_eq!(
        client.send("a@liaison.test", &["b@example.org"], &simple_message("back")),
        250
    );
    assert_eq!(client.cmd("QUIT"), 221);
    assert_eq!(server.wait_for_messages(1, WAIT)[0].subject().as_deref(), Some("back"));

    // Restarting a running server also works, and more than once.
    server.restart();
    server.stop();
    assert!(TcpStream::connect(("127.0.0.1", port)).is_err());
    server.restart();
    let mut client = Client::connect(&server);
    assert_eq!(client.cmd("QUIT"), 221);
}

#[test]
#[should_panic(expected = "expected 1 message(s)")]
fn wait_for_messages_panics_on_timeout() {
    let server = SmtpServer::start();
    server.wait_for_messages(1, Duration::from_millis(50));
}
