//! Turning a stored row into facts without copying its text: ids as their 128 bits, dates of
//! birth as dates, sites shared, people numbered as they first appear.

use std::sync::Arc;

use diesel::deserialize::FromSqlRow;
use diesel::prelude::*;

use super::{EpisodeFacts, MeasuredRow, SitePart};
use crate::db::DbConnection;
use crate::db::schema::sites;
use crate::domain::CalendarDate;

/// An id stored as text, kept as its 128 bits when it is a UUID (as Liaison's are).
#[derive(Debug, Clone, PartialEq, Eq, Hash, FromSqlRow)]
pub(super) enum Key {
    Uuid(u128),
    Other(Box<str>),
}

impl Key {
    fn read(text: &str) -> Key {
        uuid::Uuid::try_parse(text).map_or_else(|_| Key::Other(text.into()), |id| Key::Uuid(id.as_u128()))
    }
}

/// A date of birth as stored: `None` when it is not a date (the measures count it unknown;
/// the return's checks report it).
#[derive(Debug, Clone, Copy, FromSqlRow)]
pub(super) struct Born(pub(super) Option<CalendarDate>);

impl Born {
    fn read(text: &str) -> Born {
        Born(CalendarDate::parse(text).ok())
    }
}

crate::read_from_text!(Key, Born);

/// What turns a row into facts: the sites, and the people numbered so far.
pub(super) struct Keys {
    sites: foldhash::HashMap<Key, Arc<SitePart>>,
    people: PersonKeys,
}

impl Keys {
    pub(super) fn read(conn: &mut DbConnection) -> QueryResult<Keys> {
        let sites = sites::table
            .select(SitePart::as_select())
            .load::<SitePart>(conn)?
            .into_iter()
            .map(|site| (Key::read(&site.id), Arc::new(site)))
            .collect();
        Ok(Keys {
            sites,
            people: PersonKeys::default(),
        })
    }

    pub(super) fn facts(&mut self, row: MeasuredRow) -> Option<EpisodeFacts> {
        let site = self.sites.get(&row.site_id)?.clone();
        let key = self.people.key(&row.person_id);
        Some(row.into_facts(site, key))
    }
}

/// Numbers people 0, 1, 2, … in the order they first appear
/// ([`crate::domain::measures::Fact::person`]). UUIDs are kept apart as bare 128-bit keys: a
/// year's quarter of a million people then take two-thirds of the memory they would as
/// [`Key`]s.
#[derive(Default)]
struct PersonKeys {
    uuids: foldhash::HashMap<u128, u32>,
    other: foldhash::HashMap<Box<str>, u32>,
}

impl PersonKeys {
    fn key(&mut self, person: &Key) -> u32 {
        let next = u32::try_from(self.uuids.len() + self.other.len()).unwrap_or(u32::MAX);
        match person {
            Key::Uuid(id) => *self.uuids.entry(*id).or_insert(next),
            Key::Other(text) => {
                if let Some(number) = self.other.get(text) {
                    return *number;
                }
                self.other.insert(text.clone(), next);
                next
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Key, PersonKeys};

    #[test]
    fn people_are_numbered_in_order_of_first_appearance_whatever_their_id() {
        let mut keys = PersonKeys::default();
        let ids = [
            "00000774-14e5-40e1-a633-6f9eaa367270",
            "legacy-17",
            "00000774-14e5-40e1-a633-6f9eaa367270",
            "0000266a-2b8b-459c-a74c-edd5cfa56d06",
            "legacy-17",
            "legacy-18",
        ];
        let found: Vec<u32> = ids.iter().map(|id| keys.key(&Key::read(id))).collect();
        assert_eq!(found, [0, 1, 0, 2, 1, 3]);
    }
}
