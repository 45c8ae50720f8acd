//! A matching key for names, so that searches find "O'Brien" when someone types "obrien" and
//! "Zoë" when someone types "Zoe". Keys are for comparison only; always show the name as
//! the person gave it.

/// Lower-cases, folds accented Latin letters to plain ones, and drops spaces, hyphens,
/// apostrophes and full stops.
pub fn name_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        if is_ignored(c) {
            continue;
        }
        match fold(c) {
            Some(plain) => key.push_str(plain),
            None => key.push(c),
        }
    }
    key
}

/// Punctuation people use inconsistently in names, and combining accents from decomposed
/// text (e.g. "e" followed by U+0301).
fn is_ignored(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '-' | '\u{2010}' | '\u{2011}' | '\'' | '\u{2019}' | '\u{2018}' | '`' | '.'
        )
        || ('\u{0300}'..='\u{036f}').contains(&c)
}

/// The plain spelling of a lower-case Latin-1 or Latin Extended-A letter.
fn fold(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'ĳ' => "ij",
        'ĵ' => "j",
        'ķ' | 'ĸ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' | 'ŉ' | 'ŋ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
        'œ' => "oe",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ſ' => "s",
        'ß' => "ss",
        'ţ' | 'ť' | 'ŧ' => "t",
        'þ' => "th",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ignores_case_and_punctuation() {
        assert_eq!(name_key("O'Brien"), "obrien");
        assert_eq!(name_key("O’Brien"), "obrien");
        assert_eq!(name_key("Smith-Jones"), "smithjones");
        assert_eq!(name_key("  Van der Berg "), "vanderberg");
        assert_eq!(name_key("St. John"), "stjohn");
        assert_eq!(name_key("obrien"), name_key("O'BRIEN"));
    }

    #[test]
    fn folds_accents() {
        assert_eq!(name_key("Zoë"), "zoe");
        assert_eq!(name_key("Zoe\u{0308}"), "zoe");
        assert_eq!(name_key("José Muñoz"), "josemunoz");
        assert_eq!(name_key("François"), "francois");
        assert_eq!(name_key("Łukasz Wąs"), "lukaszwas");
        assert_eq!(name_key("Strauß"), "strauss");
        assert_eq!(name_key("STRAUẞ"), "strauss");
        assert_eq!(name_key("Søren Åberg"), "sorenaberg");
        assert_eq!(name_key("Dvořák"), "dvorak");
        assert_eq!(name_key("İlkay"), "ilkay");
    }

    #[test]
    fn keeps_letters_it_does_not_know() {
        assert_eq!(name_key("Олена"), "олена");
        assert_eq!(name_key(""), "");
    }

    proptest! {
        #[test]
        fn keys_are_stable(name in ".{0,30}") {
            let key = name_key(&name);
            prop_assert_eq!(name_key(&key), key.clone());
            prop_assert!(!key.contains(['-', '\'', '’', ' ', '.']));
        }

        #[test]
        fn case_and_spacing_do_not_change_the_key(name in "[A-Za-z]{1,10}( [A-Za-z]{1,10})?") {
            prop_assert_eq!(name_key(&name.to_uppercase()), name_key(&name.replace(' ', "-")));
        }
    }
}
