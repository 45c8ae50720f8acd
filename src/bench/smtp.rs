//! A loopback SMTP sink for the email measure: plain SMTP on 127.0.0.1 (EHLO/HELO, MAIL,
//! RCPT, DATA, RSET, NOOP, QUIT), accepting every message, keeping when each Message-ID
//! arrived and how often, and nothing else. One thread accepts, one serves each connection.

use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Arrivals of one Message-ID.
#[derive(Clone, Debug)]
pub struct Arrival {
    pub first: Instant,
    pub count: u32,
}

#[derive(Default)]
struct Received {
    by_id: HashMap<String, Arrival>,
    messages: u64,
}

pub struct Sink {
    pub port: u16,
    received: Arc<Mutex<Received>>,
    stop: Arc<AtomicBool>,
}

impl Sink {
    pub fn start() -> io::Result<Sink> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let port = listener.local_addr()?.port();
        let received = Arc::new(Mutex::new(Received::default()));
        let stop = Arc::new(AtomicBool::new(false));
        let (shared, stopped) = (received.clone(), stop.clone());
        std::thread::Builder::new().name("bench-smtp".into()).spawn(move || {
            for stream in listener.incoming() {
                if stopped.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let shared = shared.clone();
                let _ = std::thread::Builder::new()
                    .name("bench-smtp-conn".into())
                    .spawn(move || {
                        let _ = serve(stream, &shared);
                    });
            }
        })?;
        Ok(Sink { port, received, stop })
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Messages accepted, whatever their Message-ID.
    pub fn messages(&self) -> u64 {
        self.received.lock().map_or(0, |r| r.messages)
    }

    /// The arrivals of the given Message-IDs (without angle brackets) seen so far.
    pub fn arrivals(&self, ids: &[String]) -> Vec<Arrival> {
        let Ok(r) = self.received.lock() else { return Vec::new() };
        ids.iter().filter_map(|id| r.by_id.get(id).cloned()).collect()
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accepting thread so it sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

fn serve(stream: TcpStream, received: &Mutex<Received>) -> io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    stream.set_nodelay(true)?;
    let mut out = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    let mut reply = |text: &str| out.write_all(format!("{text}\r\n").as_bytes());
    reply("220 bench.localhost ESMTP sink")?;
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let command = line.trim_end().to_ascii_uppercase();
        let verb = command.split([' ', ':']).next().unwrap_or("");
        match verb {
            "EHLO" => reply("250-bench.localhost\r\n250-8BITMIME\r\n250 SMTPUTF8")?,
            "HELO" | "MAIL" | "RCPT" | "RSET" | "NOOP" => reply("250 OK")?,
            "DATA" => {
                reply("354 End data with <CR><LF>.<CR><LF>")?;
                let id = read_data(&mut reader)?;
                record(received, id);
                reply("250 OK queued")?;
            }
            "QUIT" => {
                reply("221 Bye")?;
                return Ok(());
            }
            _ => reply("502 Command not implemented")?,
        }
    }
}

/// Reads the message up to the lone dot; returns its Message-ID without angle brackets.
fn read_data(reader: &mut impl BufRead) -> io::Result<Option<String>> {
    let mut id = None;
    let mut in_headers = true;
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "end of stream in DATA"));
        }
        let text = line.trim_end_matches(['\r', '\n']);
        if text == "." {
            return Ok(id);
        }
        if in_headers {
            if text.is_empty() {
                in_headers = false;
            } else if id.is_none() {
                id = message_id(text);
            }
        }
    }
}

fn message_id(header_line: &str) -> Option<String> {
    let (name, value) = header_line.split_once(':')?;
    if !name.trim().eq_ignore_ascii_case("message-id") {
        return None;
    }
    let value = value.trim().trim_start_matches('<').trim_end_matches('>');
    (!value.is_empty()).then(|| value.to_string())
}

fn record(received: &Mutex<Received>, id: Option<String>) {
    let Ok(mut r) = received.lock() else { return };
    r.messages += 1;
    if let Some(id) = id {
        r.by_id.entry(id).and_modify(|a| a.count += 1).or_insert(Arrival {
            first: Instant::now(),
            count: 1,
        });
    }
}

#[cfg(test)]
mod tests {
    use std::io::{BufRead, BufReader, Write};
    use std::net::TcpStream;

    use super::Sink;

    #[test]
    fn counts_messages_and_repeated_message_ids() {
        let sink = Sink::start().unwrap();
        let stream = TcpStream::connect(("127.0.0.1", sink.port)).unwrap();
        let mut out = stream.try_clone().unwrap();
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        let mut expect = |reader: &mut BufReader<TcpStream>, code: &str| loop {
            line.clear();
            reader.read_line(&mut line).unwrap();
            assert!(line.starts_with(code), "{line}");
            if line.as_bytes().get(3) == Some(&b' ') {
                break;
            }
        };
        expect(&mut reader, "220");
        out.write_all(b"EHLO test\r\n").unwrap();
        expect(&mut reader, "250");
        for _ in 0..2 {
            out.write_all(b"MAIL FROM:<a@b>\r\n").unwrap();
            expect(&mut reader, "250");
            out.write_all(b"RCPT TO:<c@d>\r\n").unwrap();
            expect(&mut reader, "250");
            out.write_all(b"DATA\r\n").unwrap();
            expect(&mut reader, "354");
            out.write_all(b"Subject: x\r\nMessage-ID: <m1@liaison>\r\n\r\n..body\r\n.\r\n")
                .unwrap();
            expect(&mut reader, "250");
        }
        out.write_all(b"QUIT\r\n").unwrap();
        expect(&mut reader, "221");
        assert_eq!(sink.messages(), 2);
        let seen = sink.arrivals(&["m1@liaison".to_string(), "other".to_string()]);
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0].count, 2);
    }
}
