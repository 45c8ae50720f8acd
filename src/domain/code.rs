//! Codes stored as text. A stored value that names no variant is an error, never a default:
//! reading such a row fails (and the web layer logs it) instead of quietly becoming
//! something else.

mod listed;

use listed::LISTED;
pub use listed::{Code, CodeSet};

/// Codes as the records keep them, comma-separated in one string, or as read for counting: a
/// set of places in [`LISTED`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Codes<'a> {
    Text(&'a str),
    Listed(u128),
}

impl Default for Codes<'_> {
    fn default() -> Self {
        Codes::Text("")
    }
}

impl<'a> Codes<'a> {
    pub fn iter(self) -> CodesIter<'a> {
        match self {
            Codes::Text(text) => CodesIter::Text(text.split(',')),
            Codes::Listed(set) => CodesIter::Listed(set),
        }
    }

    pub fn is_empty(self) -> bool {
        self.iter().next().is_none()
    }
}

/// The codes one at a time: empty ones between commas skipped.
pub enum CodesIter<'a> {
    Text(std::str::Split<'a, char>),
    Listed(u128),
}

impl<'a> Iterator for CodesIter<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        match self {
            CodesIter::Text(split) => split.find(|code| !code.is_empty()),
            CodesIter::Listed(set) => {
                if *set == 0 {
                    return None;
                }
                // The lowest place left, then clear its bit.
                let place = set.trailing_zeros() as u8;
                *set &= *set - 1;
                Some(LISTED.code(place))
            }
        }
    }
}

/// Reads a text column into `T` without copying the text first.
pub fn from_borrowed_text<DB, T>(bytes: DB::RawValue<'_>, read: fn(&str) -> T) -> diesel::deserialize::Result<T>
where
    DB: diesel::backend::Backend,
    *const str: diesel::deserialize::FromSql<diesel::sql_types::Text, DB>,
{
    let text = <*const str as diesel::deserialize::FromSql<diesel::sql_types::Text, DB>>::from_sql(bytes)?;
    // SAFETY: diesel keeps the text it points to alive until this function returns (its
    // documented contract for `*const str`), and `read` copies what it keeps.
    Ok(read(unsafe { &*text }))
}

/// `FromSql<Text>` on both engines for types with `fn read(&str) -> Self`, reading the
/// column's text where it lies ([`from_borrowed_text`]).
#[macro_export]
macro_rules! read_from_text {
    ($($t:ty),*) => {$(
        impl<DB> ::diesel::deserialize::FromSql<::diesel::sql_types::Text, DB> for $t
        where
            DB: ::diesel::backend::Backend,
            *const str: ::diesel::deserialize::FromSql<::diesel::sql_types::Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> ::diesel::deserialize::Result<Self> {
                $crate::domain::code::from_borrowed_text::<DB, _>(bytes, <$t>::read)
            }
        }
    )*};
}

/// A stored or submitted code that names no variant of `kind`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} `{value}`")]
pub struct UnknownCode {
    pub kind: &'static str,
    pub value: String,
}

/// For an enum with `ALL` and `code()`: `FromStr` (surrounding spaces allowed) and
/// `TryFrom<String>` (for diesel's `deserialize_as = String`), failing with [`UnknownCode`]
/// named `$kind` on a value that names no variant.
#[macro_export]
macro_rules! parse_by_code {
    ($name:ident, $kind:literal) => {
        impl ::std::str::FromStr for $name {
            type Err = $crate::domain::code::UnknownCode;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $name::ALL
                    .iter()
                    .copied()
                    .find(|v| v.code() == s.trim())
                    .ok_or_else(|| $crate::domain::code::UnknownCode {
                        kind: $kind,
                        value: s.to_string(),
                    })
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::domain::code::UnknownCode;

            fn try_from(s: String) -> Result<Self, Self::Error> {
                s.parse()
            }
        }
    };
}

/// Declares an enum stored as a text code: `ALL`, `code()`, `Display`, `FromStr` and
/// `TryFrom<String>` (for diesel's `deserialize_as = String`), each failing with
/// [`UnknownCode`] on a value that names no variant.
#[macro_export]
macro_rules! code_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident ($kind:literal) {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        $vis enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The value stored in the database and sent in forms.
            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code),+
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.code())
            }
        }

        $crate::parse_by_code!($name, $kind);
    };
}

#[cfg(test)]
mod tests {
    crate::code_enum! {
        enum Colour ("colour") { Red = "red", Green = "green" }
    }

    #[test]
    fn codes_round_trip_and_unknown_values_fail() {
        for c in Colour::ALL {
            assert_eq!(c.code().parse::<Colour>(), Ok(*c));
            assert_eq!(Colour::try_from(c.to_string()), Ok(*c));
        }
        let err = "blue".parse::<Colour>().unwrap_err();
        assert_eq!(err.to_string(), "unknown colour `blue`");
        assert!(Colour::try_from(String::new()).is_err());
    }
}
