//! Static files compiled into the binary, addressed by content-hashed URLs (served by
//! `web::assets` as `immutable`).

use std::sync::LazyLock;

use sha2::{Digest, Sha256};

pub struct Asset {
    pub name: &'static str,
    pub content_type: &'static str,
    pub bytes: &'static [u8],
    pub hash: String,
}

impl Asset {
    pub fn url(&self) -> String {
        format!("/assets/{}/{}", self.hash, self.name)
    }
}

pub const HTMX_FILE: &str = "htmx-2.0.11.min.js";

static ASSETS: LazyLock<Vec<Asset>> = LazyLock::new(|| {
    let files: [(&str, &str, &[u8]); 6] = [
        (
            "app.css",
            "text/css; charset=utf-8",
            include_bytes!("../../assets/app.css"),
        ),
        (
            "print.css",
            "text/css; charset=utf-8",
            include_bytes!("../../assets/print.css"),
        ),
        (
            "app.js",
            "text/javascript; charset=utf-8",
            include_bytes!("../../assets/app.js"),
        ),
        (
            "favicon.svg",
            "image/svg+xml",
            include_bytes!("../../assets/favicon.svg"),
        ),
        (
            "favicon.ico",
            "image/x-icon",
            include_bytes!("../../assets/favicon.ico"),
        ),
        (
            HTMX_FILE,
            "text/javascript; charset=utf-8",
            include_bytes!("../../assets/vendor/htmx-2.0.11.min.js"),
        ),
    ];
    files
        .into_iter()
        .map(|(name, content_type, bytes)| Asset {
            name,
            content_type,
            bytes,
            hash: hex_prefix(&Sha256::digest(bytes)),
        })
        .collect()
});

fn hex_prefix(digest: &[u8]) -> String {
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

pub fn get(name: &str) -> &'static Asset {
    ASSETS
        .iter()
        .find(|a| a.name == name)
        .unwrap_or_else(|| panic!("asset {name} is compiled in"))
}

pub fn url(name: &str) -> String {
    get(name).url()
}

/// The asset at a content-hashed address, if that is one.
pub fn find(hash: &str, name: &str) -> Option<&'static Asset> {
    ASSETS.iter().find(|a| a.name == name && a.hash == hash)
}

#[cfg(test)]
mod tests {
    use sha2::{Digest, Sha256};

    /// The vendored htmx is exactly the file whose checksum was recorded when it was added.
    #[test]
    fn vendored_htmx_matches_its_recorded_sha256() {
        let sums = include_str!("../../assets/vendor/SHA256SUMS");
        let recorded = sums
            .lines()
            .find_map(|l| l.strip_suffix(&format!("  {}", super::HTMX_FILE)))
            .expect("htmx is listed in SHA256SUMS");
        let actual: String = Sha256::digest(super::get(super::HTMX_FILE).bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(actual, recorded);
        assert!(super::HTMX_FILE.starts_with("htmx-2.0."), "htmx stays on 2.0.x");
    }

    #[test]
    fn urls_change_with_content() {
        let css = super::get("app.css");
        assert_eq!(css.url(), format!("/assets/{}/app.css", css.hash));
        assert_ne!(css.hash, super::get("print.css").hash);
    }
}
