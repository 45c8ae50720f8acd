//! Cheap tolerance for familiar forms of given names when searching for an existing record:
//! "Bob Smith" should turn up "Robert Smith". This is deliberately a short list of common
//! English forms, not a complete nickname dictionary; matches are suggestions for a person
//! to confirm, never an automatic link.

use super::name_key;

/// Familiar or variant forms (as name keys) and the full names they may stand for.
const NICKNAMES: &[(&[&str], &[&str])] = &[
    (&["bob", "bobby", "rob", "robbie", "robby"], &["robert"]),
    (&["bill", "billy", "will", "willy"], &["william"]),
    (&["liz", "lizzie", "lizzy", "beth", "betty", "eliza"], &["elizabeth"]),
    (
        &["kate", "katie", "katy", "cathy", "kathy", "cath", "kath"],
        &["katherine", "catherine"],
    ),
    (&["catherine", "kathryn", "katharine"], &["katherine"]),
    (&["jim", "jimmy"], &["james"]),
    (&["mike", "mick", "mickey"], &["michael"]),
    (&["dave", "davey"], &["david"]),
    (&["tom", "tommy"], &["thomas"]),
    (&["tony"], &["anthony"]),
    (&["chris"], &["christopher", "christine"]),
    (&["alex"], &["alexander", "alexandra"]),
    (&["sam"], &["samuel", "samantha"]),
    (&["jo"], &["joanne", "josephine"]),
    (&["steve"], &["stephen", "steven"]),
    (&["steven"], &["stephen"]),
    (&["dan", "danny"], &["daniel"]),
    (&["nick", "nicky"], &["nicholas"]),
    (&["matt"], &["matthew"]),
    (&["pete"], &["peter"]),
    (&["jen", "jenny"], &["jennifer"]),
    (&["sue", "suzy"], &["susan"]),
    (&["mo"], &["mohammed", "maureen"]),
    (
        &["mohammad", "muhammad", "mohamed", "muhammed", "mohamad"],
        &["mohammed"],
    ),
];

/// The name's own key followed by the full names it may be short for, without repeats.
pub fn given_name_keys(name: &str) -> Vec<String> {
    let key = name_key(name);
    let mut keys = vec![key.clone()];
    for (short_forms, full_names) in NICKNAMES {
        if short_forms.contains(&key.as_str()) {
            for full in *full_names {
                if !keys.iter().any(|k| k == full) {
                    keys.push((*full).to_string());
                }
            }
        }
    }
    keys
}

/// Whether two given names may be the same person's: they share a key. Blank names never
/// match, so a missing name cannot link two records.
pub fn given_names_match(a: &str, b: &str) -> bool {
    let (a, b) = (given_name_keys(a), given_name_keys(b));
    a.iter().any(|k| !k.is_empty() && b.contains(k))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_start_with_the_name_itself() {
        assert_eq!(given_name_keys("Zoë"), vec!["zoe"]);
        assert_eq!(given_name_keys("Bob"), vec!["bob", "robert"]);
        assert_eq!(given_name_keys(" ROBBIE "), vec!["robbie", "robert"]);
        assert_eq!(given_name_keys("Kate"), vec!["kate", "katherine", "catherine"]);
        assert_eq!(given_name_keys("Mo"), vec!["mo", "mohammed", "maureen"]);
        assert_eq!(given_name_keys("Steve"), vec!["steve", "stephen", "steven"]);
    }

    #[test]
    fn familiar_forms_match_full_names() {
        for (short, full) in [
            ("Bob", "Robert"),
            ("Bill", "William"),
            ("Will", "William"),
            ("Liz", "Elizabeth"),
            ("Betty", "Elizabeth"),
            ("Kate", "Catherine"),
            ("Katie", "Katherine"),
            ("Jimmy", "James"),
            ("Mike", "Michael"),
            ("Dave", "David"),
            ("Tom", "Thomas"),
            ("Tony", "Anthony"),
            ("Chris", "Christine"),
            ("Chris", "Christopher"),
            ("Alex", "Alexandra"),
            ("Sam", "Samuel"),
            ("Jo", "Josephine"),
            ("Steve", "Steven"),
            ("Danny", "Daniel"),
            ("Nick", "Nicholas"),
            ("Matt", "Matthew"),
            ("Pete", "Peter"),
            ("Jenny", "Jennifer"),
            ("Sue", "Susan"),
            ("Mo", "Maureen"),
            ("Mo", "Muhammad"),
        ] {
            assert!(given_names_match(short, full), "{short} ~ {full}");
            assert!(given_names_match(full, short), "{full} ~ {short}");
        }
    }

    #[test]
    fn spelling_variants_share_a_key() {
        assert!(given_names_match("Mohammad", "Muhammad"));
        assert!(given_names_match("Mohamed", "Mohammed"));
        assert!(given_names_match("Catherine", "Katherine"));
        assert!(given_names_match("Stephen", "Steven"));
        assert!(given_names_match("Zoe", "Zoë"));
    }

    #[test]
    fn different_names_do_not_match() {
        assert!(!given_names_match("Robert", "William"));
        assert!(!given_names_match("Bob", "Bill"));
        assert!(!given_names_match("Christopher", "Christine"));
        assert!(!given_names_match("", ""));
        assert!(!given_names_match(" ", "Bob"));
    }

    #[test]
    fn the_table_is_written_in_key_form() {
        for (short_forms, full_names) in NICKNAMES {
            for name in short_forms.iter().chain(full_names.iter()) {
                assert_eq!(name_key(name), *name);
            }
        }
    }
}
