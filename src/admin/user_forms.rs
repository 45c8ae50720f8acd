//! The forms of the user pages and their validation.

use maud::{Markup, html};
use serde::Deserialize;

use crate::auth::accounts::{self, Team};
use crate::domain::{Role, password_policy};
use crate::views::components::{self, Field};
use crate::views::form::Errors;

/// The account form as submitted. `teams` repeats, so it is read from the raw pairs.
#[derive(Default, Debug, Clone)]
pub struct AccountForm {
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub teams: Vec<String>,
    pub password: String,
}

impl AccountForm {
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut form = AccountForm::default();
        for (k, v) in pairs {
            match k.as_str() {
                "username" => form.username = v,
                "display_name" => form.display_name = v,
                "role" => form.role = v,
                "teams" => form.teams.push(v),
                "password" => form.password = v,
                _ => {}
            }
        }
        form
    }

    /// Checks the fields shared by create and edit; `creating` adds username and password.
    pub fn validate(&self, creating: bool, known_teams: &[Team]) -> (Errors, Option<Role>) {
        let mut errors = Errors::default();
        if creating {
            errors.check(
                "username",
                accounts::username_problem(&accounts::normalise_username(&self.username)),
            );
        }
        let name = self.display_name.trim();
        if name.is_empty() {
            errors.add("display_name", "Enter the person's full name");
        } else if name.chars().count() > 100 {
            errors.add("display_name", "Full name must be 100 characters or fewer");
        }
        let role = self.role.parse::<Role>().ok();
        if role.is_none() {
            errors.add("role", "Select a role");
        }
        if self.teams.iter().any(|t| !known_teams.iter().any(|k| &k.id == t)) {
            errors.add("teams", "Select teams from the list");
        }
        if creating {
            errors.check("password", password_policy::problem(&self.password));
        }
        (errors, role)
    }
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    pub password: String,
}

fn role_options() -> Vec<(String, String)> {
    std::iter::once((String::new(), "Select a role".to_string()))
        .chain(Role::ALL.iter().map(|r| (r.code().to_string(), r.label().to_string())))
        .collect()
}

pub fn team_options(teams: &[Team]) -> Vec<(String, String)> {
    teams.iter().map(|t| (t.id.to_string(), t.name.clone())).collect()
}

/// The fields of the account form; `creating` adds username and first password.
pub fn account_fields(form: &AccountForm, creating: bool, teams: &[Team], errors: &Errors) -> Markup {
    html! {
        @if creating {
            (components::input(Field::text("username", "Username", &form.username)
                .hint("Letters, numbers, full stops, hyphens and underscores. For example, jane.smith")
                .autocomplete("off"), errors))
        }
        (components::input(Field::text("display_name", "Full name", &form.display_name).autocomplete("off"), errors))
        (components::select("role", "Role", &role_options(), &form.role, errors))
        @if teams.is_empty() {
            p { "There are no teams yet. " a href="/admin/teams" { "Add a team" } " first if this person needs one." }
        } @else {
            (components::checkboxes("teams", "Teams", &team_options(teams), &form.teams, errors))
        }
        @if creating {
            (components::input(Field::text("password", "First password", "").kind("password")
                .hint("8 to 128 characters. A few unrelated words are easy to remember and hard to guess. Tell the person in person, not by email")
                .autocomplete("new-password"), errors))
        }
    }
}
