//! A small HTTP/1.1 client over one kept-alive TCP connection, the way a browser tab talks to
//! the server: one request at a time, `Content-Length` or chunked bodies, reconnecting when
//! the server closes the connection. Bodies are kept as they arrive (gzip stays compressed).

use std::io;
use std::net::SocketAddr;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Longest response head read before giving up on the connection.
const MAX_HEAD: usize = 64 * 1024;

pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    /// The body as sent: compressed when the server compressed it.
    pub body: Vec<u8>,
}

impl Response {
    /// Every `Set-Cookie` as `name=value`, without its attributes.
    pub fn cookies(&self) -> Vec<String> {
        self.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
            .filter_map(|(_, v)| v.split(';').next().map(|c| c.trim().to_string()))
            .collect()
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One connection; reopened on the next request after the server closes it.
pub struct Conn {
    addr: SocketAddr,
    stream: Option<TcpStream>,
    buf: Vec<u8>,
    /// Connections opened after the first, because the server closed one.
    pub reconnects: u64,
}

impl Conn {
    pub async fn open(addr: SocketAddr) -> io::Result<Conn> {
        let mut conn = Conn {
            addr,
            stream: None,
            buf: Vec::with_capacity(16 * 1024),
            reconnects: 0,
        };
        conn.connect().await?;
        Ok(conn)
    }

    async fn connect(&mut self) -> io::Result<()> {
        let stream = TcpStream::connect(self.addr).await?;
        stream.set_nodelay(true)?;
        self.stream = Some(stream);
        self.buf.clear();
        Ok(())
    }

    /// Sends one request (already serialised) and reads its response. A request on a reused
    /// connection that the server has closed meanwhile is sent once more on a new one.
    pub async fn send(&mut self, request: &[u8]) -> io::Result<Response> {
        let reused = self.stream.is_some();
        if !reused {
            self.reconnects += 1;
            self.connect().await?;
        }
        match self.exchange(request).await {
            Err(e) if reused && is_closed(&e) => {
                self.reconnects += 1;
                self.connect().await?;
                self.exchange(request).await
            }
            other => other,
        }
    }

    async fn exchange(&mut self, request: &[u8]) -> io::Result<Response> {
        let result = self.exchange_inner(request).await;
        if result.is_err() {
            self.stream = None;
        }
        result
    }

    async fn exchange_inner(&mut self, request: &[u8]) -> io::Result<Response> {
        let head_only = request.starts_with(b"HEAD ");
        self.stream_mut()?.write_all(request).await?;
        let (status, headers, head_len) = loop {
            if let Some(end) = find(&self.buf, b"\r\n\r\n") {
                let (status, headers) = parse_head(&self.buf[..end])?;
                break (status, headers, end + 4);
            }
            if self.buf.len() > MAX_HEAD {
                return Err(invalid("response head too long"));
            }
            self.fill().await?;
        };
        self.buf.drain(..head_len);
        let get = |name: &str| {
            headers
                .iter()
                .find(|(k, _): &&(String, String)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.to_ascii_lowercase())
        };
        let close = get("connection").is_some_and(|v| v.contains("close"));
        let no_body = head_only || status == 204 || status == 304 || (100..200).contains(&status);
        let body = if no_body {
            Vec::new()
        } else if get("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
            self.read_chunked().await?
        } else if let Some(len) = get("content-length") {
            let len: usize = len.trim().parse().map_err(|_| invalid("bad Content-Length"))?;
            self.read_exact_body(len).await?
        } else {
            self.read_to_end().await?
        };
        if close {
            self.stream = None;
        }
        Ok(Response { status, headers, body })
    }

    fn stream_mut(&mut self) -> io::Result<&mut TcpStream> {
        self.stream
            .as_mut()
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotConnected, "not connected"))
    }

    /// Reads more bytes into the buffer; end of stream is an error.
    async fn fill(&mut self) -> io::Result<()> {
        let mut chunk = [0u8; 16 * 1024];
        let n = self.stream_mut()?.read(&mut chunk).await?;
        if n == 0 {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "connection closed"));
        }
        self.buf.extend_from_slice(&chunk[..n]);
        Ok(())
    }

    async fn read_exact_body(&mut self, len: usize) -> io::Result<Vec<u8>> {
        while self.buf.len() < len {
            self.fill().await?;
        }
        Ok(self.buf.drain(..len).collect())
    }

    async fn read_line(&mut self) -> io::Result<String> {
        loop {
            if let Some(end) = find(&self.buf, b"\r\n") {
                let line = String::from_utf8_lossy(&self.buf[..end]).into_owned();
                self.buf.drain(..end + 2);
                return Ok(line);
            }
            if self.buf.len() > MAX_HEAD {
                return Err(invalid("chunk line too long"));
            }
            self.fill().await?;
        }
    }

    async fn read_chunked(&mut self) -> io::Result<Vec<u8>> {
        let mut body = Vec::new();
        loop {
            let line = self.read_line().await?;
            let size = line.split(';').next().unwrap_or("").trim();
            let size = usize::from_str_radix(size, 16).map_err(|_| invalid("bad chunk size"))?;
            if size == 0 {
                // Trailers, if any, end with an empty line.
                while !self.read_line().await?.is_empty() {}
                return Ok(body);
            }
            body.extend(self.read_exact_body(size).await?);
            if !self.read_line().await?.is_empty() {
                return Err(invalid("chunk not followed by CRLF"));
            }
        }
    }

    async fn read_to_end(&mut self) -> io::Result<Vec<u8>> {
        let mut rest = std::mem::take(&mut self.buf);
        self.stream_mut()?.read_to_end(&mut rest).await?;
        self.stream = None;
        Ok(rest)
    }
}

fn is_closed(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::UnexpectedEof
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::BrokenPipe
            | io::ErrorKind::ConnectionAborted
    )
}

fn invalid(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, what.to_string())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn parse_head(head: &[u8]) -> io::Result<(u16, Vec<(String, String)>)> {
    let text = std::str::from_utf8(head).map_err(|_| invalid("response head is not UTF-8"))?;
    let mut lines = text.split("\r\n");
    let status_line = lines.next().unwrap_or("");
    let mut parts = status_line.splitn(3, ' ');
    if !parts.next().is_some_and(|v| v.starts_with("HTTP/1.")) {
        return Err(invalid("not an HTTP/1.x response"));
    }
    let status = parts
        .next()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| invalid("bad status line"))?;
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    Ok((status, headers))
}

/// Builds requests the way a browser sends them to this server.
#[derive(Clone)]
pub struct Browser {
    pub host: String,
    pub cookies: Vec<String>,
}

impl Browser {
    pub fn get(&self, path: &str, htmx: bool, gzip: bool) -> Vec<u8> {
        let mut r = self.head_lines("GET", path);
        if htmx {
            r.push_str("HX-Request: true\r\n");
        }
        if gzip {
            r.push_str("Accept-Encoding: gzip\r\n");
        }
        r.push_str("\r\n");
        r.into_bytes()
    }

    /// A form post from a page of this site: `Origin` and `Sec-Fetch-Site` as a browser sets them.
    pub fn post_form(&self, path: &str, form: &[(&str, &str)]) -> Vec<u8> {
        let body = serde_urlencoded::to_string(form).unwrap_or_default();
        let mut r = self.head_lines("POST", path);
        r.push_str(&format!(
            "Origin: http://{}\r\nSec-Fetch-Site: same-origin\r\nAccept-Encoding: gzip\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
            self.host,
            body.len()
        ));
        r.push_str(&body);
        r.into_bytes()
    }

    fn head_lines(&self, method: &str, path: &str) -> String {
        let mut r = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nUser-Agent: liaison-bench\r\n\
             Accept: text/html,application/xhtml+xml\r\nAccept-Language: en-GB\r\n",
            self.host
        );
        if !self.cookies.is_empty() {
            r.push_str(&format!("Cookie: {}\r\n", self.cookies.join("; ")));
        }
        r
    }
}

#[cfg(test)]
mod tests {
    use super::parse_head;

    #[test]
    fn reads_a_status_line_and_headers() {
        let (status, headers) =
            parse_head(b"HTTP/1.1 303 See Other\r\nLocation: /\r\nSet-Cookie: a=b; Path=/").unwrap();
        assert_eq!(status, 303);
        assert_eq!(headers[1], ("Set-Cookie".to_string(), "a=b; Path=/".to_string()));
        assert!(parse_head(b"SMTP 220 hello").is_err());
    }
}
