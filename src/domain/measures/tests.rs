use chrono::NaiveDate;

use super::*;
use crate::domain::local_time::from_local;

/// A local (Europe/London) time.
fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> Millis {
    from_local(
        NaiveDate::from_ymd_opt(y, mo, d)
            .unwrap()
            .and_hms_opt(h, mi, 0)
            .unwrap(),
    )
}

fn fact(person: u32, source: &str, alert: Millis) -> Fact<'_> {
    Fact {
        person,
        source,
        alert_at: alert,
        target_minutes: 60,
        ..Fact::default()
    }
}

/// Codes as the records keep them (leaked: a test's data lives as long as the test).
fn codes(list: &[&str]) -> Codes<'static> {
    Codes::Text(Box::leak(list.join(",").into_boxed_str()))
}

/// March 2026 at one custody suite (target an hour); the clocks went forward at 01:00 GMT on
/// Sunday 29 March.
fn march() -> Vec<Fact<'static>> {
    let a = Fact {
        screening_started_at: Some(at(2026, 3, 2, 10, 40)),
        assessed: true,
        vulnerabilities: codes(&["mental-health", "drug-misuse"]),
        referrals: 1,
        ..fact(1, "E1", at(2026, 3, 2, 10, 0))
    };
    // Alerted before midnight, screened after it: thirty minutes, counted on the alert's day.
    let b = Fact {
        screening_started_at: Some(at(2026, 3, 11, 0, 20)),
        vulnerabilities: codes(&[NONE_IDENTIFIED]),
        ..fact(2, "E1", at(2026, 3, 10, 23, 50))
    };
    // 00:50 GMT to 02:10 BST is twenty minutes, not eighty.
    let c = Fact {
        screening_started_at: Some(at(2026, 3, 29, 2, 10)),
        assessed: true,
        vulnerabilities: codes(&["mental-health"]),
        referrals: 2,
        ..fact(3, "E2", at(2026, 3, 29, 0, 50))
    };
    // A youth screened late, with nothing recorded.
    let d = Fact {
        screening_started_at: Some(at(2026, 3, 15, 11, 30)),
        ..fact(4, "E1", at(2026, 3, 15, 9, 0))
    };
    let e = Fact {
        not_seen: Some("released-before-seen"),
        ..fact(5, "E1", at(2026, 3, 20, 8, 0))
    };
    let f = fact(6, "E1", at(2026, 3, 31, 12, 0));
    vec![a, b, c, d, e, f]
}

#[test]
fn each_measure_of_a_hand_built_month() {
    let m = ld(&march(), at(2026, 3, 31, 14, 30));
    assert_eq!(m.alerts, 6);
    assert_eq!(m.alerts_by_source, BTreeMap::from([("E1".into(), 5), ("E2".into(), 1)]));
    assert_eq!(m.screened, 4);
    assert_eq!(format!("{:.1}", m.screening_rate().unwrap()), "66.7");
    assert_eq!(
        m.waits,
        Waits {
            completed: 4,
            median: Some(35.0),
            p90: Some(150),
            within_target: 3
        }
    );
    assert_eq!(m.within_target_rate(), Some(75.0));
    assert_eq!((m.still_waiting, m.oldest_wait), (1, Some(150)));
    assert_eq!(m.not_seen, BTreeMap::from([("released-before-seen".into(), 1)]));
    assert_eq!((m.assessed, m.assessed_rate()), (2, Some(50.0)));
    assert_eq!((m.vulnerable, m.vulnerable_rate()), (2, Some(50.0)));
    assert_eq!(
        m.vulnerability_mix,
        BTreeMap::from([("drug-misuse".into(), 1), ("mental-health".into(), 2)])
    );
    assert_eq!((m.referrals, m.referred, m.people), (3, 2, 6));
    assert_eq!(format!("{:.1}", m.referred_rate().unwrap()), "33.3");
}

#[test]
fn people_are_counted_once_however_many_episodes() {
    let twice = |alert: Millis, vulnerabilities: &[&str], referrals: u32| Fact {
        screening_started_at: Some(alert + 10 * MINUTE),
        vulnerabilities: codes(vulnerabilities),
        referrals,
        ..fact(10, "E1", alert)
    };
    let cohort = [
        twice(at(2026, 3, 2, 10, 0), &["alcohol-misuse"], 1),
        twice(at(2026, 3, 9, 10, 0), &["alcohol-misuse"], 1),
        twice(at(2026, 3, 16, 10, 0), &[NONE_IDENTIFIED], 0),
    ];
    let m = ld(&cohort, at(2026, 4, 1, 0, 0));
    assert_eq!((m.alerts, m.screened, m.screened_people, m.people), (3, 3, 1, 1));
    assert_eq!((m.vulnerable, m.vulnerable_rate()), (1, Some(100.0)));
    assert_eq!(m.vulnerability_mix, BTreeMap::from([("alcohol-misuse".into(), 2)]));
    assert_eq!((m.referrals, m.referred, m.referred_rate()), (2, 1, Some(100.0)));
}

#[test]
fn what_happens_after_the_cut_off_does_not_count() {
    let cohort = march();
    let c = &cohort[2];
    let m = ld(std::slice::from_ref(c), c.alert_at + 5 * MINUTE);
    assert_eq!((m.screened, m.still_waiting, m.oldest_wait), (0, 1, Some(5)));
    assert_eq!(m.waits.completed, 0);
    assert_eq!((m.screening_rate(), m.waits.median), (Some(0.0), None));
}

#[test]
fn medians_and_percentiles_at_their_edges() {
    assert_eq!(median(&histogram(&[])), None);
    assert_eq!(median(&histogram(&[3])), Some(3.0));
    assert_eq!(median(&histogram(&[1, 2])), Some(1.5));
    assert_eq!(median(&histogram(&[1, 2, 9])), Some(2.0));
    assert_eq!(median(&histogram(&[4, 4, 4, 9])), Some(4.0));
    assert_eq!(median(&histogram(&[1, 4, 9, 9])), Some(6.5));
    let ten: Vec<i64> = (1..=10).collect();
    assert_eq!(nearest_rank(&histogram(&ten), 90), Some(9));
    let twenty: Vec<i64> = (1..=20).collect();
    assert_eq!(nearest_rank(&histogram(&twenty), 90), Some(18));
    assert_eq!(nearest_rank(&histogram(&[5]), 90), Some(5));
    assert_eq!(nearest_rank(&histogram(&[]), 90), None);
    assert_eq!(nearest_rank(&histogram(&[2, 2, 2, 2, 2, 2, 2, 2, 2, 30]), 90), Some(2));
    assert_eq!(rate(1, 0), None);
}

#[test]
fn tallies_kept_apart_and_merged_give_the_measures_of_the_whole() {
    let now = at(2026, 4, 2, 9, 0);
    let mut cohort = march();
    // Person 1 again, in a later part: counted once across the parts.
    cohort.push(Fact {
        screening_started_at: Some(at(2026, 3, 31, 12, 5)),
        vulnerabilities: codes(&["alcohol-misuse"]),
        ..fact(1, "E2", at(2026, 3, 31, 12, 0))
    });
    let whole = ld(&cohort, now);
    for split in 1..cohort.len() {
        let mut merged = Ld::new(now);
        for part in [&cohort[..split], &cohort[split..]] {
            let mut measuring = Ld::new(Millis::MAX);
            part.iter().for_each(|f| measuring.add(f));
            let (tally, people) = measuring.into_tally();
            let kept = decode_people(&encode_people(&people)).unwrap();
            assert_eq!(kept, people);
            merged.merge(&tally, &kept);
        }
        assert_eq!(merged.finish(), whole, "split after {split}");
    }
}

#[test]
fn people_kept_beside_a_tally_read_back_as_they_were() {
    let people = [(0, 1), (1, 3), (127, 15), (128, 1), (300_000, 9), (u32::MAX, 1)];
    let bytes = encode_people(&people);
    assert_eq!(decode_people(&bytes).unwrap(), people);
    assert_eq!(decode_people(&[]).unwrap(), []);
    // Cut short: a number with no flags, or a varint that never ends.
    assert_eq!(decode_people(&bytes[..bytes.len() - 1]), None);
    assert_eq!(decode_people(&[0x80]), None);
}

#[test]
fn uptake_counts_known_outcomes_only_and_sharing_counts_assessed_episodes() {
    let cohort = [
        Fact {
            screening_started_at: Some(at(2026, 3, 2, 10, 30)),
            assessed: true,
            referrals: 3,
            referrals_attended: 1,
            referrals_not_attended: 1,
            shared_with: codes(&["court", "police", "court"]),
            point_of_contact: "police-custody",
            ..fact(1, "E1", at(2026, 3, 2, 10, 0))
        },
        Fact {
            screening_started_at: Some(at(2026, 3, 3, 10, 30)),
            assessed: true,
            referrals: 1,
            referrals_attended: 1,
            point_of_contact: "magistrates-court",
            ..fact(2, "E2", at(2026, 3, 3, 10, 0))
        },
        // Shared but never assessed: not in LD10, which is a share of the assessed.
        Fact {
            screening_started_at: Some(at(2026, 3, 4, 10, 30)),
            shared_with: codes(&["probation"]),
            point_of_contact: "police-custody",
            ..fact(3, "E1", at(2026, 3, 4, 10, 0))
        },
    ];
    let m = ld(&cohort, at(2026, 4, 1, 0, 0));
    assert_eq!((m.uptake_attended, m.uptake_known, m.uptake_unknown), (2, 3, 1));
    assert_eq!(format!("{:.1}", m.uptake_rate().unwrap()), "66.7");
    assert_eq!((m.shared, m.shared_rate()), (1, Some(50.0)));
    assert_eq!(
        m.shared_by_recipient,
        BTreeMap::from([("court".into(), 1), ("police".into(), 1)])
    );
    assert_eq!(
        m.alerts_by_point,
        BTreeMap::from([("magistrates-court".into(), 1), ("police-custody".into(), 2)])
    );
}

#[test]
fn equality_groups_list_every_group_and_split_the_cohort() {
    let cohort = march();
    let of_each = [
        "White",
        "White",
        "Black or Black British",
        "Mixed",
        "White",
        "Not known",
    ];
    let groups = ["White", "Mixed", "Black or Black British", "Other"];
    let mut split = ByGroup::new(at(2026, 3, 31, 14, 30));
    for (f, group) in cohort.iter().zip(of_each) {
        split.add(group, f);
    }
    let split = split.finish(&groups);
    let names: Vec<&str> = split.iter().map(|(g, _)| g.as_str()).collect();
    assert_eq!(
        names,
        ["White", "Mixed", "Black or Black British", "Other", "Not known"]
    );
    let alerts: Vec<usize> = split.iter().map(|(_, m)| m.alerts).collect();
    assert_eq!(alerts, [3, 1, 1, 0, 1]);
    assert_eq!(alerts.iter().sum::<usize>(), cohort.len());
    // White: a (40 minutes), b (30 minutes) screened, e not seen.
    let white = &split[0].1;
    assert_eq!((white.screened, white.waits.median), (2, Some(35.0)));
    assert_eq!(white.not_seen.len(), 1);
}
