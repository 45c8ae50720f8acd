//! One `Config`: defaults, then an optional TOML file, then `LIAISON_*` environment variables
//! and command-line flags (clap merges those two), validated before anything starts.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::db::Target;

#[derive(Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Address and port to listen on.
    pub listen: String,
    /// `sqlite://PATH`, a plain path, or `postgres://…`. Unset: `liaison.db` in `data_dir`.
    pub database_url: Option<String>,
    pub data_dir: PathBuf,
    /// Sign the user out after this many minutes without activity.
    pub idle_timeout_minutes: i64,
    /// Sign the user out this many hours after sign-in whatever their activity.
    pub absolute_timeout_hours: i64,
    /// Sessions one user may hold at once; signing in again ends the least recently used.
    pub max_sessions_per_user: i64,
    /// Serve plain HTTP cookies (no `Secure`, no `__Host-` prefix). Loopback addresses only.
    pub allow_http: bool,
    pub pool_size: u32,
    /// Failed sign-ins allowed per account, and per client address, within `throttle_window_minutes`.
    pub max_failed_sign_ins_per_account: i64,
    pub max_failed_sign_ins_per_address: i64,
    pub throttle_window_minutes: i64,
    /// lettre's URL form: `smtps://user:pass@host:465` or `smtp://user:pass@host:587?tls=required`.
    /// Unset: mail is written to files under `data_dir/outbox-mail` (development and demos).
    pub smtp_url: Option<String>,
    pub mail_from: String,
    /// Domains (and their subdomains) that may receive clinical detail.
    pub secure_domains: Vec<String>,
    /// The address partners' answer links point at, e.g. `https://liaison.example.nhs.uk`.
    /// Unset: derived from `listen`.
    pub public_url: Option<String>,
    pub answer_link_days: i64,
    /// Show a partner at a secure address the person's full name on the answer page;
    /// otherwise initials and date of birth, the minimum to match the letter.
    pub answer_links_show_name: bool,
    /// Chase an unanswered referral after this many working days.
    pub chase_after_working_days: i64,
    /// Run the outbox worker in this process. Tests turn it off and run passes themselves.
    pub run_outbox_worker: bool,
    /// Take the client address from `Forwarded` / `X-Forwarded-For`: only behind a reverse proxy
    /// that sets them, or anyone could pick their own address.
    pub trust_forwarded_for: bool,
    /// The outcome measures MHTR practitioners record at the start and end of treatment,
    /// chosen from `domain::mhtr::OUTCOME_MEASURES`; the evaluation extract has a start and
    /// end column for each.
    pub mhtr_outcome_measures: Vec<String>,
    /// A team keeps its legitimate relationship with a person for this many days after its
    /// last episode, MHTR case or referral for them closes.
    pub relationship_days: i64,
    /// How long a break-glass opens a record for, read-only.
    pub break_glass_minutes: i64,
    /// The information governance lead reviews each break-glass or self-claimed relationship
    /// within this many days.
    pub access_review_days: i64,
    /// On PostgreSQL, start even when the server's role could alter the audit trail (it owns
    /// the tables or is a superuser), with a warning. For development only: a live service
    /// runs the server as a role `liaison migrate --app-role` granted less.
    pub allow_database_owner: bool,
    /// Retention of mental health records (NHS Records Management Code of Practice): years
    /// after the last contact ends, or after death if sooner. The records manager confirms
    /// them; the children's rule is the Code's own.
    pub retention_years_after_contact: i64,
    pub retention_years_after_death: i64,
    /// Signing on at a court also needs a current police vetting clearance (police sites
    /// always do; decision 0019).
    pub vetting_required_at_courts: bool,
    /// Require every user to sign in with a second factor (TOTP). Unset: required outside
    /// demo mode, not in it. Administrators and IG leads need one whatever this says.
    pub require_second_factor: Option<bool>,
    /// Let administrators and IG leads sign in without a second factor. Only for automated
    /// tests: a live service leaves it off (the server warns when it is on).
    pub allow_privileged_without_second_factor: bool,
    /// Break-glass, identifiable exports and changing one's own factor need the factor
    /// confirmed within this many minutes.
    pub reauth_minutes: i64,
    /// The small-number rule for figures that leave the organisation (the commissioner
    /// return and its dashboard): `hes` (1–7 hidden; the default) or
    /// `mental-health-statistics` (under 5 hidden).
    pub suppression_rule: crate::domain::suppression::Rule,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: "127.0.0.1:8080".into(),
            database_url: None,
            data_dir: PathBuf::from("."),
            idle_timeout_minutes: 30,
            absolute_timeout_hours: 12,
            max_sessions_per_user: 3,
            allow_http: false,
            pool_size: 8,
            max_failed_sign_ins_per_account: 5,
            max_failed_sign_ins_per_address: 20,
            throttle_window_minutes: 15,
            smtp_url: None,
            mail_from: "Liaison <liaison@localhost>".into(),
            secure_domains: vec!["nhs.net".into(), "cjsm.net".into()],
            public_url: None,
            answer_link_days: 14,
            answer_links_show_name: false,
            chase_after_working_days: 3,
            run_outbox_worker: true,
            trust_forwarded_for: false,
            mhtr_outcome_measures: crate::domain::mhtr::DEFAULT_MEASURES.map(String::from).to_vec(),
            relationship_days: 90,
            break_glass_minutes: 60,
            access_review_days: 7,
            allow_database_owner: false,
            retention_years_after_contact: 20,
            retention_years_after_death: 10,
            vetting_required_at_courts: false,
            require_second_factor: None,
            allow_privileged_without_second_factor: false,
            reauth_minutes: 5,
            suppression_rule: crate::domain::suppression::Rule::Hes,
        }
    }
}

/// A setting that failed validation, named so the operator can find it.
#[derive(Debug, thiserror::Error)]
#[error("invalid setting `{setting}`: {reason}")]
pub struct ConfigError {
    pub setting: &'static str,
    pub reason: String,
}

fn bad(setting: &'static str, reason: impl Into<String>) -> ConfigError {
    ConfigError {
        setting,
        reason: reason.into(),
    }
}

impl Config {
    /// Reads a TOML file over the defaults.
    pub fn from_file(path: &Path) -> Result<Config, ConfigError> {
        let text =
            std::fs::read_to_string(path).map_err(|e| bad("config", format!("cannot read {}: {e}", path.display())))?;
        toml::from_str(&text).map_err(|e| bad("config", format!("{}: {}", path.display(), e.message())))
    }

    pub fn database_target(&self) -> Result<Target, ConfigError> {
        match &self.database_url {
            Some(url) => Target::parse(url).map_err(|r| bad("database_url", r)),
            None => Ok(Target::Sqlite(
                self.data_dir.join("liaison.db").to_string_lossy().into_owned(),
            )),
        }
    }

    pub fn listen_addr(&self) -> Result<SocketAddr, ConfigError> {
        self.listen.parse().map_err(|_| {
            bad(
                "listen",
                format!("`{}` is not an address and port such as 127.0.0.1:8080", self.listen),
            )
        })
    }

    pub fn validate(&self) -> Result<(), ConfigError> {
        let addr = self.listen_addr()?;
        self.database_target()?;
        if !(1..=24 * 60).contains(&self.idle_timeout_minutes) {
            return Err(bad("idle_timeout_minutes", "must be between 1 and 1440"));
        }
        if !(1..=72).contains(&self.absolute_timeout_hours) {
            return Err(bad("absolute_timeout_hours", "must be between 1 and 72"));
        }
        if !(1..=20).contains(&self.max_sessions_per_user) {
            return Err(bad("max_sessions_per_user", "must be between 1 and 20"));
        }
        if self.idle_timeout_minutes > self.absolute_timeout_hours * 60 {
            return Err(bad("idle_timeout_minutes", "must not exceed the absolute timeout"));
        }
        if self.allow_http && !addr.ip().is_loopback() {
            return Err(bad(
                "allow_http",
                "plain HTTP is allowed only on a loopback address such as 127.0.0.1",
            ));
        }
        // The test suite's escape from the second factor must never reach a served network.
        if self.allow_privileged_without_second_factor && !addr.ip().is_loopback() {
            return Err(bad(
                "allow_privileged_without_second_factor",
                "is for automated tests only, and allowed only on a loopback address such as 127.0.0.1",
            ));
        }
        if !(1..=256).contains(&self.pool_size) {
            return Err(bad("pool_size", "must be between 1 and 256"));
        }
        if let Some(url) = &self.smtp_url {
            crate::domain::smtp_url::check_smtp_url(url).map_err(|r| bad("smtp_url", r))?;
        }
        if !self.mail_from.contains('@') || self.mail_from.trim().is_empty() {
            return Err(bad(
                "mail_from",
                "must be an email address, like Liaison <liaison@trust.nhs.uk>",
            ));
        }
        if let Some(url) = &self.public_url
            && !(url.starts_with("https://") || url.starts_with("http://"))
        {
            return Err(bad(
                "public_url",
                "must start with https:// (or http:// for local development)",
            ));
        }
        if !(1..=90).contains(&self.answer_link_days) {
            return Err(bad("answer_link_days", "must be between 1 and 90"));
        }
        if !(1..=30).contains(&self.chase_after_working_days) {
            return Err(bad("chase_after_working_days", "must be between 1 and 30"));
        }
        check_measures(&self.mhtr_outcome_measures)?;
        if !(1..=60).contains(&self.reauth_minutes) {
            return Err(bad("reauth_minutes", "must be between 1 and 60"));
        }
        for (name, v) in [
            ("retention_years_after_contact", self.retention_years_after_contact),
            ("retention_years_after_death", self.retention_years_after_death),
        ] {
            if !(1..=100).contains(&v) {
                return Err(bad(name, "must be between 1 and 100 years"));
            }
        }
        for (name, v) in [
            ("max_failed_sign_ins_per_account", self.max_failed_sign_ins_per_account),
            ("max_failed_sign_ins_per_address", self.max_failed_sign_ins_per_address),
            ("throttle_window_minutes", self.throttle_window_minutes),
            ("relationship_days", self.relationship_days),
            ("break_glass_minutes", self.break_glass_minutes),
            ("access_review_days", self.access_review_days),
        ] {
            if !(1..=10_000).contains(&v) {
                return Err(bad(name, "must be between 1 and 10000"));
            }
        }
        Ok(())
    }

    /// The retention periods the deployment confirmed (validated to fit).
    pub fn retention_periods(&self) -> crate::domain::retention::Periods {
        let years = |v: i64| u32::try_from(v).unwrap_or(u32::MAX);
        crate::domain::retention::Periods {
            years_after_contact: years(self.retention_years_after_contact),
            years_after_death: years(self.retention_years_after_death),
        }
    }

    /// Where links in emails point, without a trailing slash.
    pub fn public_base(&self) -> String {
        match &self.public_url {
            Some(url) => url.trim_end_matches('/').to_string(),
            None => format!("{}://{}", if self.allow_http { "http" } else { "https" }, self.listen),
        }
    }

    /// The settings as they may be logged: the database URL loses any password.
    pub fn describe(&self) -> String {
        let db = match self.database_target() {
            Ok(Target::Postgres(url)) => redact_url_password(&url),
            Ok(Target::Sqlite(path)) => format!("sqlite://{path}"),
            Err(_) => "invalid".into(),
        };
        let mail = match &self.smtp_url {
            Some(url) => redact_url_password(url),
            None => "files".into(),
        };
        format!(
            "listen={} database={} mail={} idle_timeout={}min absolute_timeout={}h allow_http={}",
            self.listen, db, mail, self.idle_timeout_minutes, self.absolute_timeout_hours, self.allow_http
        )
    }
}

fn check_measures(codes: &[String]) -> Result<(), ConfigError> {
    use crate::domain::mhtr::{OUTCOME_MEASURES, outcome_measure};
    let known = || OUTCOME_MEASURES.iter().map(|m| m.code).collect::<Vec<_>>().join(", ");
    if codes.is_empty() {
        return Err(bad(
            "mhtr_outcome_measures",
            format!("name at least one of {}", known()),
        ));
    }
    for (i, code) in codes.iter().enumerate() {
        if outcome_measure(code).is_none() {
            return Err(bad(
                "mhtr_outcome_measures",
                format!("`{code}` is not a known measure; choose from {}", known()),
            ));
        }
        if codes[..i].contains(code) {
            return Err(bad("mhtr_outcome_measures", format!("`{code}` is listed twice")));
        }
    }
    Ok(())
}

fn redact_url_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return "***".into();
    };
    match rest.split_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{scheme}://{user}:***@{host}")
        }
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests;
