//! A real SMTP server on 127.0.0.1 for delivery and fault tests of the email outbox.
//!
//! Plain SMTP only (no TLS, no AUTH): EHLO/HELO, MAIL FROM, RCPT TO, DATA, RSET, NOOP, QUIT.
//! One thread accepts, one thread serves each connection, and every read has a timeout so a
//! dead client cannot hang the server. Faults are switched at run time with [`SmtpServer::set_mode`],
//! and [`SmtpServer::stop`] / [`SmtpServer::restart`] take the server down and bring it back on
//! the same port.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// How long a connection may stay silent before the server closes it.
const READ_TIMEOUT: Duration = Duration::from_secs(10);
/// Longest command or data line the server reads; longer input closes the connection.
const MAX_LINE: u64 = 1 << 20;
/// How the server names itself in its greeting and EHLO reply.
const HOSTNAME: &str = "smtp.liaison.test";

/// How the server answers mail transactions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Accept every recipient and message.
    Accept,
    /// `451` to every RCPT TO (and to the end of DATA if the mode changed mid-transaction).
    TempFail,
    /// `550` to every RCPT TO (and to the end of DATA if the mode changed mid-transaction).
    PermFail,
}

/// One message accepted with `250` after DATA.
#[derive(Clone, Debug)]
pub struct ReceivedMessage {
    pub mail_from: String,
    pub rcpt_to: Vec<String>,
    /// The raw RFC 5322 message as sent, CRLF line endings, dot-unstuffed.
    pub data: String,
}

impl ReceivedMessage {
    /// The first header called `name` (case-insensitive), unfolded and trimmed, not decoded.
    pub fn header(&self, name: &str) -> Option<String> {
        let (headers, _) = split_entity(&self.data);
        find_header(&headers, name)
    }

    /// The raw `Message-ID` header, angle brackets included.
    pub fn message_id(&self) -> Option<String> {
        self.header("Message-ID")
    }

    /// The `Subject` header with RFC 2047 encoded words decoded.
    pub fn subject(&self) -> Option<String> {
        self.header("Subject").map(|s| decode_encoded_words(&s))
    }

    /// The decoded `text/plain` body (line endings normalised to `\n`), searching multipart
    /// messages depth-first; a single part without `Content-Type` counts as text/plain.
    pub fn text_part(&self) -> Option<String> {
        find_part(&self.data, "text/plain")
    }

    /// The decoded `text/html` body (line endings normalised to `\n`), as [`Self::text_part`].
    pub fn html_part(&self) -> Option<String> {
        find_part(&self.data, "text/html")
    }
}

/// A running (or stopped) test SMTP server; dropping it stops it.
pub struct SmtpServer {
    port: u16,
    shared: Arc<Shared>,
    running: Mutex<Option<Running>>,
}

struct Shared {
    mode: Mutex<Mode>,
    messages: Mutex<Vec<ReceivedMessage>>,
    /// Signalled whenever a message or an attempt arrives, so waiters need no polling.
    arrived: Condvar,
    attempts: AtomicUsize,
    /// Open connections, so stopping the server also cuts pooled client connections.
    connections: Mutex<HashMap<u64, TcpStream>>,
    next_connection: AtomicU64,
    /// The most connections open at one moment.
    peak_connections: AtomicUsize,
}

struct Running {
    stop: Arc<AtomicBool>,
    accept_thread: JoinHandle<()>,
}

impl SmtpServer {
    /// Binds 127.0.0.1 on a free port and serves on background threads, in [`Mode::Accept`].
    pub fn start() -> SmtpServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind test SMTP server on 127.0.0.1:0");
        let port = listener.local_addr().expect("test SMTP server address").port();
        let shared = Arc::new(Shared {
            mode: Mutex::new(Mode::Accept),
            messages: Mutex::new(Vec::new()),
            arrived: Condvar::new(),
            attempts: AtomicUsize::new(0),
            connections: Mutex::new(HashMap::new()),
            next_connection: AtomicU64::new(0),
            peak_connections: AtomicUsize::new(0),
        });
        let running = spawn_acceptor(listener, Arc::clone(&shared));
        SmtpServer {
            port,
            shared,
            running: Mutex::new(Some(running)),
        }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// `smtp://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn set_mode(&self, mode: Mode) {
        *lock(&self.shared.mode) = mode;
    }

    /// Every message accepted so far, in order of acceptance.
    pub fn messages(&self) -> Vec<ReceivedMessage> {
        lock(&self.shared.messages).clone()
    }

    /// How many `MAIL FROM` commands arrived, whatever became of them.
    pub fn attempts(&self) -> usize {
        self.shared.attempts.load(Ordering::SeqCst)
    }

    /// The most client connections that were open at one moment.
    pub fn peak_connections(&self) -> usize {
        self.shared.peak_connections.load(Ordering::SeqCst)
    }

    /// Blocks until `done` holds for the stored messages and attempt count, or `timeout` passes.
    fn wait_until(&self, timeout: Duration, done: impl Fn(&[ReceivedMessage], usize) -> bool) -> bool {
        let deadline = Instant::now() + timeout;
        let mut messages = lock(&self.shared.messages);
        loop {
            if done(&messages, self.attempts()) {
                return true;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            messages = match self.shared.arrived.wait_timeout(messages, left) {
                Ok((guard, _)) => guard,
                Err(poisoned) => poisoned.into_inner().0,
            };
        }
    }

    /// Waits until at least `n` messages were accepted and returns them all; panics after `timeout`.
    pub fn wait_for_messages(&self, n: usize, timeout: Duration) -> Vec<ReceivedMessage> {
        if !self.wait_until(timeout, |m, _| m.len() >= n) {
            let messages = self.messages();
            let subjects: Vec<_> = messages.iter().map(|m| m.subject()).collect();
            panic!(
                "test SMTP server: expected {n} message(s) within {timeout:?}, got {} (subjects {subjects:?}; \
                 {} MAIL FROM attempt(s))",
                messages.len(),
                self.attempts()
            );
        }
        self.messages()
    }

    /// Waits until at least `n` `MAIL FROM` attempts arrived and returns the count; panics after
    /// `timeout`. For fault tests, where failed attempts leave no message behind.
    pub fn wait_for_attempts(&self, n: usize, timeout: Duration) -> usize {
        if !self.wait_until(timeout, |_, attempts| attempts >= n) {
            panic!(
                "test SMTP server: expected {n} MAIL FROM attempt(s) within {timeout:?}, got {}",
                self.attempts()
            );
        }
        self.attempts()
    }

    /// Closes the listener (new connections are refused) and cuts open connections. No-op if
    /// already stopped.
    pub fn stop(&self) {
        let Some(running) = lock(&self.running).take() else {
            return;
        };
        running.stop.store(true, Ordering::SeqCst);
        // Wake the blocking accept so the thread sees the flag and drops the listener.
        let _ = TcpStream::connect_timeout(&SocketAddr::from(([127, 0, 0, 1], self.port)), Duration::from_secs(2));
        running.accept_thread.join().expect("test SMTP accept thread panicked");
        for (_, stream) in lock(&self.shared.connections).drain() {
            let _ = stream.shutdown(Shutdown::Both);
        }
    }

    /// Listens again on the same port (stopping first if running). Messages, attempts and mode
    /// are kept.
    pub fn restart(&self) {
        self.stop();
        // The std listener sets SO_REUSEADDR, so the port can be bound again at once.
        let listener = TcpListener::bind(("127.0.0.1", self.port))
            .unwrap_or_else(|e| panic!("test SMTP server: cannot listen again on 127.0.0.1:{}: {e}", self.port));
        *lock(&self.running) = Some(spawn_acceptor(listener, Arc::clone(&self.shared)));
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Locks, ignoring poisoning: a panicking connection thread must not hide the test's own failure.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn spawn_acceptor(listener: TcpListener, shared: Arc<Shared>) -> Running {
    let stop = Arc::new(AtomicBool::new(false));
    let stop_flag = Arc::clone(&stop);
    let accept_thread = thread::Builder::new()
        .name("test-smtp-accept".into())
        .spawn(move || {
            for stream in listener.incoming() {
                if stop_flag.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let id = shared.next_connection.fetch_add(1, Ordering::SeqCst);
                if let Ok(clone) = stream.try_clone() {
                    let mut open = lock(&shared.connections);
                    open.insert(id, clone);
                    shared.peak_connections.fetch_max(open.len(), Ordering::SeqCst);
                }
                let shared = Arc::clone(&shared);
                let _ = thread::Builder::new().name("test-smtp-conn".into()).spawn(move || {
                    let _ = serve(stream, &shared);
                    lock(&shared.connections).remove(&id);
                });
            }
            // The listener drops here: the port now refuses connections.
        })
        .expect("spawn test SMTP accept thread");
    Running { stop, accept_thread }
}

/// The state of the current mail transaction on one connection.
#[derive(Default)]
struct Transaction {
    mail_from: Option<String>,
    rcpt_to: Vec<String>,
}

fn serve(stream: TcpStream, shared: &Shared) -> std::io::Result<()> {
    stream.set_read_timeout(Some(READ_TIMEOUT))?;
    stream.set_write_timeout(Some(READ_TIMEOUT))?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    let mut reply = |text: &str| writer.write_all(format!("{text}\r\n").as_bytes());

    reply(&format!("220 {HOSTNAME} ESMTP test server ready"))?;
    let mut tx = Transaction::default();
    loop {
        let Some(line) = read_line(&mut reader)? else {
            return Ok(());
        };
        let line = String::from_utf8_lossy(&line);
        let line = line.trim_end_matches(['\r', '\n']);
        let (verb, arg) = match line.split_once(' ') {
            Some((verb, arg)) => (verb.to_ascii_uppercase(), arg.trim()),
            None => (line.to_ascii_uppercase(), ""),
        };
        match verb.as_str() {
            "EHLO" => {
                tx = Transaction::default();
                reply(&format!("250-{HOSTNAME} greets {arg}"))?;
                reply("250-8BITMIME")?;
                reply("250-SMTPUTF8")?;
                reply("250 SIZE 10485760")?;
            }
            "HELO" => {
                tx = Transaction::default();
                reply(&format!("250 {HOSTNAME}"))?;
            }
            "MAIL" => {
                {
                    // Counted under the messages lock so a waiter cannot miss the signal.
                    let _guard = lock(&shared.messages);
                    shared.attempts.fetch_add(1, Ordering::SeqCst);
                    shared.arrived.notify_all();
                }
                if tx.mail_from.is_some() {
                    reply("503 5.5.1 nested MAIL command")?;
                } else if let Some(addr) = path_argument(arg, "FROM:") {
                    tx.mail_from = Some(addr);
                    reply("250 2.1.0 sender ok")?;
                } else {
                    reply("501 5.5.4 syntax: MAIL FROM:<address>")?;
                }
            }
            "RCPT" => {
                if tx.mail_from.is_none() {
                    reply("503 5.5.1 need MAIL before RCPT")?;
                } else if let Some(addr) = path_argument(arg, "TO:") {
                    match *lock(&shared.mode) {
                        Mode::Accept => {
                            tx.rcpt_to.push(addr);
                            reply("250 2.1.5 recipient ok")?;
                        }
                        Mode::TempFail => reply("451 4.3.0 temporary failure, try again later")?,
                        Mode::PermFail => reply("550 5.1.1 mailbox unavailable")?,
                    }
                } else {
                    reply("501 5.5.4 syntax: RCPT TO:<address>")?;
                }
            }
            "DATA" => {
                if tx.rcpt_to.is_empty() {
                    reply("503 5.5.1 need RCPT before DATA")?;
                    continue;
                }
                reply("354 end data with <CR><LF>.<CR><LF>")?;
                let Some(data) = read_data(&mut reader)? else {
                    return Ok(());
                };
                let tx = std::mem::take(&mut tx);
                match *lock(&shared.mode) {
                    Mode::Accept => {
                        lock(&shared.messages).push(ReceivedMessage {
                            mail_from: tx.mail_from.unwrap_or_default(),
                            rcpt_to: tx.rcpt_to,
                            data,
                        });
                        shared.arrived.notify_all();
                        reply("250 2.0.0 ok: queued")?;
                    }
                    Mode::TempFail => reply("451 4.3.0 temporary failure, try again later")?,
                    Mode::PermFail => reply("550 5.7.1 message rejected")?,
                }
            }
            "RSET" => {
                tx = Transaction::default();
                reply("250 2.0.0 ok")?;
            }
            "NOOP" => reply("250 2.0.0 ok")?,
            "QUIT" => {
                reply(&format!("221 2.0.0 {HOSTNAME} closing connection"))?;
                return Ok(());
            }
            _ => reply("502 5.5.2 command not implemented")?,
        }
    }
}

/// One line including its line ending; `None` at end of input. Over-long lines are an error.
fn read_line(reader: &mut BufReader<TcpStream>) -> std::io::Result<Option<Vec<u8>>> {
    let mut line = Vec::new();
    reader.by_ref().take(MAX_LINE).read_until(b'\n', &mut line)?;
    if line.is_empty() {
        return Ok(None);
    }
    if !line.ends_with(b"\n") {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "line too long or cut",
        ));
    }
    Ok(Some(line))
}

/// The message after `354`, up to the lone `.`, dot-unstuffed; `None` if the client went away.
fn read_data(reader: &mut BufReader<TcpStream>) -> std::io::Result<Option<String>> {
    let mut data = Vec::new();
    loop {
        let Some(line) = read_line(reader)? else {
            return Ok(None);
        };
        if line == b".\r\n" || line == b".\n" {
            return Ok(Some(String::from_utf8_lossy(&data).into_owned()));
        }
        let unstuffed = line.strip_prefix(b".").unwrap_or(&line);
        data.extend_from_slice(unstuffed);
    }
}

/// The address in `FROM:<addr> PARAMS` / `TO:<addr>` (prefix case-insensitive).
fn path_argument(arg: &str, prefix: &str) -> Option<String> {
    let head = arg.get(..prefix.len())?;
    if !head.eq_ignore_ascii_case(prefix) {
        return None;
    }
    let rest = arg[prefix.len()..].trim_start();
    if let Some(inner) = rest.strip_prefix('<') {
        let end = inner.find('>')?;
        Some(inner[..end].to_string())
    } else {
        rest.split_whitespace().next().map(str::to_string)
    }
}

// --- MIME parsing -------------------------------------------------------------------------

/// Splits a message or body part into its unfolded header lines and its body.
fn split_entity(entity: &str) -> (Vec<String>, &str) {
    let mut headers: Vec<String> = Vec::new();
    let mut rest = entity;
    while !rest.is_empty() {
        let (line, after) = match rest.find('\n') {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, ""),
        };
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.is_empty() {
            return (headers, after);
        }
        match headers.last_mut() {
            // Unfolding removes only the line break; the leading white space stays.
            Some(last) if line.starts_with([' ', '\t']) => last.push_str(line),
            _ => headers.push(line.to_string()),
        }
        rest = after;
    }
    (headers, "")
}

fn find_header(headers: &[String], name: &str) -> Option<String> {
    headers.iter().find_map(|h| {
        let (key, value) = h.split_once(':')?;
        key.trim().eq_ignore_ascii_case(name).then(|| value.trim().to_string())
    })
}

/// The media type (lower case) and the parameters of a `Content-Type` value.
fn parse_content_type(value: &str) -> (String, HashMap<String, String>) {
    let mut pieces = value.split(';');
    let media_type = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
    let params = pieces
        .filter_map(|p| {
            let (k, v) = p.split_once('=')?;
            let v = v.trim();
            let v = v.strip_prefix('"').and_then(|v| v.strip_suffix('"')).unwrap_or(v);
            Some((k.trim().to_ascii_lowercase(), v.to_string()))
        })
        .collect();
    (media_type, params)
}

/// The first part of type `wanted` in `entity`, depth first, decoded.
fn find_part(entity: &str, wanted: &str) -> Option<String> {
    let (headers, body) = split_entity(entity);
    let (media_type, params) = match find_header(&headers, "Content-Type") {
        Some(value) => parse_content_type(&value),
        None => ("text/plain".to_string(), HashMap::new()),
    };
    if media_type.starts_with("multipart/") {
        let boundary = params.get("boundary")?;
        return multipart_parts(body, boundary)
            .into_iter()
            .find_map(|part| find_part(part, wanted));
    }
    if media_type != wanted {
        return None;
    }
    let encoding = find_header(&headers, "Content-Transfer-Encoding")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let bytes = match encoding.as_str() {
        "quoted-printable" => decode_quoted_printable(body),
        "base64" => decode_base64(body),
        _ => body.as_bytes().to_vec(),
    };
    Some(String::from_utf8_lossy(&bytes).replace("\r\n", "\n"))
}

/// The body parts between `--boundary` delimiters; the line break before a delimiter belongs
/// to the delimiter.
fn multipart_parts<'a>(body: &'a str, boundary: &str) -> Vec<&'a str> {
    let delimiter = format!("--{boundary}");
    let close = format!("--{boundary}--");
    let mut parts = Vec::new();
    let mut start: Option<usize> = None;
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let bare = line.trim_end();
        if bare == delimiter || bare == close {
            if let Some(s) = start {
                let part = &body[s..offset];
                let part = part.strip_suffix('\n').unwrap_or(part);
                parts.push(part.strip_suffix('\r').unwrap_or(part));
            }
            if bare == close {
                break;
            }
            start = Some(offset + line.len());
        }
        offset += line.len();
    }
    parts
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Quoted-printable: `=XX` escapes and `=` soft line breaks; malformed escapes stay literal.
fn decode_quoted_printable(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'=' {
            out.push(bytes[i]);
            i += 1;
            continue;
        }
        let rest = &bytes[i + 1..];
        if rest.starts_with(b"\r\n") {
            i += 3;
        } else if rest.starts_with(b"\n") {
            i += 2;
        } else if rest.is_empty() {
            i += 1;
        } else if let (Some(hi), Some(lo)) = (
            rest.first().copied().and_then(hex_value),
            rest.get(1).copied().and_then(hex_value),
        ) {
            out.push(hi << 4 | lo);
            i += 3;
        } else {
            out.push(b'=');
            i += 1;
        }
    }
    out
}

/// Base64 (standard alphabet); white space ignored, decoding stops at padding.
fn decode_base64(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for b in text.bytes() {
        let value = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => break,
            _ => continue,
        };
        buffer = buffer << 6 | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    out
}

/// RFC 2047: decodes `=?charset?B|Q?text?=` words (UTF-8 assumed); white space between two
/// encoded words is dropped.
fn decode_encoded_words(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    let mut pending_space = String::new();
    let mut after_word = false;
    while !rest.is_empty() {
        if let Some((decoded, len)) = encoded_word(rest) {
            if !after_word {
                out.push_str(&pending_space);
            }
            pending_space.clear();
            out.push_str(&decoded);
            rest = &rest[len..];
            after_word = true;
            continue;
        }
        let c = rest.chars().next().expect("non-empty");
        if c.is_whitespace() {
            pending_space.push(c);
        } else {
            out.push_str(&pending_space);
            pending_space.clear();
            out.push(c);
            after_word = false;
        }
        rest = &rest[c.len_utf8()..];
    }
    out.push_str(&pending_space);
    out
}

/// The decoded text and length of an encoded word at the start of `s`.
fn encoded_word(s: &str) -> Option<(String, usize)> {
    let inner = s.strip_prefix("=?")?;
    let (_charset, inner) = inner.split_once('?')?;
    let (encoding, inner) = inner.split_once('?')?;
    let end = inner.find("?=")?;
    let text = &inner[..end];
    if text.contains(char::is_whitespace) {
        return None;
    }
    let bytes = match encoding {
        "B" | "b" => decode_base64(text),
        "Q" | "q" => decode_quoted_printable(&text.replace('_', " ")),
        _ => return None,
    };
    let len = s.len() - inner.len() + end + 2;
    Some((String::from_utf8_lossy(&bytes).into_owned(), len))
}
