//! Turning a stored row into facts without copying its text: ids as their 128 bits, dates of
//! birth as dates, sites shared.

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

/// What turns a row into facts: the sites.
pub(super) struct Keys {
    sites: foldhash::HashMap<Key, Arc<SitePart>>,
}

impl Keys {
    pub(super) fn read(conn: &mut DbConnection) -> QueryResult<Keys> {
        let sites = sites::table
            .select(SitePart::as_select())
            .load::<SitePart>(conn)?
            .into_iter()
            .map(|site| (Key::read(&site.id), Arc::new(site)))
            .collect();
        Ok(Keys { sites })
    }

    pub(super) fn site(&self, id: &str) -> Option<Arc<SitePart>> {
        self.sites.get(&Key::read(id)).cloned()
    }

    pub(super) fn facts(&self, row: MeasuredRow) -> Option<EpisodeFacts> {
        let site = self.sites.get(&row.site_id)?.clone();
        Some(row.into_facts(site))
    }
}
