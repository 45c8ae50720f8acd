//! Field errors collected while validating a form, in the order the fields appear.

use super::input;

/// The problems with a form's answers: (field id, message) pairs.
///
/// **An `Errors` made while a request is handled starts with the request's refused input**:
/// one [`input::MESSAGE`] for each field whose control characters the input middleware
/// removed (`web::input`). So every form that validates into an `Errors` shows itself again
/// with those fields marked and saves nothing, without a line of its own. Outside a request
/// (unit tests, the CLI) it starts empty.
#[derive(Debug, Clone)]
pub struct Errors(Vec<(String, String)>);

impl Default for Errors {
    fn default() -> Self {
        Errors(
            input::refused_fields()
                .into_iter()
                .map(|field| (field, input::MESSAGE.to_string()))
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
        if self.0.iter().any(|(f, m)| *f == field && m == input::MESSAGE) {
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
