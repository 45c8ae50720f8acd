//! Returns as stored: draft → validated → locked. The database refuses any change to a locked
//! return (a trigger), so its file and hash stay as they were when it was locked.

use diesel::prelude::*;

use crate::clock::Millis;
use crate::db::DbConnection;
use crate::db::schema::data_returns;

crate::code_enum! {
    pub enum ReturnStatus ("return status") {
        Draft = "draft",
        Validated = "validated",
        Locked = "locked",
    }
}

impl ReturnStatus {
    pub fn label(self) -> &'static str {
        match self {
            ReturnStatus::Draft => "Draft",
            ReturnStatus::Validated => "Validated",
            ReturnStatus::Locked => "Locked",
        }
    }
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = data_returns)]
pub struct DataReturn {
    pub id: String,
    pub quarter: String,
    pub version: i32,
    #[diesel(deserialize_as = String)]
    pub status: ReturnStatus,
    pub suppression_rule: String,
    pub created_by: String,
    pub created_at: Millis,
    pub validated_by: Option<String>,
    pub validated_at: Option<Millis>,
    pub blocking: i32,
    pub warnings: i32,
    pub locked_by: Option<String>,
    pub locked_at: Option<Millis>,
    pub content: Option<String>,
    pub sha256: Option<String>,
    pub generator_version: Option<String>,
    pub row_count: Option<i32>,
    pub episode_count: Option<i32>,
}

/// Every return, newest quarter first, then newest version.
pub fn all(conn: &mut DbConnection) -> QueryResult<Vec<DataReturn>> {
    data_returns::table
        .order((data_returns::quarter.desc(), data_returns::version.desc()))
        .select(DataReturn::as_select())
        .load(conn)
}

pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<DataReturn>> {
    data_returns::table
        .find(id)
        .select(DataReturn::as_select())
        .first(conn)
        .optional()
}

/// The quarter's return still being worked on, if there is one.
pub fn open_for(conn: &mut DbConnection, quarter: &str) -> QueryResult<Option<DataReturn>> {
    data_returns::table
        .filter(data_returns::quarter.eq(quarter))
        .filter(data_returns::status.ne(ReturnStatus::Locked.code()))
        .select(DataReturn::as_select())
        .first(conn)
        .optional()
}

/// Starts a draft: version 1, or the next after the quarter's locked returns (a refresh).
pub fn start(conn: &mut DbConnection, quarter: &str, rule: &str, by: &str, now: Millis) -> QueryResult<String> {
    let latest: Option<i32> = data_returns::table
        .filter(data_returns::quarter.eq(quarter))
        .select(diesel::dsl::max(data_returns::version))
        .first(conn)?;
    let id = crate::domain::new_id();
    diesel::insert_into(data_returns::table)
        .values((
            data_returns::id.eq(&id),
            data_returns::quarter.eq(quarter),
            data_returns::version.eq(latest.unwrap_or(0) + 1),
            data_returns::status.eq(ReturnStatus::Draft.code()),
            data_returns::suppression_rule.eq(rule),
            data_returns::created_by.eq(by),
            data_returns::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Records a validation's result: validated when nothing blocks, otherwise back to draft.
pub fn record_validation(
    conn: &mut DbConnection,
    id: &str,
    (blocking, warnings): (usize, usize),
    by: &str,
    now: Millis,
) -> QueryResult<ReturnStatus> {
    let status = if blocking == 0 {
        ReturnStatus::Validated
    } else {
        ReturnStatus::Draft
    };
    diesel::update(data_returns::table.find(id))
        .set((
            data_returns::status.eq(status.code()),
            data_returns::validated_by.eq(by),
            data_returns::validated_at.eq(now),
            data_returns::blocking.eq(i32::try_from(blocking).unwrap_or(i32::MAX)),
            data_returns::warnings.eq(i32::try_from(warnings).unwrap_or(i32::MAX)),
        ))
        .execute(conn)?;
    Ok(status)
}

/// The file a locked return keeps.
pub struct LockedFile {
    pub content: String,
    pub sha256: String,
    pub row_count: usize,
    pub episode_count: usize,
}

/// Locks a validated return with its file. Only a validated return moves: the update's
/// condition makes a second lock, or a lock after the return went back to draft, change
/// nothing (the caller reports it).
pub fn lock(conn: &mut DbConnection, id: &str, file: &LockedFile, by: &str, now: Millis) -> QueryResult<bool> {
    let changed = diesel::update(
        data_returns::table
            .find(id)
            .filter(data_returns::status.eq(ReturnStatus::Validated.code())),
    )
    .set((
        data_returns::status.eq(ReturnStatus::Locked.code()),
        data_returns::locked_by.eq(by),
        data_returns::locked_at.eq(now),
        data_returns::content.eq(&file.content),
        data_returns::sha256.eq(&file.sha256),
        data_returns::generator_version.eq(generator_version()),
        data_returns::row_count.eq(i32::try_from(file.row_count).unwrap_or(i32::MAX)),
        data_returns::episode_count.eq(i32::try_from(file.episode_count).unwrap_or(i32::MAX)),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// What made the file: this build of Liaison.
pub fn generator_version() -> String {
    format!("liaison {}", env!("CARGO_PKG_VERSION"))
}
