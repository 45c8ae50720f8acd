use super::*;

#[test]
fn defaults_are_valid_and_use_a_local_sqlite_file() {
    let c = Config::default();
    c.validate().unwrap();
    assert_eq!(c.database_target().unwrap(), Target::Sqlite("./liaison.db".into()));
}

#[test]
fn bad_settings_are_named() {
    let c = Config {
        listen: "nowhere".into(),
        ..Config::default()
    };
    assert_eq!(c.validate().unwrap_err().setting, "listen");
    let c = Config {
        allow_http: true,
        listen: "0.0.0.0:8080".into(),
        ..Config::default()
    };
    assert_eq!(c.validate().unwrap_err().setting, "allow_http");
    let c = Config {
        allow_privileged_without_second_factor: true,
        listen: "10.0.0.5:8080".into(),
        ..Config::default()
    };
    assert_eq!(
        c.validate().unwrap_err().setting,
        "allow_privileged_without_second_factor"
    );
    let c = Config {
        idle_timeout_minutes: 0,
        ..Config::default()
    };
    assert_eq!(c.validate().unwrap_err().setting, "idle_timeout_minutes");
}

#[test]
fn outcome_measures_must_be_known_and_listed_once() {
    let with = |codes: &[&str]| Config {
        mhtr_outcome_measures: codes.iter().map(|c| c.to_string()).collect(),
        ..Config::default()
    };
    with(&["phq-9", "gad-7"]).validate().unwrap();
    for bad in [&[][..], &["core-11"], &["wemwbs", "wemwbs"]] {
        let err = with(bad).validate().unwrap_err();
        assert_eq!(err.setting, "mhtr_outcome_measures", "{bad:?}");
    }
    let err = with(&["core-11"]).validate().unwrap_err();
    assert!(err.reason.contains("core-10, wemwbs"), "{}", err.reason);
}

#[test]
fn passwords_never_reach_the_log() {
    let c = Config {
        database_url: Some("postgres://liaison:s3cret@db/liaison".into()),
        ..Config::default()
    };
    let d = c.describe();
    assert!(!d.contains("s3cret"), "{d}");
    assert!(d.contains("liaison:***@db/liaison"), "{d}");
}

#[test]
fn smtp_passwords_never_reach_the_log() {
    let c = Config {
        smtp_url: Some("smtps://liaison:hunter22@mail.nhs.net:465".into()),
        ..Config::default()
    };
    c.validate().unwrap();
    assert!(!c.describe().contains("hunter22"));
}

#[test]
fn unknown_file_settings_are_refused() {
    let err = toml::from_str::<Config>("listn = \"x\"").err().unwrap();
    assert!(err.message().contains("listn"));
}
