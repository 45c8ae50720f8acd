use super::*;
use crate::domain::measures::NONE_IDENTIFIED;

/// Closed two hours after the alert, before anyone screened the person.
fn closed_unseen_record(id: &str, reason: Option<String>) -> ReturnRecord {
    let r = clean(id);
    ReturnRecord {
        screening_started_at: None,
        screened_at: None,
        assessed_at: None,
        first_referral_at: None,
        closed_at: Some(r.alert_at + 2 * HOUR),
        not_seen_reason: reason,
        vulnerabilities: vec![],
        ..r
    }
}

fn row(field: &'static str, [valid, other, default, invalid, missing]: [usize; 5]) -> FieldQuality {
    FieldQuality {
        field,
        valid,
        other,
        default,
        invalid,
        missing,
    }
}

#[test]
fn a_mixed_set_falls_into_the_five_categories() {
    let records = [
        clean("q1"),
        ReturnRecord {
            nhs_number: None,
            date_of_birth: None,
            ethnic_category: text("Z"),
            gender_identity: text("X"),
            sex: text("X"),
            source: "CPS".into(),
            point_of_contact: "community-other".into(),
            cj_stage: None,
            ..closed_unseen_record("q2", text("other"))
        },
        ReturnRecord {
            nhs_number: text(NHS_WRONG_CHECK),
            date_of_birth: dob(2020, 1, 1),
            youth: true,
            ethnic_category: text("99"),
            gender_identity: text("4"),
            sex: text("Z"),
            source: "E9".into(),
            point_of_contact: "custody".into(),
            cj_stage: text("charged"),
            ..closed_unseen_record("q3", None)
        },
        ReturnRecord {
            nhs_number: text(""),
            ethnic_category: None,
            gender_identity: text("Q"),
            sex: None,
            source: String::new(),
            point_of_contact: String::new(),
            cj_stage: text(""),
            vulnerabilities: vec![],
            ..clean("q4")
        },
        ReturnRecord {
            ethnic_category: text("W"),
            gender_identity: None,
            sex: text("F"),
            source: "E2".into(),
            point_of_contact: "youth-court".into(),
            cj_stage: text("sentenced"),
            vulnerabilities: vec!["veteran".into(), "tired".into()],
            ..clean("q5")
        },
        closed_unseen_record("q6", text("declined")),
        ReturnRecord {
            vulnerabilities: vec![NONE_IDENTIFIED.into()],
            ..clean("q7")
        },
    ];
    let table = validate(&records, &BTreeMap::new(), now()).quality;
    //                                        valid other default invalid missing
    let expected = [
        row("NHS number", [4, 0, 0, 1, 2]),
        row("Date of birth", [5, 0, 0, 1, 1]),
        row("Ethnic category", [3, 0, 2, 1, 1]),
        row("Gender identity", [3, 1, 1, 1, 1]),
        row("Stated gender (sex)", [4, 0, 2, 0, 1]),
        row("Source of referral", [4, 1, 0, 1, 1]),
        row("Point of contact", [4, 1, 0, 1, 1]),
        row("Criminal justice stage", [4, 0, 0, 1, 2]),
        // Only q2, q3 and q6 closed before screening.
        row("Not-seen reason", [1, 1, 0, 0, 1]),
        // Only q1, q4, q5 and q7 were screened.
        row("Vulnerabilities", [2, 0, 0, 1, 1]),
    ];
    assert_eq!(table, expected);
    for q in &table {
        let applies = match q.field {
            NOT_SEEN_REASON => records.iter().filter(|r| closed_unseen(r)).count(),
            VULNERABILITY => records.iter().filter(|r| screened(r)).count(),
            _ => records.len(),
        };
        assert_eq!(q.total(), applies, "{}", q.field);
    }
    assert_eq!(quality(&records), table);
}

#[test]
fn an_empty_return_has_an_empty_table_and_nothing_to_say() {
    let v = check(&[]);
    assert!(v.can_lock());
    assert_eq!(v.warnings, vec![]);
    assert_eq!(v.quality.len(), 10);
    assert!(v.quality.iter().all(|q| q.total() == 0));
}

#[test]
fn the_five_categories_are_defined_in_words() {
    let names: Vec<&str> = quality_definitions().iter().map(|(name, _)| *name).collect();
    assert_eq!(names, ["Valid", "Other", "Default", "Invalid", "Missing"]);
    for (name, words) in quality_definitions() {
        assert!(words.len() > 40 && words.ends_with('.'), "{name}");
    }
}
