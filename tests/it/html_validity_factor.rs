//! The second factor's pages for the HTML validity check (decision 0018): set-up with its QR
//! code, with errors, the recovery codes, the enrolled factor, re-authentication, and the
//! sign-in's code step, and an administrator's reset.

use liaison::auth::{second_factor, totp};
use liaison::domain::Role;
use reqwest::StatusCode;

use crate::harness::{PASSWORD, TestApp};
use crate::html_validity::Documents;

pub(crate) async fn second_factor_pages(docs: &mut Documents, app: &TestApp, admin: &TestApp, user: &str) {
    let (ok, invalid) = (StatusCode::OK, StatusCode::UNPROCESSABLE_ENTITY);
    let reset = format!("/admin/users/{user}/second-factor");
    docs.page(admin, "admin-reset-factor", &reset, ok).await;
    const PAGE: &str = "/account/second-factor";
    let sam_id = app.add_user("sam.factor", Role::Practitioner, &["Brent L&D"]);
    let sam = app.another_client();
    sam.sign_in_ok("sam.factor").await;
    let confirm = "/account/confirm?next=%2Faccount%2Fsecond-factor";
    docs.page(&sam, "confirm-with-password", confirm, ok).await;
    sam.reauthenticate(&sam_id, PAGE).await;
    docs.page(&sam, "factor-set-up", PAGE, ok).await;
    docs.post(
        &sam,
        "factor-set-up-with-errors",
        PAGE,
        PAGE,
        &[("code", "12")],
        invalid,
    )
    .await;
    sam.align_to_step();
    let secret = second_factor::current_candidate(&mut app.conn(), &sam_id, app.state.now())
        .unwrap()
        .unwrap();
    let code = totp::code_at(&secret, app.state.now());
    docs.post(&sam, "factor-recovery-codes", PAGE, PAGE, &[("code", &code)], ok)
        .await;
    docs.page(&sam, "factor-enrolled", PAGE, ok).await;
    let confirm = "/account/confirm?next=%2Faccount%2Fsecond-factor%2Fnew";
    docs.page(&sam, "confirm", confirm, ok).await;
    let form = [("next", "/account/second-factor/new"), ("code", "")];
    docs.post(&sam, "confirm-with-errors", confirm, "/account/confirm", &form, invalid)
        .await;
    sam.reauthenticate(&sam_id, "/account/second-factor/new").await;
    docs.page(&sam, "factor-new-phone", "/account/second-factor/new", ok)
        .await;

    let visitor = app.another_client();
    visitor.sign_in("sam.factor", PASSWORD).await;
    docs.page(&visitor, "sign-in-code", "/sign-in/code", ok).await;
    let empty = [("code", "")];
    docs.post(
        &visitor,
        "sign-in-code-with-errors",
        "/sign-in/code",
        "/sign-in/code",
        &empty,
        invalid,
    )
    .await;
    docs.page(&app.another_client(), "sign-in-again", "/sign-in/code", ok)
        .await;
}
