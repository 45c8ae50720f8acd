//! Small-number suppression for figures that leave the organisation. Two NHS rules, chosen by
//! the deployment: Hospital Episode Statistics (1–7 hidden, the rest rounded to the nearest 5;
//! the default) and NHS England's mental health statistics (under 5, zero included, hidden; the
//! rest rounded to the nearest 5). Percentages and totals are worked from the unrounded counts.

use serde::Deserialize;

/// How a hidden figure is shown (the Government Analysis Function's symbol for "confidential").
pub const HIDDEN: &str = "[c]";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// Hospital Episode Statistics, since September 2018.
    #[default]
    Hes,
    /// NHS England mental health monthly statistics, below national level.
    MentalHealthStatistics,
}

/// A figure as published: a number, or hidden.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Shown {
    Value(f64),
    Hidden,
}

impl Shown {
    pub fn text(self, decimals: usize) -> String {
        match self {
            Shown::Value(v) => format!("{v:.decimals$}"),
            Shown::Hidden => HIDDEN.to_string(),
        }
    }
}

impl Rule {
    pub fn code(self) -> &'static str {
        match self {
            Rule::Hes => "hes",
            Rule::MentalHealthStatistics => "mental-health-statistics",
        }
    }

    /// Whether a count this small is hidden.
    pub fn hides(self, n: i64) -> bool {
        match self {
            Rule::Hes => (1..=7).contains(&n),
            Rule::MentalHealthStatistics => n < 5,
        }
    }

    /// A count: hidden when small, otherwise rounded to the nearest 5 (halves up).
    pub fn count(self, n: i64) -> Shown {
        if self.hides(n) {
            Shown::Hidden
        } else {
            Shown::Value(nearest_five(n) as f64)
        }
    }

    /// A total, summed from the unrounded cells and then rounded, so it need not equal the sum
    /// of the published cells.
    pub fn total(self, cells: &[i64]) -> Shown {
        self.count(cells.iter().sum())
    }

    /// A percentage from the unrounded counts, hidden when either count is.
    pub fn percent(self, numerator: i64, denominator: i64) -> Shown {
        if self.hides(numerator) || self.hides(denominator) || denominator == 0 {
            return Shown::Hidden;
        }
        Shown::Value(100.0 * numerator as f64 / denominator as f64)
    }

    /// A mean or median: not shown when it describes few enough people to be hidden.
    pub fn statistic(self, value: f64, people: i64) -> Shown {
        if self.hides(people) || people == 0 {
            Shown::Hidden
        } else {
            Shown::Value(value)
        }
    }
}

fn nearest_five(n: i64) -> i64 {
    (n + 2).div_euclid(5) * 5
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(rule: Rule, n: i64) -> String {
        rule.count(n).text(0)
    }

    #[test]
    fn hes_hides_one_to_seven_and_rounds_the_rest_to_five() {
        let cases = [
            (0, "0"),
            (1, "[c]"),
            (7, "[c]"),
            (8, "10"),
            (12, "10"),
            (13, "15"),
            (17, "15"),
            (18, "20"),
            (1_002, "1000"),
            (1_003, "1005"),
        ];
        for (n, want) in cases {
            assert_eq!(shown(Rule::Hes, n), want, "{n}");
        }
    }

    #[test]
    fn mental_health_statistics_hide_under_five_zero_included() {
        let cases = [(0, "[c]"), (4, "[c]"), (5, "5"), (7, "5"), (8, "10")];
        for (n, want) in cases {
            assert_eq!(shown(Rule::MentalHealthStatistics, n), want, "{n}");
        }
    }

    #[test]
    fn totals_round_the_unrounded_sum() {
        // Cells 3, 3 and 3 are each hidden, but their total of 9 is shown as 10.
        assert_eq!(Rule::Hes.total(&[3, 3, 3]).text(0), "10");
        // 8 + 8 publishes as 10 + 10, yet the total is 16, rounded to 15.
        assert_eq!(Rule::Hes.total(&[8, 8]).text(0), "15");
        assert_eq!(Rule::Hes.total(&[2, 3]).text(0), "[c]");
    }

    #[test]
    fn percentages_come_from_unrounded_counts_and_hide_with_either_side() {
        assert_eq!(Rule::Hes.percent(9, 12).text(1), "75.0");
        assert_eq!(Rule::Hes.percent(7, 120), Shown::Hidden);
        assert_eq!(Rule::Hes.percent(8, 7), Shown::Hidden);
        assert_eq!(Rule::Hes.percent(0, 40).text(1), "0.0");
        assert_eq!(Rule::Hes.percent(0, 0), Shown::Hidden);
        assert_eq!(Rule::MentalHealthStatistics.percent(0, 40), Shown::Hidden);
    }

    #[test]
    fn medians_over_few_people_are_not_shown() {
        assert_eq!(Rule::Hes.statistic(42.0, 7), Shown::Hidden);
        assert_eq!(Rule::Hes.statistic(42.0, 8).text(0), "42");
        assert_eq!(Rule::Hes.statistic(42.0, 0), Shown::Hidden);
    }
}
