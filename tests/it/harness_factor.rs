//! The harness's second-factor helpers: enrol a factor for a user straight in the database,
//! compute the code their app would show (from the stored secret, through the library's own
//! RFC 6238 function), sign in with it, and confirm the factor again before a gated action.

use liaison::auth::{second_factor, totp};
use reqwest::{Response, StatusCode};

use crate::harness::{PASSWORD, TestApp, csrf_token, location};

impl TestApp {
    /// Gives the user a second factor (no recovery codes); returns its secret. Codes from
    /// the step before the current one on are accepted.
    pub fn enrol_factor(&self, user_id: &str) -> Vec<u8> {
        let mut conn = self.conn();
        let now = self.state.now();
        let secret = second_factor::candidate(&mut conn, user_id, now).unwrap();
        second_factor::confirm(&mut conn, user_id, &secret, totp::step_at(now) - 2, &[], now).unwrap();
        secret
    }

    /// Moves the clock to early in a 30-second step, so a code computed now is still the
    /// current one when the server checks it.
    pub fn align_to_step(&self) {
        let into = self.state.now().rem_euclid(30_000);
        if into > 20_000 {
            self.clock.advance_ms(30_000 - into + 500);
        }
    }

    /// The code of `offset` steps from now for the user's enrolled factor.
    pub fn code_at_offset(&self, user_id: &str, offset: i64) -> String {
        let (secret, _) = second_factor::enrolled(&mut self.conn(), user_id)
            .unwrap()
            .expect("a factor");
        totp::code_for_step(&secret, totp::step_at(self.state.now()) + offset, totp::DIGITS)
    }

    /// A code the server will accept now: the current step, after moving the clock on a
    /// step when the current one was used already.
    pub fn fresh_code(&self, user_id: &str) -> String {
        self.align_to_step();
        let (_, last) = second_factor::enrolled(&mut self.conn(), user_id)
            .unwrap()
            .expect("a factor");
        if last.is_some_and(|l| l >= totp::step_at(self.state.now())) {
            self.clock.advance_ms(30_000);
        }
        self.code_at_offset(user_id, 0)
    }

    /// Sends a code to the sign-in's second step.
    pub async fn send_code(&self, code: &str) -> Response {
        self.submit("/sign-in/code", "/sign-in/code", &[("code", code)]).await
    }

    /// Signs in with password and code, and checks it worked.
    pub async fn sign_in_with_code(&self, username: &str, user_id: &str) {
        let res = self.sign_in(username, PASSWORD).await;
        assert_eq!(location(&res), "/sign-in/code", "{username} is asked for a code");
        let res = self.send_code(&self.fresh_code(user_id)).await;
        assert_eq!((res.status(), location(&res)), (StatusCode::SEE_OTHER, "/".to_string()));
    }

    /// Confirms it is them (`/account/confirm`): with a code when they have a factor,
    /// otherwise with their password. Returns where they were sent.
    pub async fn reauthenticate(&self, user_id: &str, next: &str) -> String {
        let has = second_factor::has_factor(&mut self.conn(), user_id).unwrap();
        let code = if has { self.fresh_code(user_id) } else { String::new() };
        let field = if has {
            ("code", code.as_str())
        } else {
            ("password", PASSWORD)
        };
        let page = format!("/account/confirm?next={next}");
        let (_, html) = self.page(&page).await;
        let token = csrf_token(&html);
        let res = self
            .post(
                "/account/confirm",
                &[("csrf_token", token.as_str()), ("next", next), field],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "confirmed");
        location(&res)
    }
}
