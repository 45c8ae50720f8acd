//! Codes read for counting: a code from one of the lists the measures count is kept as its
//! place in [`LISTED`], a set of them as bits, so reading a year of rows copies no text
//! (decision 0021). Anything else is kept as the text stored, and counts as that text.

use std::sync::LazyLock;

use diesel::deserialize::FromSqlRow;

use super::Codes;
use crate::domain::codes::{
    ETHNIC_CATEGORIES, GENDER_IDENTITY, NOT_SEEN_REASONS, REFERRAL_SOURCES, RETIRED_VULNERABILITIES, VULNERABILITIES,
};
use crate::domain::sharing::Scope;

/// Every code of the lists an episode's facts hold, each once, and each one's place.
pub(super) struct Listed {
    codes: Vec<&'static str>,
    places: foldhash::HashMap<&'static str, u8>,
}

/// A set of codes is a `u128`: one bit a place.
const MOST: usize = 128;

pub(super) static LISTED: LazyLock<Listed> = LazyLock::new(|| {
    let lists = [
        REFERRAL_SOURCES,
        NOT_SEEN_REASONS,
        GENDER_IDENTITY,
        ETHNIC_CATEGORIES,
        VULNERABILITIES,
        RETIRED_VULNERABILITIES,
    ];
    let listed = lists.iter().flat_map(|list| list.iter().map(|(code, _)| *code));
    let scopes = Scope::ALL.iter().map(|scope| scope.code());
    let mut codes: Vec<&'static str> = Vec::new();
    for code in listed.chain(scopes) {
        if !codes.contains(&code) {
            codes.push(code);
        }
    }
    assert!(codes.len() <= MOST, "{} listed codes: a set holds {MOST}", codes.len());
    let places = codes.iter().enumerate().map(|(n, code)| (*code, n as u8)).collect();
    Listed { codes, places }
});

impl Listed {
    fn place(&self, code: &str) -> Option<u8> {
        self.places.get(code).copied()
    }

    pub(super) fn code(&self, place: u8) -> &'static str {
        self.codes[usize::from(place)]
    }
}

/// One stored code.
#[derive(Debug, Clone, PartialEq, Eq, FromSqlRow)]
pub enum Code {
    Listed(u8),
    Other(Box<str>),
}

impl Code {
    pub fn read(text: &str) -> Code {
        LISTED
            .place(text)
            .map_or_else(|| Code::Other(text.into()), Code::Listed)
    }

    pub fn as_str(&self) -> &str {
        match self {
            Code::Listed(place) => LISTED.code(*place),
            Code::Other(text) => text,
        }
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Codes stored comma-separated. Listed codes are kept as a set, in list order and each once;
/// a value with any other code is kept as it was stored.
#[derive(Debug, Clone, PartialEq, Eq, FromSqlRow)]
pub enum CodeSet {
    Listed(u128),
    Other(Box<str>),
}

impl Default for CodeSet {
    fn default() -> CodeSet {
        CodeSet::Listed(0)
    }
}

impl CodeSet {
    pub fn read(text: &str) -> CodeSet {
        let mut set = 0u128;
        for code in Codes::Text(text).iter() {
            match LISTED.place(code) {
                Some(place) => set |= 1 << place,
                None => return CodeSet::Other(text.into()),
            }
        }
        CodeSet::Listed(set)
    }

    pub fn codes(&self) -> Codes<'_> {
        match self {
            CodeSet::Listed(set) => Codes::Listed(*set),
            CodeSet::Other(text) => Codes::Text(text),
        }
    }
}

crate::read_from_text!(Code, CodeSet);

#[cfg(test)]
mod tests {
    use super::{Code, CodeSet, LISTED};

    #[test]
    fn every_listed_code_reads_as_itself_and_fits_a_set() {
        let listed = LISTED.codes.len();
        assert!(listed > 0 && listed <= 128);
        for place in 0..listed as u8 {
            let code = LISTED.code(place);
            assert_eq!(Code::read(code), Code::Listed(place));
            assert_eq!(Code::read(code).as_str(), code);
        }
        assert_eq!(Code::read("E1").as_str(), "E1");
        assert_eq!(Code::read("not-a-code"), Code::Other("not-a-code".into()));
        assert_eq!(Code::read("not-a-code").as_str(), "not-a-code");
    }

    #[test]
    fn a_set_of_listed_codes_gives_each_once_in_list_order_and_anything_else_as_stored() {
        let codes = |set: &CodeSet| set.codes().iter().map(String::from).collect::<Vec<_>>();
        assert_eq!(codes(&CodeSet::read("")), Vec::<String>::new());
        assert!(CodeSet::read("").codes().is_empty());
        let first = LISTED.code(0);
        let second = LISTED.code(1);
        let stored = format!("{second},{first},,{second}");
        assert_eq!(codes(&CodeSet::read(&stored)), [first, second]);
        let odd = format!("{first},retired-long-ago");
        assert_eq!(CodeSet::read(&odd), CodeSet::Other(odd.clone().into()));
        assert_eq!(codes(&CodeSet::read(&odd)), [first, "retired-long-ago"]);
    }
}
