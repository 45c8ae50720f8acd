//! Field errors collected while validating a form, in the order the fields appear, and the
//! request's refused input that every form reports (set by the `web::input` middleware).

use std::cell::Cell;
use std::future::Future;

/// Shown at each field that held a control character. The characters are gone from the
/// answer shown again, so the user checks it and submits again.
pub const REFUSED_INPUT: &str = "Answers must not contain special control characters. They have been removed: check this answer and submit it again";

/// The fields of this request whose control characters were removed, and whether any form
/// reported them.
struct Refused {
    fields: Vec<String>,
    reported: Cell<bool>,
}

tokio::task_local! {
    static REFUSED: Refused;
}

/// Runs a request's handling with `fields` as its refused input; answers its output and
/// whether any form reported the fields.
pub async fn with_refused_input<F: Future>(fields: Vec<String>, work: F) -> (F::Output, bool) {
    let refused = Refused {
        fields,
        reported: Cell::new(false),
    };
    REFUSED
        .scope(refused, async move {
            let out = work.await;
            (out, REFUSED.with(|r| r.reported.get()))
        })
        .await
}

/// The fields of the request being handled whose control characters were removed; empty
/// outside a request.
fn refused_fields() -> Vec<String> {
    REFUSED
        .try_with(|r| {
            r.reported.set(true);
            r.fields.clone()
        })
        .unwrap_or_default()
}

/// The problems with a form's answers: (field id, message) pairs.
///
/// **An `Errors` made while a request is handled starts with the request's refused input**:
/// one [`REFUSED_INPUT`] for each field whose control characters the input middleware
/// removed (`web::input`). So every form that validates into an `Errors` shows itself again
/// with those fields marked and saves nothing, without a line of its own. Outside a request
/// (unit tests, the CLI) it starts empty.
#[derive(Debug, Clone)]
pub struct Errors(Vec<(String, String)>);

impl Default for Errors {
    fn default() -> Self {
        Errors(
            refused_fields()
                .into_iter()
                .map(|field| (field, REFUSED_INPUT.to_string()))
                .collect(),
        )
    }
}

impl Errors {
    /// Only the request's refused input: for a form saved as typed (a draft), whose answers
    /// are otherwise not checked. The same as `Errors::default()`, named for such a caller.
    pub fn refused_input() -> Errors {
        Errors::default()
    }

    /// `Ok(value)` when there are no errors, else the errors.
    pub fn or_ok<T>(self, value: T) -> Result<T, Errors> {
        if self.is_empty() { Ok(value) } else { Err(self) }
    }

    /// `field` is the input's id, which the error summary links to. A field already marked
    /// for refused input keeps that one message (one message per field).
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        let field = field.into();
        if self.0.iter().any(|(f, m)| *f == field && m == REFUSED_INPUT) {
            return;
        }
        self.0.push((field, message.into()));
    }

    pub fn check(&mut self, field: &str, problem: Option<&str>) {
        if let Some(p) = problem {
            self.add(field, p);
        }
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|(f, _)| f == field).map(|(_, m)| m.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(f, m)| (f.as_str(), m.as_str()))
    }
}
