//! Browser journeys in real headless Chromium (Debian's chromium + chromium-driver), each
//! with JavaScript on and off, with axe-core checking every page for WCAG 2.2 AA violations
//! and the page checked for CSP violations.

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

use crate::harness::{PASSWORD, TestApp};

const AXE: &str = include_str!("../../vendor/axe-4.14.1.min.js");
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

/// One Chromium, driven through its own chromedriver; both end with the test.
pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
    pub javascript: bool,
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Chromium is chromedriver's child: killing the driver alone leaves it running, so the
        // driver leads a process group of its own and the whole group goes.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.driver.id())])
            .stderr(Stdio::null())
            .status();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

pub fn browser_available() -> bool {
    let present = std::path::Path::new(CHROMEDRIVER).exists() && std::path::Path::new(CHROMIUM).exists();
    if !present {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("CI=true but Chromium or chromedriver is missing: browser tests must run");
        }
        eprintln!("skipped: browser test (install the Debian packages chromium and chromium-driver)");
    }
    present
}

pub async fn wait_for<T, F, Fut>(what: &str, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(v) = probe().await {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
}

impl Browser {
    pub async fn launch(javascript: bool) -> Browser {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let driver = Command::new(CHROMEDRIVER)
            .process_group(0)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let profile = tempfile::tempdir().unwrap();
        let mut options = json!({
            "binary": CHROMIUM,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--no-first-run",
                "--disable-sync", "--disable-quic", "--window-size=1280,1000",
                format!("--user-data-dir={}", profile.path().display()),
            ],
        });
        if !javascript {
            options["prefs"] = json!({ "profile.managed_default_content_settings.javascript": 2 });
        }
        let mut caps = serde_json::Map::new();
        caps.insert("goog:chromeOptions".into(), options);
        let url = format!("http://127.0.0.1:{port}");
        let client = wait_for("chromedriver", || {
            let (caps, url) = (caps.clone(), url.clone());
            async move {
                ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                    .capabilities(caps)
                    .connect(&url)
                    .await
                    .ok()
            }
        })
        .await;
        Browser {
            client,
            driver,
            _profile: profile,
            javascript,
        }
    }

    pub async fn goto(&self, url: &str) {
        self.client.goto(url).await.unwrap();
    }

    /// The text of the first element matching `css`, retried while a navigation replaces the page.
    pub async fn text_of(&self, css: &str) -> String {
        wait_for(css, || async {
            match self.client.find(Locator::Css(css)).await {
                Ok(el) => el.text().await.ok(),
                Err(_) => None,
            }
        })
        .await
    }

    pub async fn text(&self) -> String {
        self.text_of("body").await
    }

    /// Waits until the page shows `needle` (a click may still be navigating), then returns its text.
    pub async fn wait_text(&self, needle: &str) -> String {
        wait_for(needle, || async {
            let text = self.text().await;
            text.contains(needle).then_some(text)
        })
        .await
    }

    pub async fn wait_title(&self, title: &str) {
        wait_for(title, || async {
            (self.client.title().await.ok()? == title).then_some(())
        })
        .await
    }

    pub async fn fill(&self, id: &str, value: &str) {
        let field = self.client.find(Locator::Id(id)).await.unwrap();
        field.clear().await.unwrap();
        field.send_keys(value).await.unwrap();
    }

    pub async fn click(&self, css: &str) {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
    }

    /// Runs axe-core on the current page and fails on any WCAG 2.x A/AA violation.
    pub async fn assert_accessible(&self, page: &str) {
        if !self.javascript {
            // With JavaScript off Chromium still runs WebDriver scripts and promises, but never
            // fires timers; axe needs them, so give it microtask-based ones for its run only.
            let shim = "window.setTimeout = (f, _ms, ...a) => { Promise.resolve().then(() => f(...a)); return 0; }; \
                        window.clearTimeout = () => {}; return true;";
            self.client.execute(shim, vec![]).await.unwrap();
        }
        self.client
            .execute(&format!("{AXE}\n;return true;"), vec![])
            .await
            .unwrap();
        let script = r#"
            const done = arguments[arguments.length - 1];
            axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] } })
              .then(r => done(r.violations.map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).join(", "))))
              .catch(e => done(["axe failed: " + e]));
        "#;
        let result = self.client.execute_async(script, vec![]).await.unwrap();
        let violations: Vec<String> = serde_json::from_value(result).unwrap();
        assert!(
            violations.is_empty(),
            "{page} (JavaScript {}): {violations:#?}",
            if self.javascript { "on" } else { "off" }
        );
        if self.javascript {
            let csp: Value = self
                .client
                .execute("return document.documentElement.dataset.cspViolations || '0';", vec![])
                .await
                .unwrap();
            assert_eq!(csp, json!("0"), "{page}: CSP violations on the page");
        }
    }
}

pub async fn sign_in(b: &Browser, app: &TestApp, username: &str) {
    b.goto(&app.url("/sign-in")).await;
    b.fill("username", username).await;
    b.fill("password", PASSWORD).await;
    b.click("main button[type=submit]").await;
    b.wait_title("Home – Liaison").await;
}

#[macro_export]
macro_rules! with_and_without_javascript {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[actix_web::test]
                async fn javascript_on() {
                    super::$name(true).await;
                }

                #[actix_web::test]
                async fn javascript_off() {
                    super::$name(false).await;
                }
            }
        )*
    };
}

mod factor;
mod foundation;
mod governance;
mod ld;
mod mhtr;
mod mhtr_pages;
mod narrow;
mod records;
mod referrals;
mod reports;
mod retention;
mod returns;
