//! Gzip for every response a browser accepts it for, done here rather than by actix's
//! `Compress`: that builds a new compressor for every response (about 300 KB allocated and
//! zeroed, even for a 3-byte health check) and hands each body over 1 KB to a blocking thread
//! and back. Each worker thread keeps one compressor instead, and compresses a page of tens of
//! kilobytes in place; only a body larger than [`MOST_IN_PLACE`] (a long export) goes to a
//! blocking thread. Every response is whole in memory: Liaison streams none.

use std::cell::RefCell;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, AcceptEncoding, Encoding, Header, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, web};
use flate2::{Compress, Compression, Crc, FlushCompress, Status};

/// Larger bodies take long enough to compress to belong off the worker thread.
const MOST_IN_PLACE: usize = 256 * 1024;
/// Smaller bodies gain too little to be worth it.
const LEAST_WORTH_IT: usize = 1024;
/// Renderings kept for many requests ([`super::kept`], the live list) are compressed once and
/// thoroughly, at level 5: a fifth smaller than at the fastest level (a 53-row list swap:
/// 4.3 KB against 5.2 KB) for about 0.17 ms more. Level 6, the default, is no more than 1 %
/// smaller and takes half as long again. Every other body is compressed for its one response,
/// at the fastest level: level 5 took 14 % of a long person page's time.
const THOROUGH_LEVEL: u32 = 5;

/// How hard to compress a body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effort {
    /// For a body sent once.
    Fast,
    /// For a body compressed once and sent many times.
    Thorough,
}

/// A gzip member's header: deflate, no name, no time, unknown system.
const HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];

thread_local! {
    static THOROUGH: RefCell<Compress> = RefCell::new(Compress::new(Compression::new(THOROUGH_LEVEL), false));
    static FAST: RefCell<Compress> = RefCell::new(Compress::new(Compression::fast(), false));
}

pub async fn compress(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let accepts_gzip = accepts(&req);
    let res = next.call(req).await?.map_into_boxed_body();
    if !accepts_gzip || res.headers().contains_key(header::CONTENT_ENCODING) || !compressible(&res) {
        return Ok(res);
    }
    let (req, res) = res.into_parts();
    let (mut res, body) = res.into_parts();
    let bytes = match body.try_into_bytes() {
        Ok(bytes) if worth_it(bytes.len()) => bytes,
        Ok(bytes) => return Ok(ServiceResponse::new(req, res.set_body(BoxBody::new(bytes)))),
        Err(body) => return Ok(ServiceResponse::new(req, res.set_body(body))),
    };
    let compressed = if bytes.len() <= MOST_IN_PLACE {
        gzip(&bytes, Effort::Fast)
    } else {
        let whole = bytes.clone();
        web::block(move || gzip(&whole, Effort::Fast)).await.ok().flatten()
    };
    let body = match compressed {
        Some(compressed) => {
            let headers = res.headers_mut();
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));
            BoxBody::new(compressed)
        }
        None => BoxBody::new(bytes),
    };
    Ok(ServiceResponse::new(req, res.set_body(body)))
}

/// The request's browser takes gzip rather than the body as it is.
pub fn accepts(req: &impl HttpMessage) -> bool {
    AcceptEncoding::parse(req).is_ok_and(|accepted| {
        accepted.negotiate([Encoding::gzip(), Encoding::identity()].iter()) == Some(Encoding::gzip())
    })
}

/// A body this long is sent gzipped.
pub fn worth_it(len: usize) -> bool {
    len >= LEAST_WORTH_IT
}

/// Text of some kind: pages, fragments, scripts, styles, JSON, CSV.
fn compressible(res: &ServiceResponse<BoxBody>) -> bool {
    let Some(kind) = res.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    kind.starts_with("text/") || ["javascript", "json", "svg"].iter().any(|k| kind.contains(k))
}

/// `body` as one gzip member; `None` should the compressor fail.
pub fn gzip(body: &[u8], effort: Effort) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(HEADER.len() + body.len() / 3 + 64);
    out.extend_from_slice(&HEADER);
    let compressor = match effort {
        Effort::Fast => &FAST,
        Effort::Thorough => &THOROUGH,
    };
    compressor.with_borrow_mut(|deflate| {
        deflate.reset();
        loop {
            if out.capacity() - out.len() < 64 {
                out.reserve(out.capacity());
            }
            let taken = usize::try_from(deflate.total_in()).ok()?;
            match deflate
                .compress_vec(body.get(taken..)?, &mut out, FlushCompress::Finish)
                .ok()?
            {
                Status::StreamEnd => return Some(()),
                // Out of room: more is made above.
                Status::Ok | Status::BufError => {}
            }
        }
    })?;
    let mut crc = Crc::new();
    crc.update(body);
    out.extend_from_slice(&crc.sum().to_le_bytes());
    // The size modulo 2^32, as gzip keeps it.
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    Some(out)
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::{Effort, gzip};

    #[test]
    fn what_is_compressed_reads_back_the_same_every_time() {
        let page: Vec<u8> = (0..200_000u32)
            .flat_map(|n| format!("<tr><td>{}</td></tr>", n % 997).into_bytes())
            .collect();
        for body in [&page[..], b"short", &page[..5000]] {
            // Again and again: each thread's compressors start afresh for each body.
            for effort in [Effort::Fast, Effort::Thorough, Effort::Fast] {
                let mut back = Vec::new();
                flate2::read::GzDecoder::new(&gzip(body, effort).unwrap()[..])
                    .read_to_end(&mut back)
                    .unwrap();
                assert_eq!(back, body);
            }
        }
        assert!(gzip(&page, Effort::Fast).unwrap().len() < page.len() / 4);
    }
}
