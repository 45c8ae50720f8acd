use chrono::NaiveDate;

use super::*;
use crate::domain::local_time::from_local;

fn at(y: i32, mo: u32, d: u32) -> Millis {
    from_local(
        NaiveDate::from_ymd_opt(y, mo, d)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap(),
    )
}

/// A case that reached every status in `path`, a day apart from 1 March 2026.
fn journey(path: &[&str]) -> Journey {
    Journey {
        referred_at: at(2026, 3, 1),
        reached: path
            .iter()
            .enumerate()
            .map(|(i, s)| (s.to_string(), at(2026, 3, 2 + i as u32)))
            .collect(),
        eligibility_at: path.contains(&"assessment").then(|| at(2026, 3, 2)),
        status: path.last().copied().unwrap_or("referred").into(),
        ..Journey::default()
    }
}

const TO_SENTENCE: [&str; 6] = [
    "eligibility",
    "assessment",
    "consent",
    "negotiation",
    "recommendation",
    "awaiting-sentence",
];

fn sentenced(first_session: Option<(u32, u32)>) -> Journey {
    let mut path = TO_SENTENCE.to_vec();
    path.push("treatment");
    let mut j = journey(&path);
    j.negotiation_outcome = Some("pathway-agreed".into());
    j.first_attended_on = first_session.map(|(m, d)| NaiveDate::from_ymd_opt(2026, m, d).unwrap());
    j
}

#[test]
fn each_stage_counts_the_cases_that_reached_it() {
    let mut not_eligible = journey(&["eligibility"]);
    not_eligible.eligibility_at = Some(at(2026, 3, 2));
    let mut stepped = journey(&TO_SENTENCE);
    stepped.negotiation_outcome = Some("stepped-to-primary-care".into());
    let mut completed = sentenced(Some((3, 20)));
    completed.status = "completed".into();
    (completed.sessions_attended, completed.sessions_offered) = (10, 12);
    let mut revoked = sentenced(None);
    (revoked.status, revoked.exit_reason) = ("closed".into(), Some("revoked".into()));
    let mut breach = sentenced(Some((3, 12)));
    breach.breach_referred = true;
    (breach.sessions_attended, breach.sessions_offered) = (2, 5);
    let cases = [
        journey(&["referred"]),
        not_eligible,
        stepped,
        completed,
        revoked,
        breach,
    ];
    let f = funnel(&cases);
    let counts: Vec<(&str, usize)> = f.stages.iter().map(|s| (s.id, s.count)).collect();
    assert_eq!(
        counts,
        [
            ("M1", 6),
            ("M2", 5),
            ("M3", 4),
            ("M4", 4),
            ("M5", 4),
            ("M6", 4),
            ("M7", 3),
            ("M8", 3),
            ("M9", 2)
        ]
    );
    assert_eq!((f.sessions_attended, f.sessions_offered), (12, 17));
    assert_eq!(
        f.endings,
        BTreeMap::from([(ENDED_BREACH, 1), (ENDED_COMPLETED, 1), (ENDED_REVOKED, 1)])
    );
    // Assessment completed on 4 March, sentence on 8 March: four days, for all three.
    assert_eq!((f.days_m4_to_m8, f.m4_to_m8_cases), (Some(4.0), 3));
    // Sentenced 8 March; first sessions on 12 and 20 March: 4 and 12 days.
    assert_eq!((f.days_m8_to_m9, f.m8_to_m9_cases), (Some(8.0), 2));
    let conversions: Vec<Option<String>> = f.conversions().iter().map(|c| c.map(|v| format!("{v:.0}"))).collect();
    assert_eq!(conversions[0], None);
    assert_eq!(conversions[1].as_deref(), Some("83"));
    assert_eq!(conversions[6].as_deref(), Some("75"));
}

#[test]
fn an_empty_cohort_has_no_rates_or_medians() {
    let f = funnel(&[]);
    assert!(f.stages.iter().all(|s| s.count == 0));
    assert!(f.conversions().iter().all(Option::is_none));
    assert_eq!((f.days_m4_to_m8, f.days_m8_to_m9), (None, None));
    assert!(f.endings.is_empty());
}
