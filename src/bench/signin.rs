//! Signing in through the real form, as a browser does: GET /sign-in for the CSRF cookie and
//! token, POST the form, keep the session cookie; then the session's CSRF token from a page.

use std::net::SocketAddr;

use super::http::{Browser, Conn};

/// A signed-in browser and the token its forms carry.
pub struct SignedIn {
    pub browser: Browser,
    pub csrf_token: String,
}

pub async fn sign_in(addr: SocketAddr, username: &str, password: &str, page: &str) -> Result<SignedIn, String> {
    let fail = |what: &str| format!("sign-in failed: {what}");
    let mut browser = Browser {
        host: addr.to_string(),
        cookies: Vec::new(),
    };
    let mut conn = Conn::open(addr).await.map_err(|e| fail(&e.to_string()))?;
    let form = conn
        .send(&browser.get("/sign-in", false, false))
        .await
        .map_err(|e| fail(&e.to_string()))?;
    if form.status != 200 {
        return Err(fail(&format!("GET /sign-in answered {}", form.status)));
    }
    let token = hidden_token(&form.text()).ok_or_else(|| fail("no CSRF token on the sign-in form"))?;
    browser.cookies = form.cookies();
    let answer = conn
        .send(&browser.post_form(
            "/sign-in",
            &[("csrf_token", &token), ("username", username), ("password", password)],
        ))
        .await
        .map_err(|e| fail(&e.to_string()))?;
    let session: Vec<String> = answer.cookies();
    if answer.status != 303 || session.is_empty() {
        return Err(fail(&format!(
            "POST /sign-in answered {} without a session",
            answer.status
        )));
    }
    for cookie in session {
        let name = cookie.split('=').next().unwrap_or("").to_string();
        browser.cookies.retain(|c| !c.starts_with(&format!("{name}=")));
        browser.cookies.push(cookie);
    }
    let page_answer = conn
        .send(&browser.get(page, false, false))
        .await
        .map_err(|e| fail(&e.to_string()))?;
    if page_answer.status != 200 {
        return Err(fail(&format!(
            "GET {page} answered {} once signed in",
            page_answer.status
        )));
    }
    let csrf_token = hidden_token(&page_answer.text()).ok_or_else(|| fail(&format!("no CSRF token on {page}")))?;
    Ok(SignedIn { browser, csrf_token })
}

/// Signs the browser out, ending its session; a failure here changes no result.
pub async fn sign_out(addr: SocketAddr, signed_in: &SignedIn) {
    if let Ok(mut conn) = Conn::open(addr).await {
        let _ = conn
            .send(
                &signed_in
                    .browser
                    .post_form("/sign-out", &[("csrf_token", &signed_in.csrf_token)]),
            )
            .await;
    }
}

/// The value of the first `csrf_token` hidden field in a page.
fn hidden_token(html: &str) -> Option<String> {
    let at = html.find("name=\"csrf_token\"")?;
    let rest = &html[at..];
    let value = rest.find("value=\"")? + "value=\"".len();
    let end = rest[value..].find('"')?;
    Some(rest[value..value + end].to_string())
}

#[cfg(test)]
mod tests {
    use super::hidden_token;

    #[test]
    fn finds_the_token_in_a_form() {
        let html = r#"<form><input type="hidden" name="csrf_token" value="abc123"><input name="x" value="y"></form>"#;
        assert_eq!(hidden_token(html).as_deref(), Some("abc123"));
        assert_eq!(hidden_token("<p>none</p>"), None);
    }
}
