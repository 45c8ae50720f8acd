//! NHS.UK / GOV.UK-style components.

use maud::{Markup, html};

use crate::views::form::Errors;

/// The list of problems at the top of a form, each linking to its field.
pub fn error_summary(errors: &Errors) -> Markup {
    html! {
        @if !errors.is_empty() {
            div.app-error-summary aria-labelledby="error-summary-title" role="alert" tabindex="-1" {
                h2 #error-summary-title .app-error-summary__title { "There is a problem" }
                ul.app-error-summary__list {
                    @for (field, message) in errors.iter() {
                        li { a href={ "#" (field) } { (message) } }
                    }
                }
            }
        }
    }
}

pub struct Field<'a> {
    pub name: &'static str,
    pub label: &'a str,
    pub value: &'a str,
    pub hint: Option<&'a str>,
    pub kind: &'a str,
    pub autocomplete: Option<&'a str>,
}

impl<'a> Field<'a> {
    pub fn text(name: &'static str, label: &'a str, value: &'a str) -> Self {
        Field {
            name,
            label,
            value,
            hint: None,
            kind: "text",
            autocomplete: None,
        }
    }

    pub fn kind(mut self, kind: &'a str) -> Self {
        self.kind = kind;
        self
    }

    pub fn hint(mut self, hint: &'a str) -> Self {
        self.hint = Some(hint);
        self
    }

    pub fn autocomplete(mut self, value: &'a str) -> Self {
        self.autocomplete = Some(value);
        self
    }
}

/// A labelled input with its hint and, when invalid, its error message.
pub fn input(field: Field<'_>, errors: &Errors) -> Markup {
    let error = errors.get(field.name);
    let hint_id = format!("{}-hint", field.name);
    let error_id = format!("{}-error", field.name);
    let described: Vec<&str> = [field.hint.map(|_| hint_id.as_str()), error.map(|_| error_id.as_str())]
        .into_iter()
        .flatten()
        .collect();
    let value = if field.kind == "password" { "" } else { field.value };
    html! {
        div.app-form-group.app-form-group--error[error.is_some()] {
            label.app-label for=(field.name) { (field.label) }
            @if let Some(h) = field.hint { div.app-hint id=(hint_id) { (h) } }
            @if let Some(e) = error {
                p.app-error-message id=(error_id) { span.app-visually-hidden { "Error: " } (e) }
            }
            input.app-input.app-input--error[error.is_some()] type=(field.kind) id=(field.name) name=(field.name)
                value=(value) autocomplete=[field.autocomplete]
                aria-describedby=[(!described.is_empty()).then(|| described.join(" "))]
                aria-invalid=[error.map(|_| "true")];
        }
    }
}

/// A select with its options as (value, label) pairs.
pub fn select(name: &str, label: &str, options: &[(String, String)], selected: &str, errors: &Errors) -> Markup {
    let error = errors.get(name);
    html! {
        div.app-form-group.app-form-group--error[error.is_some()] {
            label.app-label for=(name) { (label) }
            @if let Some(e) = error { p.app-error-message id={ (name) "-error" } { span.app-visually-hidden { "Error: " } (e) } }
            select.app-select id=(name) name=(name) aria-describedby=[error.map(|_| format!("{name}-error"))] {
                @for (value, text) in options {
                    option value=(value) selected[value == selected] { (text) }
                }
            }
        }
    }
}

/// Checkboxes in a fieldset; `checked` holds the values ticked.
pub fn checkboxes(
    name: &'static str,
    legend: &str,
    options: &[(String, String)],
    checked: &[String],
    errors: &Errors,
) -> Markup {
    let error = errors.get(name);
    html! {
        div.app-form-group.app-form-group--error[error.is_some()] {
            fieldset.app-fieldset id=(name) {
                legend.app-fieldset__legend { (legend) }
                @if let Some(e) = error { p.app-error-message { span.app-visually-hidden { "Error: " } (e) } }
                @for (i, (value, text)) in options.iter().enumerate() {
                    @let id = format!("{name}-{i}");
                    div.app-checkbox {
                        input type="checkbox" id=(id) name=(name) value=(value) checked[checked.contains(value)];
                        label for=(id) { (text) }
                    }
                }
            }
        }
    }
}

/// The hidden fields every form that changes something carries: the CSRF token, and a
/// one-time key so that sending the same form twice changes nothing twice
/// ([`crate::web::once`]).
pub fn csrf_field(token: &str) -> Markup {
    csrf_fields(token, None)
}

/// The same fields outside the form they belong to (`form_id`): for a form inside a rendering
/// kept for every user ([`crate::web::kept`]), which cannot hold anyone's token.
pub fn csrf_field_for(token: &str, form_id: &str) -> Markup {
    csrf_fields(token, Some(form_id))
}

fn csrf_fields(token: &str, form_id: Option<&str>) -> Markup {
    html! {
        input type="hidden" name="csrf_token" value=(token) form=[form_id];
        input type="hidden" name="request_key" value=(crate::auth::session::random_token()) form=[form_id];
    }
}

/// Key–value rows, as in a check-answers page.
pub fn summary_list(rows: &[(&str, Markup)]) -> Markup {
    html! {
        dl.app-summary-list {
            @for (key, value) in rows {
                div.app-summary-list__row {
                    dt.app-summary-list__key { (key) }
                    dd.app-summary-list__value { (value) }
                }
            }
        }
    }
}

#[derive(Clone, Copy)]
pub enum Tone {
    Neutral,
    Good,
    Warning,
    Bad,
}

/// A status tag: the words carry the meaning, the colour only repeats it.
pub fn tag(text: &str, tone: Tone) -> Markup {
    let class = match tone {
        Tone::Neutral => "app-tag",
        Tone::Good => "app-tag app-tag--green",
        Tone::Warning => "app-tag app-tag--yellow",
        Tone::Bad => "app-tag app-tag--red",
    };
    html! { strong class=(class) { (text) } }
}

/// A banner after an action ("User created").
pub fn notification(heading: &str, success: bool) -> Markup {
    html! {
        div.app-notification.app-notification--success[success] role=(if success { "alert" } else { "region" }) aria-labelledby="notification-title" {
            p #notification-title .app-notification__heading { (heading) }
        }
    }
}

/// A question that applies only when the radio or select `name` has `value`: shown always
/// without JavaScript (the form works as it is), and with it revealed only when it applies.
pub fn shown_when(name: &str, value: &str, content: Markup) -> Markup {
    html! {
        div.app-conditional data-shown-when={ (name) "=" (value) } { (content) }
    }
}

/// A table with a caption; rows are pre-rendered cells. On a narrow screen the table scrolls
/// sideways in its own box (focusable, so it scrolls from the keyboard too), not the page.
pub fn table(caption: &str, headings: &[&str], rows: &[Vec<Markup>]) -> Markup {
    html! {
        div.app-table-wrap tabindex="0" role="region" aria-label=(caption) {
            table.app-table {
                caption.app-table__caption { (caption) }
                thead { tr { @for h in headings { th scope="col" { (h) } } } }
                tbody {
                    @for row in rows { tr { @for cell in row { td { (cell) } } } }
                }
            }
        }
    }
}

/// The GOV.UK date pattern: day, month and year boxes in a fieldset. Errors are looked up
/// under `{prefix}` (the whole date) and `{prefix}-day|month|year`.
pub fn date_input(
    prefix: &'static str,
    legend: &str,
    hint: Option<&str>,
    values: [&str; 3],
    errors: &Errors,
) -> Markup {
    let parts = [("day", "Day", 2), ("month", "Month", 2), ("year", "Year", 4)];
    let part_errors: Vec<Option<&str>> = parts
        .iter()
        .map(|(p, _, _)| errors.get(&format!("{prefix}-{p}")))
        .collect();
    let error = errors
        .get(prefix)
        .or_else(|| part_errors.iter().flatten().next().copied());
    html! {
        div.app-form-group.app-form-group--error[error.is_some()] {
            fieldset.app-fieldset id=(prefix) role="group" aria-describedby=[hint.map(|_| format!("{prefix}-hint"))] {
                legend.app-fieldset__legend { (legend) }
                @if let Some(h) = hint { div.app-hint id={ (prefix) "-hint" } { (h) } }
                @if let Some(e) = error { p.app-error-message { span.app-visually-hidden { "Error: " } (e) } }
                div.app-date-input {
                    @for (i, (part, label, width)) in parts.iter().enumerate() {
                        @let id = format!("{prefix}-{part}");
                        @let wrong = error.is_some() && (part_errors[i].is_some() || errors.get(prefix).is_some());
                        // One class attribute: a second would be dropped, and with it the width.
                        @let class = format!("app-input app-input--width-{width}{}", if wrong { " app-input--error" } else { "" });
                        div.app-date-input__item {
                            label.app-label for=(id) { (label) }
                            input class=(class) type="text" inputmode="numeric" id=(id) name=(id) value=(values[i]);
                        }
                    }
                }
            }
        }
    }
}

/// A multi-line text box whose name is made at run time (one per record in a list).
pub fn textarea_named(name: &str, label: &str, value: &str, errors: &Errors) -> Markup {
    let error = errors.get(name);
    html! {
        div.app-form-group.app-form-group--error[error.is_some()] {
            label.app-label for=(name) { (label) }
            @if let Some(e) = error { p.app-error-message { span.app-visually-hidden { "Error: " } (e) } }
            textarea.app-textarea id=(name) name=(name) rows="2" { (value) }
        }
    }
}

/// A multi-line text box.
pub fn textarea(name: &'static str, label: &str, value: &str, hint: Option<&str>, errors: &Errors) -> Markup {
    let error = errors.get(name);
    html! {
        div.app-form-group.app-form-group--error[error.is_some()] {
            label.app-label for=(name) { (label) }
            @if let Some(h) = hint { div.app-hint id={ (name) "-hint" } { (h) } }
            @if let Some(e) = error { p.app-error-message id={ (name) "-error" } { span.app-visually-hidden { "Error: " } (e) } }
            textarea.app-textarea.app-input--error[error.is_some()] id=(name) name=(name) rows="4"
                aria-describedby=[hint.map(|_| format!("{name}-hint"))] { (value) }
        }
    }
}

/// Radios in a fieldset, laid out like the checkboxes; `selected` is the chosen value.
pub fn radios(name: &str, legend: &str, options: &[(&str, &str)], selected: &str, errors: &Errors) -> Markup {
    let error = errors.get(name);
    html! {
        div.app-form-group.app-form-group--error[error.is_some()] {
            fieldset.app-fieldset id=(name) {
                legend.app-fieldset__legend { (legend) }
                @if let Some(e) = error { p.app-error-message { span.app-visually-hidden { "Error: " } (e) } }
                @for (i, (value, text)) in options.iter().enumerate() {
                    @let id = format!("{name}-{i}");
                    div.app-checkbox {
                        input type="radio" id=(id) name=(name) value=(value) checked[*value == selected];
                        label for=(id) { (text) }
                    }
                }
            }
        }
    }
}

/// A code list as (value, label) choices for checkboxes.
pub fn choices(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(c, l)| (c.to_string(), l.to_string())).collect()
}

/// Options for a select from a code list, with an empty first choice.
pub fn code_options(first: &str, list: &[(&str, &str)]) -> Vec<(String, String)> {
    std::iter::once((String::new(), first.to_string()))
        .chain(list.iter().map(|(c, l)| (c.to_string(), l.to_string())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::date_input;
    use crate::views::form::Errors;

    #[test]
    fn each_date_box_has_one_class_attribute_with_its_width() {
        let mut errors = Errors::default();
        for html in [
            date_input("dob", "Date of birth", None, ["1", "2", "1980"], &errors).into_string(),
            {
                errors.add("dob-day", "Enter a day");
                date_input("dob", "Date of birth", None, ["", "2", "1980"], &errors).into_string()
            },
        ] {
            for input in html.split("<input").skip(1) {
                let tag = &input[..input.find('>').unwrap()];
                assert_eq!(tag.matches("class=").count(), 1, "{tag}");
                assert!(tag.contains("app-input--width-"), "{tag}");
            }
        }
        let wrong = date_input("dob", "Date of birth", None, ["", "2", "1980"], &errors).into_string();
        assert!(wrong.contains(
            r#"class="app-input app-input--width-2 app-input--error" type="text" inputmode="numeric" id="dob-day""#
        ));
    }
}
