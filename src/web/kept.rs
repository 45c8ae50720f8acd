//! Renderings kept between requests. A fragment that many requests ask for unchanged (the live
//! list, polled by everyone at a site) is rendered and gzipped once for each change to what it
//! shows and each minute of the clock, and every other request only checks that it is current
//! (decision 0024). What a kept rendering holds must not depend on who asks, beyond its key.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use actix_web::HttpResponse;
use actix_web::http::header::{self, HeaderValue};
use actix_web::web::Bytes;

use crate::clock::Millis;

/// When a rendering was made: the version of what it shows (moved on by every change to it)
/// and the minute of the clock, since it shows times and waits to the minute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub version: i64,
    pub minute: i64,
}

impl Stamp {
    pub fn new(version: i64, now: Millis) -> Stamp {
        Stamp {
            version,
            minute: now.div_euclid(60_000),
        }
    }

    /// The start of the minute, which a rendering shows as its time whenever in the minute it
    /// was made, so that every request in the minute is answered alike.
    pub fn moment(self) -> Millis {
        self.minute * 60_000
    }

    /// Made before `other`: what it shows, or its minute, has moved on since.
    fn before(self, other: Stamp) -> bool {
        self != other && self.version <= other.version && self.minute <= other.minute
    }
}

pub struct Rendering {
    pub stamp: Stamp,
    pub html: Bytes,
    gzipped: Option<Bytes>,
    /// What the audit row of a view says it showed.
    pub summary: String,
}

impl Rendering {
    pub fn new(stamp: Stamp, html: String, summary: String) -> Rendering {
        let gzipped = super::gzip::worth_it(html.len())
            .then(|| super::gzip::gzip(html.as_bytes(), super::gzip::Effort::Thorough))
            .flatten()
            .map(Bytes::from);
        Rendering {
            stamp,
            html: Bytes::from(html),
            gzipped,
            summary,
        }
    }

    /// The rendering, for a page to include.
    pub fn markup(&self) -> maud::PreEscaped<&str> {
        // Made from a `String`, so always UTF-8.
        maud::PreEscaped(std::str::from_utf8(&self.html).unwrap_or_default())
    }

    /// The rendering as a whole response, already gzipped if the browser accepts it.
    pub fn respond(&self, accepts_gzip: bool) -> HttpResponse {
        let mut res = HttpResponse::Ok();
        res.content_type("text/html; charset=utf-8");
        match &self.gzipped {
            Some(gzipped) if accepts_gzip => res
                .insert_header((header::CONTENT_ENCODING, HeaderValue::from_static("gzip")))
                .insert_header((header::VARY, HeaderValue::from_static("accept-encoding")))
                .body(gzipped.clone()),
            _ => res.body(self.html.clone()),
        }
    }
}

/// Most renderings kept at once: a site's list under each filter, for the current version
/// and minute. Each is tens of kilobytes.
const MOST: usize = 64;

#[derive(Default)]
pub struct Kept {
    renderings: Mutex<HashMap<String, Arc<Rendering>>>,
}

impl Kept {
    /// The rendering kept under `key`, if it was made at `stamp`.
    pub fn current(&self, key: &str, stamp: Stamp) -> Option<Arc<Rendering>> {
        let kept = self.renderings.lock().unwrap_or_else(|e| e.into_inner());
        kept.get(key).filter(|r| r.stamp == stamp).cloned()
    }

    /// Keeps `rendering` under `key`, unless a later one is kept there already, and lets go
    /// of every rendering made before it.
    pub fn keep(&self, key: String, rendering: Rendering) -> Arc<Rendering> {
        let rendering = Arc::new(rendering);
        let stamp = rendering.stamp;
        let mut kept = self.renderings.lock().unwrap_or_else(|e| e.into_inner());
        kept.retain(|_, r| !r.stamp.before(stamp));
        if kept.len() >= MOST {
            kept.clear();
        }
        let newer = kept.get(&key).is_some_and(|r| stamp.before(r.stamp));
        if !newer {
            kept.insert(key, rendering.clone());
        }
        rendering
    }
}

#[cfg(test)]
mod tests {
    use super::{Kept, Rendering, Stamp};

    fn rendering(stamp: Stamp, text: &str) -> Rendering {
        Rendering::new(stamp, text.repeat(200), String::new())
    }

    #[test]
    fn a_rendering_is_current_only_at_its_own_version_and_minute() {
        let kept = Kept::default();
        let at = Stamp::new(7, 10 * 60_000 + 5_000);
        kept.keep("list".into(), rendering(at, "a"));
        assert!(kept.current("list", Stamp::new(7, 10 * 60_000 + 59_999)).is_some());
        assert!(kept.current("list", Stamp::new(8, 10 * 60_000)).is_none());
        assert!(kept.current("list", Stamp::new(7, 11 * 60_000)).is_none());
        assert!(kept.current("other", at).is_none());
    }

    #[test]
    fn a_later_rendering_is_not_replaced_by_an_earlier_one() {
        let kept = Kept::default();
        let (earlier, later) = (Stamp::new(1, 0), Stamp::new(2, 0));
        kept.keep("list".into(), rendering(later, "new"));
        kept.keep("list".into(), rendering(earlier, "old"));
        let current = kept.current("list", later).unwrap();
        assert!(current.html.starts_with(b"new"));
        // And keeping a later one lets go of the earlier ones under every key.
        kept.keep("other".into(), rendering(earlier, "old"));
        kept.keep("list".into(), rendering(Stamp::new(3, 0), "newer"));
        assert!(kept.current("other", earlier).is_none());
    }

    #[test]
    fn a_gzipped_rendering_reads_back_as_its_html() {
        use std::io::Read;
        let r = rendering(Stamp::new(1, 0), "<tr><td>row</td></tr>");
        let res = r.respond(true);
        assert_eq!(res.headers().get("content-encoding").unwrap(), "gzip");
        let body = actix_web::body::MessageBody::try_into_bytes(res.into_body()).unwrap();
        let mut back = Vec::new();
        flate2::read::GzDecoder::new(&body[..]).read_to_end(&mut back).unwrap();
        assert_eq!(back, r.html);
        let plain = r.respond(false);
        assert!(plain.headers().get("content-encoding").is_none());
    }
}
