//! The quality checklist a report passes before sign-off (issue 12): every section written,
//! sources and consent basis stated, risk dated and sourced, plain English, and the court
//! report's effective-participation rule. A failing item blocks sign-off until it is fixed
//! or the signer waives it with a reason; the participation rule cannot be waived.

use super::Full;
use super::kinds::{PARTICIPATION_LIMBS, PSYCHIATRIC_ASSESSMENT};

/// A sentence longer than this many words is hard to follow in a courtroom or a custody
/// suite.
pub const MAX_SENTENCE_WORDS: usize = 30;

/// Abbreviations a reader outside health services may not know, with what they stand for.
/// One is explained when the report also says what it stands for.
pub const ABBREVIATIONS: &[(&str, &str)] = &[
    ("AA", "appropriate adult"),
    ("ADHD", "attention deficit hyperactivity disorder"),
    ("ASD", "autism spectrum disorder"),
    ("BPD", "borderline personality disorder"),
    ("CMHT", "community mental health team"),
    ("CPN", "community psychiatric nurse"),
    ("CTO", "community treatment order"),
    ("DSH", "deliberate self-harm"),
    ("DV", "domestic violence"),
    ("EUPD", "emotionally unstable personality disorder"),
    ("HCP", "healthcare professional"),
    ("IDVA", "independent domestic violence adviser"),
    ("LD", "learning disability"),
    ("MHA", "Mental Health Act"),
    ("MSE", "mental state examination"),
    ("NFA", "no further action"),
    ("OD", "overdose"),
    ("OIC", "officer in the case"),
    ("PD", "personality disorder"),
    ("PTSD", "post-traumatic stress disorder"),
    ("SH", "self-harm"),
    ("SMI", "serious mental illness"),
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub code: &'static str,
    pub label: &'static str,
    /// What is wrong, when the item fails.
    pub problem: Option<String>,
    pub waivable: bool,
}

impl Item {
    fn new(code: &'static str, label: &'static str, problem: Option<String>) -> Item {
        Item {
            code,
            label,
            problem,
            waivable: true,
        }
    }
}

/// Whether the court report records a concern about any limb of effective participation.
pub fn participation_concern(full: &Full) -> bool {
    full.answers("participation").is_some_and(|a| {
        PARTICIPATION_LIMBS
            .iter()
            .any(|l| matches!(a.text(l), "no" | "unclear"))
    })
}

/// Whether the options keep the psychiatric assessment, or say why not.
pub fn assessment_kept_or_explained(full: &Full) -> bool {
    full.answers("options")
        .is_some_and(|a| a.ticks("options").contains(&PSYCHIATRIC_ASSESSMENT) || !a.text("rationale").trim().is_empty())
}

/// Every word the reader will read: the sections' text and their written answers.
fn prose(full: &Full) -> String {
    let mut out = String::new();
    for s in &full.sections {
        out.push_str(&s.body);
        out.push('\n');
        for (_, words) in full.answer_lines(s) {
            out.push_str(&words);
            out.push('\n');
        }
    }
    out
}

fn long_sentences(text: &str) -> Vec<String> {
    text.split(['.', '!', '?', '\n'])
        .filter(|s| s.split_whitespace().count() > MAX_SENTENCE_WORDS)
        .map(|s| {
            let start: Vec<&str> = s.split_whitespace().take(6).collect();
            format!("“{}…”", start.join(" "))
        })
        .collect()
}

fn unexplained_abbreviations(text: &str) -> Vec<&'static str> {
    let lower = text.to_lowercase();
    let words: std::collections::HashSet<&str> = text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    ABBREVIATIONS
        .iter()
        .filter(|(abbr, meaning)| words.contains(abbr) && !lower.contains(&meaning.to_lowercase()))
        .map(|(abbr, _)| *abbr)
        .collect()
}

/// Every item of the report's checklist, failing or not, in the order shown.
pub fn check(full: &Full) -> Vec<Item> {
    let kind = full.report.kind();
    let checks = &kind.checks;
    let mut items = Vec::new();
    let unwritten: Vec<&str> = full
        .sections
        .iter()
        .filter(|s| !full.is_written(s))
        .map(|s| s.title.as_str())
        .collect();
    items.push(Item::new(
        "sections",
        "Every section written",
        (!unwritten.is_empty()).then(|| format!("Not written: {}", unwritten.join(", "))),
    ));
    if let Some((section, field)) = checks.sources {
        let stated = full.answers(section).is_some_and(|a| !a.text(field).trim().is_empty());
        items.push(Item::new(
            "sources",
            "Sources stated",
            (!stated).then(|| "Say which records were checked and who was spoken to".to_string()),
        ));
    }
    if let Some(section) = checks.consent {
        let stated = full
            .sections
            .iter()
            .any(|s| s.code == section && !s.body.trim().is_empty());
        items.push(Item::new(
            "consent",
            "Consent basis stated",
            (!stated).then(|| "Say what the person agreed to share, or the other lawful basis".to_string()),
        ));
    }
    if let Some((section, field)) = checks.risk_source {
        let source = full
            .answers(section)
            .map(|a| a.text(field).to_string())
            .unwrap_or_default();
        let dated = source.chars().any(|c| c.is_ascii_digit());
        items.push(Item::new(
            "risk",
            "Risk statements dated and sourced",
            (!dated).then(|| "Say where the risk information came from and when, with a date".to_string()),
        ));
    }
    let text = prose(full);
    let long = long_sentences(&text);
    items.push(Item::new(
        "sentences",
        "Plain English: sentences of 30 words or fewer",
        (!long.is_empty()).then(|| format!("Shorten: {}", long.join(", "))),
    ));
    let abbreviations = unexplained_abbreviations(&text);
    items.push(Item::new(
        "abbreviations",
        "Plain English: no unexplained abbreviations",
        (!abbreviations.is_empty()).then(|| {
            format!(
                "Say what these stand for, or write them out: {}",
                abbreviations.join(", ")
            )
        }),
    ));
    if checks.participation {
        let answered = full
            .answers("participation")
            .is_some_and(|a| PARTICIPATION_LIMBS.iter().all(|l| !a.text(l).is_empty()));
        let problem = if !answered {
            Some("Answer every effective-participation question".to_string())
        } else if participation_concern(full) && !assessment_kept_or_explained(full) {
            Some(
                "A participation concern is recorded: recommend a formal psychiatric assessment, or say why not".into(),
            )
        } else {
            None
        };
        items.push(Item {
            waivable: false,
            ..Item::new(
                "participation",
                "Effective participation answered, with its recommendation",
                problem,
            )
        });
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_sentences_are_quoted_by_their_start() {
        let long = "word ".repeat(31);
        let found = long_sentences(&format!("Short one. {long}. Another short one."));
        assert_eq!(found, vec!["“word word word word word word…”".to_string()]);
        assert!(long_sentences(&"word ".repeat(30)).is_empty());
    }

    #[test]
    fn an_abbreviation_is_explained_when_the_report_spells_it_out() {
        assert_eq!(
            unexplained_abbreviations("Known to the CMHT and had an OD."),
            vec!["CMHT", "OD"]
        );
        assert!(unexplained_abbreviations("Known to the community mental health team (CMHT).").is_empty());
        // Whole words only, and in capitals: "pd" in a word, or "Ad" is not an abbreviation.
        assert!(unexplained_abbreviations("She paid. Ad hoc.").is_empty());
    }
}
