//! Text columns read as the types they hold (a calendar date, a status code) through
//! `TryFrom<String>`, where `#[diesel(deserialize_as = String)]` alone does not reach: a
//! nullable column, and a value loaded in a tuple.

use diesel::QueryResult;
use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql, Queryable};
use diesel::sql_types::{Nullable, Text};

/// A text value loaded in a tuple, checked as a `deserialize_as = String` field is: a value
/// `T::try_from` refuses is the same row error, `DeserializationError`.
pub fn from_text<T>(value: String) -> QueryResult<T>
where
    T: TryFrom<String>,
    T::Error: std::error::Error + Send + Sync + 'static,
{
    T::try_from(value).map_err(|e| diesel::result::Error::DeserializationError(Box::new(e)))
}

/// Carries a nullable text column into an `Option<T>` field, checked as
/// `#[diesel(deserialize_as = String)]` checks a column that cannot be NULL: declare
/// `#[diesel(deserialize_as = NullableText<T>)] pub field: Option<T>`. NULL reads as `None`;
/// a value `T::try_from` refuses fails the row read.
///
/// `deserialize_as = Option<String>` would need `TryFrom<Option<String>> for Option<T>`,
/// which the orphan rule forbids (`Option` and `TryFrom` are both the standard library's),
/// so this local type carries the value across instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NullableText<T>(Option<T>);

impl<T, DB> Queryable<Nullable<Text>, DB> for NullableText<T>
where
    DB: Backend,
    String: FromSql<Text, DB>,
    T: TryFrom<String>,
    T::Error: std::error::Error + Send + Sync + 'static,
{
    type Row = Option<String>;

    fn build(row: Option<String>) -> deserialize::Result<Self> {
        Ok(NullableText(row.map(T::try_from).transpose()?))
    }
}

impl<T> From<NullableText<T>> for Option<T> {
    fn from(value: NullableText<T>) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use diesel::connection::SimpleConnection;
    use diesel::prelude::*;
    use diesel::sqlite::SqliteConnection;

    use super::{NullableText, from_text};
    use crate::db::DbConnection;
    use crate::domain::date::CalendarDate;

    diesel::table! {
        days (id) {
            id -> Integer,
            day -> Text,
            maybe_day -> Nullable<Text>,
        }
    }

    #[derive(Queryable, Selectable, Debug, PartialEq)]
    #[diesel(table_name = days)]
    struct Day {
        id: i32,
        #[diesel(deserialize_as = String)]
        day: CalendarDate,
        #[diesel(deserialize_as = NullableText<CalendarDate>)]
        maybe_day: Option<CalendarDate>,
    }

    fn with_rows(rows: &str) -> DbConnection {
        let mut conn = DbConnection::Sqlite(SqliteConnection::establish(":memory:").unwrap());
        conn.batch_execute(&format!(
            "CREATE TABLE days (id INTEGER PRIMARY KEY, day TEXT NOT NULL, maybe_day TEXT); \
             INSERT INTO days VALUES {rows};"
        ))
        .unwrap();
        conn
    }

    fn read(conn: &mut DbConnection) -> QueryResult<Vec<Day>> {
        days::table.order(days::id).select(Day::as_select()).load(conn)
    }

    fn date(s: &str) -> CalendarDate {
        s.parse().unwrap()
    }

    #[test]
    fn stored_dates_read_as_dates_and_null_as_none() {
        let mut conn = with_rows("(1, '2026-05-03', NULL), (2, '2026-12-31', '2027-01-04')");
        let read = read(&mut conn).unwrap();
        assert_eq!(
            read,
            [
                Day {
                    id: 1,
                    day: date("2026-05-03"),
                    maybe_day: None
                },
                Day {
                    id: 2,
                    day: date("2026-12-31"),
                    maybe_day: Some(date("2027-01-04"))
                },
            ]
        );
    }

    fn is_date_error(err: &diesel::result::Error) -> bool {
        matches!(err, diesel::result::Error::DeserializationError(e) if e.to_string().starts_with("not a YYYY-MM-DD date"))
    }

    #[test]
    fn a_value_that_is_not_a_stored_date_fails_the_read() {
        for rows in [
            "(1, '2026-05-03', NULL), (2, '31/12/2026', NULL)",
            "(1, '2026-05-03', '2026-13-01')",
            "(1, '2026-05-03', '')",
        ] {
            let err = read(&mut with_rows(rows)).unwrap_err();
            assert!(is_date_error(&err), "{rows}: {err}");
        }
    }

    #[test]
    fn a_date_loaded_in_a_tuple_is_checked_the_same_way() {
        let mut conn = with_rows("(1, '2026-05-03', NULL), (2, '2026-5-4', NULL)");
        let rows: Vec<(i32, String)> = days::table
            .order(days::id)
            .select((days::id, days::day))
            .load(&mut conn)
            .unwrap();
        let read: Vec<QueryResult<CalendarDate>> = rows.into_iter().map(|(_, day)| from_text(day)).collect();
        assert_eq!(read[0], Ok(date("2026-05-03")));
        assert!(is_date_error(read[1].as_ref().unwrap_err()));
    }
}
