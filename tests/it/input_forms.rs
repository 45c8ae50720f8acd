//! Every form the demo's pages show refuses control characters: the test signs in as each
//! kind of user, follows the links from the home page, and submits every form it finds with
//! a NUL in each of its free-text answers. Each must come back as the form again (422) with
//! the message, never a 500 and never saved — so a new form is covered without a new test.

use std::collections::{BTreeSet, HashMap, VecDeque};

use liaison::views::form::REFUSED_INPUT as MESSAGE;
use reqwest::StatusCode;

use crate::both_databases;
use crate::harness::{Db, TestApp};

both_databases!(every_form_on_the_demo_pages_refuses_control_characters);

/// Pages visited per user, and per shape of path (ids replaced), so the crawl stays short
/// while reaching every kind of page (MHTR cases at each stage share one shape).
const MOST_PAGES: usize = 200;
const MOST_PER_SHAPE: usize = 12;

async fn every_form_on_the_demo_pages_refuses_control_characters(db: Db) {
    let app = TestApp::spawn(db).await;
    liaison::demo::seed(&mut app.conn(), app.state.now()).unwrap();
    let mut tried = BTreeSet::new();
    let mut failures = Vec::new();
    let mut forms_tried = 0;
    for user in ["demo.practitioner", "demo.mhtr", "demo.psychologist", "demo.admin"] {
        let client = app.another_client();
        let res = client.sign_in(user, liaison::demo::PASSWORD).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{user} signs in");
        if user == "demo.practitioner" {
            sign_on_everywhere(&client).await;
        }
        for (page, form) in crawl(&client).await {
            let spoilable: Vec<String> = form.fields.iter().filter(|f| f.text).map(|f| f.name.clone()).collect();
            if spoilable.is_empty() {
                continue;
            }
            let fields: Vec<(String, String)> = form
                .fields
                .iter()
                .map(|f| {
                    let value = if f.text {
                        format!("a\0{}", f.value)
                    } else {
                        f.value.clone()
                    };
                    (f.name.clone(), value)
                })
                .collect();
            // Each submit button (e.g. "Save draft" and "Mark section complete") is a way in.
            let buttons: Vec<Option<&(String, String)>> = match form.buttons.is_empty() {
                true => vec![None],
                false => form.buttons.iter().map(Some).collect(),
            };
            for button in buttons {
                let key = (shape(&form.action), spoilable.clone(), button.cloned());
                if !tried.insert(key) {
                    continue;
                }
                forms_tried += 1;
                let mut fields = fields.clone();
                fields.extend(button.cloned());
                let res = client
                    .client
                    .post(client.url(&form.action))
                    .form(&fields)
                    .send()
                    .await
                    .unwrap();
                let status = res.status();
                let html = res.text().await.unwrap_or_default();
                if status != StatusCode::UNPROCESSABLE_ENTITY || !html.contains(MESSAGE) {
                    let pressed = button.map_or(String::new(), |(k, v)| format!(" ({k}={v})"));
                    failures.push(format!(
                        "{user}: form on {page} posting to {}{pressed} answered {status}",
                        form.action
                    ));
                }
            }
            // A form htmx also posts elsewhere (an autosave) must not save either.
            if let Some(hx_post) = form.hx_post.as_ref().filter(|p| **p != form.action)
                && tried.insert((shape(hx_post), spoilable.clone(), None))
            {
                forms_tried += 1;
                let res = client
                    .client
                    .post(client.url(hx_post))
                    .header("HX-Request", "true")
                    .form(&fields)
                    .send()
                    .await
                    .unwrap();
                let status = res.status();
                let text = res.text().await.unwrap_or_default();
                if status.is_server_error() || !text.contains("special control characters") {
                    failures.push(format!(
                        "{user}: htmx post on {page} to {hx_post} answered {status}: {text}"
                    ));
                }
            }
        }
    }
    eprintln!("forms tried: {forms_tried}");
    assert!(forms_tried >= 30, "the crawl reached the forms: {forms_tried}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Signs on to a shift at every site offered, so the live lists and their links open.
async fn sign_on_everywhere(client: &TestApp) {
    let (_, html) = client.page("/shift").await;
    let form = forms(&html)
        .into_iter()
        .find(|f| f.action == "/shift")
        .expect("the shift form");
    let mut fields: Vec<(&str, &str)> = vec![("phone", "020 7946 0000")];
    for site in html.split("name=\"sites\" value=\"").skip(1) {
        fields.push(("sites", site.split('"').next().unwrap()));
    }
    let token = form.fields.iter().find(|f| f.name == "csrf_token").expect("token");
    fields.push(("csrf_token", &token.value));
    let res = client.post("/shift", &fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "signed on");
}

/// Each page reachable from `/` (and `/people/new`) by links (breadth first, within the limits) and the POST
/// forms it shows.
async fn crawl(client: &TestApp) -> Vec<(String, Form)> {
    // The home page, and the form a search leads to.
    pages(client, &["/", "/people/new"])
        .await
        .into_iter()
        .flat_map(|(path, html)| forms(&html).into_iter().map(move |f| (path.clone(), f)))
        .collect()
}

/// Each HTML page reachable from `start` by links, breadth first, at most [`MOST_PER_SHAPE`]
/// of each path shape and [`MOST_PAGES`] in all, as (path, HTML); none may answer 5xx.
pub(crate) async fn pages(client: &TestApp, start: &[&str]) -> Vec<(String, String)> {
    let start: Vec<String> = start.iter().map(|s| s.to_string()).collect();
    let mut queue = VecDeque::from(start.clone());
    let mut seen = BTreeSet::from_iter(start);
    let mut per_shape: HashMap<String, usize> = HashMap::new();
    let mut found = Vec::new();
    let mut visited = 0;
    while let Some(path) = queue.pop_front() {
        if visited == MOST_PAGES {
            break;
        }
        let count = per_shape.entry(shape(&path)).or_default();
        if *count == MOST_PER_SHAPE {
            continue;
        }
        *count += 1;
        visited += 1;
        let res = client.get(&path).await;
        assert!(!res.status().is_server_error(), "GET {path}: {}", res.status());
        let html_page = res
            .headers()
            .get("content-type")
            .is_some_and(|t| t.to_str().unwrap_or("").starts_with("text/html"));
        if !html_page {
            continue;
        }
        let html = res.text().await.unwrap();
        for link in links(&html) {
            if seen.insert(link.clone()) {
                queue.push_back(link);
            }
        }
        found.push((path, html));
    }
    found
}

/// A path with its ids (anything with a digit) replaced, e.g. `/episodes/{}/timeline`.
pub(crate) fn shape(path: &str) -> String {
    let path = path.split('?').next().unwrap_or(path);
    path.split('/')
        .map(|s| if s.chars().any(|c| c.is_ascii_digit()) { "{}" } else { s })
        .collect::<Vec<_>>()
        .join("/")
}

/// The links to this server's pages.
pub(crate) fn links(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|href| unescape(href.split('#').next().unwrap_or("")))
        .filter(|href| href.starts_with('/') && !href.starts_with("//"))
        .filter(|href| !href.starts_with("/assets/") && !href.starts_with("/favicon"))
        .collect()
}

struct Field {
    name: String,
    value: String,
    /// A free-text answer (a text-like input or a textarea), to spoil.
    text: bool,
}

struct Form {
    action: String,
    /// Where htmx posts it, if it says.
    hx_post: Option<String>,
    fields: Vec<Field>,
    /// The named submit buttons, each sent only when pressed.
    buttons: Vec<(String, String)>,
}

/// The POST forms on a page with the answers a browser would send as the page stands
/// (ticked boxes, chosen options) and their named buttons.
fn forms(html: &str) -> Vec<Form> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<form") {
        let body_start = start + rest[start..].find('>').unwrap_or(0) + 1;
        let attrs = attributes(&rest[start + 5..body_start - 1]);
        let end = rest[body_start..]
            .find("</form>")
            .map_or(rest.len(), |e| body_start + e);
        let body = &rest[body_start..end];
        rest = &rest[end..];
        let method = attrs.get("method").map(String::as_str).unwrap_or("get");
        let Some(action) = attrs.get("action").filter(|_| method.eq_ignore_ascii_case("post")) else {
            continue;
        };
        let (fields, buttons) = fields(body);
        found.push(Form {
            action: action.clone(),
            hx_post: attrs.get("data-hx-post").cloned(),
            fields,
            buttons,
        });
    }
    found
}

fn fields(form: &str) -> (Vec<Field>, Vec<(String, String)>) {
    let mut fields = Vec::new();
    let mut buttons = Vec::new();
    let mut rest = form;
    while let Some(open) = rest.find('<') {
        rest = &rest[open + 1..];
        let name_end = rest.find(|c: char| c.is_whitespace() || c == '>').unwrap_or(rest.len());
        let tag = rest[..name_end].to_ascii_lowercase();
        let close = rest.find('>').unwrap_or(rest.len());
        let attrs = attributes(&rest[name_end..close]);
        let Some(name) = attrs.get("name").cloned() else {
            continue;
        };
        let value = attrs.get("value").cloned().unwrap_or_default();
        match tag.as_str() {
            "input" => {
                let kind = attrs.get("type").map_or("text", String::as_str);
                match kind {
                    "checkbox" | "radio" if !attrs.contains_key("checked") => {}
                    "checkbox" | "radio" | "hidden" => fields.push(Field {
                        name,
                        value,
                        text: false,
                    }),
                    "submit" | "button" | "file" | "image" | "reset" => {}
                    _ => fields.push(Field {
                        name,
                        value,
                        text: true,
                    }),
                }
            }
            "textarea" => {
                let content = &rest[close + 1..];
                let content = &content[..content.find("</textarea>").unwrap_or(0)];
                fields.push(Field {
                    name,
                    value: unescape(content),
                    text: true,
                });
            }
            "select" => {
                let options = &rest[close + 1..];
                let options = &options[..options.find("</select>").unwrap_or(0)];
                let chosen = options
                    .split("<option")
                    .skip(1)
                    .map(|o| attributes(&o[..o.find('>').unwrap_or(0)]))
                    .fold(None, |chosen: Option<HashMap<String, String>>, o| match chosen {
                        Some(c) if !o.contains_key("selected") => Some(c),
                        _ => Some(o),
                    });
                let value = chosen.and_then(|o| o.get("value").cloned()).unwrap_or_default();
                fields.push(Field {
                    name,
                    value,
                    text: false,
                });
            }
            "button" => buttons.push((name, value)),
            _ => {}
        }
    }
    (fields, buttons)
}

/// `name="value"` and bare (boolean) attributes of a tag as maud writes them.
fn attributes(tag: &str) -> HashMap<String, String> {
    let mut attrs = HashMap::new();
    let mut rest = tag.trim_start();
    while !rest.is_empty() && !rest.starts_with('/') {
        let end = rest.find(|c: char| c == '=' || c.is_whitespace()).unwrap_or(rest.len());
        let name = rest[..end].to_ascii_lowercase();
        rest = &rest[end..];
        if let Some(quoted) = rest.strip_prefix("=\"") {
            let close = quoted.find('"').unwrap_or(quoted.len());
            attrs.insert(name, unescape(&quoted[..close]));
            rest = quoted.get(close + 1..).unwrap_or("");
        } else {
            attrs.insert(name, String::new());
        }
        rest = rest.trim_start();
    }
    attrs
}

fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}
