//! What the second-factor pages share: the QR code drawn on the server as inline SVG (no
//! script, no image service), the enrolment form, the code field and the recovery codes.

use maud::{Markup, html};

use crate::auth::totp;
use crate::views::components::{self, Field};
use crate::views::form::Errors;

/// Modules of white border round the code, as the QR standard asks.
const QUIET: usize = 4;

/// The QR code of `text` as an SVG image: one path of unit squares, scaled by the viewBox.
pub fn qr_svg(text: &str, label: &str) -> Markup {
    let Ok(code) = qrcode::QrCode::new(text.as_bytes()) else {
        return html! {};
    };
    let width = code.width();
    let mut path = String::new();
    for (i, colour) in code.to_colors().iter().enumerate() {
        if *colour == qrcode::Color::Dark {
            let (x, y) = (i % width + QUIET, i / width + QUIET);
            path.push_str(&format!("M{x} {y}h1v1h-1z"));
        }
    }
    let size = width + 2 * QUIET;
    html! {
        svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label=(label) width="200" height="200" viewBox={ "0 0 " (size) " " (size) } shape-rendering="crispEdges" {
            rect width=(size) height=(size) fill="#ffffff" {}
            path d=(path) fill="#000000" {}
        }
    }
}

/// The secret in groups of four, easier to type into an app by hand.
pub fn grouped(secret: &str) -> String {
    let chars: Vec<char> = secret.chars().collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The code field of a form.
pub fn code_field(label: &str, hint: &str, errors: &Errors) -> Markup {
    components::input(
        Field::text("code", label, "").hint(hint).autocomplete("one-time-code"),
        errors,
    )
}

/// The enrolment steps: scan (or type) the secret, then enter the code the app shows.
pub fn enrol_form(action: &str, csrf: &str, username: &str, secret: &[u8], demo: bool, errors: &Errors) -> Markup {
    let uri = totp::otpauth_uri(username, secret);
    html! {
        @if demo {
            (components::notification("Demo mode does not require a second factor: you can set one up here to try it.", false))
        }
        ol.app-list {
            li { "Open an authenticator app on your work phone (for example Microsoft Authenticator or Google Authenticator) and add an account." }
            li {
                "Scan this QR code with the app:"
                div { (qr_svg(&uri, "QR code for your authenticator app")) }
                "Or type this key into the app instead (time-based, 6 digits): "
                code #secret { (grouped(&totp::encode(secret))) }
            }
            li { "Enter the 6-digit code the app now shows for Liaison." }
        }
        form method="post" action=(action) novalidate {
            (components::csrf_field(csrf))
            (code_field("Code from your authenticator app", "6 digits, for example 123456", errors))
            button.app-button type="submit" { "Confirm and set up" }
        }
    }
}

/// The recovery codes, shown once.
pub fn recovery_codes(codes: &[String], continue_to: &str) -> Markup {
    html! {
        h2.app-heading-m { "Your recovery codes" }
        p { strong { "These are shown only once." } " If you lose your phone, each code signs you in once instead of a code from the app. Print them or write them down now, and keep them somewhere safe away from your phone." }
        ol.app-list #recovery-codes {
            @for c in codes { li { code { (c) } } }
        }
        p { a.app-button href=(continue_to) { "I have kept my recovery codes – continue" } }
    }
}
