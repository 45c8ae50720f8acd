//! One id type per kind of record the access model guards, so a person's id cannot be passed
//! where an episode's is meant. Each is stored as the same text as before (a UUID made by
//! [`super::new_id`]) and reads as `&str` where a plain string is wanted.

use std::fmt;

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql};
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::Text;

macro_rules! record_id {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(
            Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize,
            diesel::AsExpression, diesel::FromSqlRow,
        )]
        #[serde(transparent)]
        #[diesel(sql_type = Text)]
        pub struct $name(String);

        impl $name {
            /// A new random id, for a record about to be inserted.
            pub fn generate() -> Self {
                Self(super::new_id())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                Self(id)
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                Self(id.to_string())
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                &self.0 == other
            }
        }

        impl<DB> FromSql<Text, DB> for $name
        where
            DB: Backend,
            String: FromSql<Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
                String::from_sql(bytes).map(Self)
            }
        }

        impl<DB> ToSql<Text, DB> for $name
        where
            DB: Backend,
            str: ToSql<Text, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
                <str as ToSql<Text, DB>>::to_sql(&self.0, out)
            }
        }
    )*};
}

record_id! {
    /// A person (`people.id`).
    PersonId;
    /// An L&D episode (`episodes.id`).
    EpisodeId;
    /// A referral to the Women's MHTR service (`mhtr_referrals.id`).
    MhtrReferralId;
    /// A Women's MHTR case (`mhtr_cases.id`).
    MhtrCaseId;
    /// An onward referral to a partner service (`referrals.id`).
    ReferralId;
    /// A safeguarding concern (`safeguarding_concerns.id`).
    ConcernId;
    /// A report to a court or probation (`reports.id`), whatever its subject.
    ReportId;
    /// A site: a custody suite or court (`sites.id`).
    SiteId;
    /// A team (`teams.id`).
    TeamId;
}

#[cfg(test)]
mod tests {
    use super::{EpisodeId, PersonId};

    #[test]
    fn an_id_reads_as_the_text_it_was_made_from() {
        let id = PersonId::from("5f0c7a4e-0000-4000-8000-000000000001");
        assert_eq!(id, "5f0c7a4e-0000-4000-8000-000000000001");
        assert_eq!(id.to_string(), id.as_str());
        assert_eq!(String::from(id.clone()), id.as_str());
        let as_str: &str = &id;
        assert_eq!(as_str.len(), 36);
    }

    #[test]
    fn ids_are_serialised_as_plain_text() {
        let id: EpisodeId = serde_json::from_str("\"abc\"").expect("a string");
        assert_eq!(id, "abc");
        assert_eq!(serde_json::to_string(&id).expect("serialises"), "\"abc\"");
        assert_ne!(EpisodeId::generate(), EpisodeId::generate());
    }
}
