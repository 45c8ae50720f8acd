//! Break-glass and self-claimed relationships as stored: each is a row the information
//! governance lead reviews; a break-glass also opens the person's record read-only until
//! it expires.

use diesel::prelude::*;

use crate::clock::Millis;
use crate::db::DbConnection;
use crate::db::schema::{access_overrides, users};

crate::code_enum! {
    /// What kind of access outside the team's relationship was taken.
    pub enum OverrideKind ("access override kind") {
        BreakGlass = "break-glass",
        SelfClaim = "self-claim",
    }
}

crate::code_enum! {
    /// Why a clinician broke the glass.
    pub enum BreakGlassReason ("break-glass reason") {
        RiskToLife = "risk-to-life",
        Safeguarding = "safeguarding",
        CourtToday = "court-today",
        Other = "other",
    }
}

impl BreakGlassReason {
    pub fn label(self) -> &'static str {
        match self {
            BreakGlassReason::RiskToLife => "Risk to life or of serious harm",
            BreakGlassReason::Safeguarding => "Safeguarding concern",
            BreakGlassReason::CourtToday => "Appearing in court or custody today",
            BreakGlassReason::Other => "Another reason",
        }
    }
}

crate::code_enum! {
    /// The information governance lead's finding.
    pub enum ReviewOutcome ("review outcome") {
        Appropriate = "appropriate",
        FollowUp = "follow-up",
    }
}

impl ReviewOutcome {
    pub fn label(self) -> &'static str {
        match self {
            ReviewOutcome::Appropriate => "Appropriate",
            ReviewOutcome::FollowUp => "Needs follow-up",
        }
    }
}

/// The reason code a self-claim is stored with.
pub const NEW_CONTACT: &str = "new-contact";

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = access_overrides)]
pub struct Override {
    pub id: String,
    #[diesel(deserialize_as = String)]
    pub kind: OverrideKind,
    pub user_id: String,
    pub person_id: String,
    pub episode_id: Option<String>,
    pub reason: String,
    pub note: String,
    pub started_at: Millis,
    pub expires_at: Millis,
    pub review_due: Millis,
    #[diesel(deserialize_as = crate::db::NullableText<ReviewOutcome>)]
    pub review_outcome: Option<ReviewOutcome>,
    pub review_note: Option<String>,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<Millis>,
}

impl Override {
    /// The reason in words: a break-glass reason's label, or "New contact recorded".
    pub fn reason_label(&self) -> &str {
        match self.reason.parse::<BreakGlassReason>() {
            Ok(r) => r.label(),
            Err(_) if self.reason == NEW_CONTACT => "New contact recorded",
            Err(_) => &self.reason,
        }
    }
}

pub struct NewOverride<'a> {
    pub kind: OverrideKind,
    pub user_id: &'a str,
    pub person_id: &'a str,
    pub episode_id: Option<&'a str>,
    pub reason: &'a str,
    pub note: &'a str,
    pub expires_at: Millis,
    pub review_due: Millis,
}

pub fn insert(conn: &mut DbConnection, now: Millis, new: &NewOverride<'_>) -> QueryResult<String> {
    let id = uuid::Uuid::new_v4().to_string();
    diesel::insert_into(access_overrides::table)
        .values((
            access_overrides::id.eq(&id),
            access_overrides::kind.eq(new.kind.code()),
            access_overrides::user_id.eq(new.user_id),
            access_overrides::person_id.eq(new.person_id),
            access_overrides::episode_id.eq(new.episode_id),
            access_overrides::reason.eq(new.reason),
            access_overrides::note.eq(new.note),
            access_overrides::started_at.eq(now),
            access_overrides::expires_at.eq(new.expires_at),
            access_overrides::review_due.eq(new.review_due),
        ))
        .execute(conn)?;
    Ok(id)
}

/// The user's unexpired break-glass on the person, if any (the latest).
pub fn active_break_glass(
    conn: &mut DbConnection,
    user_id: &str,
    person_id: &str,
    now: Millis,
) -> QueryResult<Option<Override>> {
    access_overrides::table
        .filter(access_overrides::user_id.eq(user_id))
        .filter(access_overrides::person_id.eq(person_id))
        .filter(access_overrides::expires_at.gt(now))
        .filter(access_overrides::kind.eq(OverrideKind::BreakGlass.code()))
        .order(access_overrides::expires_at.desc())
        .select(Override::as_select())
        .first(conn)
        .optional()
}

pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<Override>> {
    access_overrides::table
        .find(id)
        .select(Override::as_select())
        .first(conn)
        .optional()
}

/// An override with the name of who took it, for the review queue.
pub type Listed = (Override, String);

/// Not yet reviewed, the most overdue first.
pub fn awaiting_review(conn: &mut DbConnection, limit: i64) -> QueryResult<Vec<Listed>> {
    access_overrides::table
        .inner_join(users::table.on(users::id.eq(access_overrides::user_id)))
        .filter(access_overrides::reviewed_at.is_null())
        .order((access_overrides::review_due.asc(), access_overrides::id.asc()))
        .select((Override::as_select(), users::display_name))
        .limit(limit)
        .load(conn)
}

/// Reviewed, newest review first.
pub fn reviewed(conn: &mut DbConnection, limit: i64) -> QueryResult<Vec<Listed>> {
    access_overrides::table
        .inner_join(users::table.on(users::id.eq(access_overrides::user_id)))
        .filter(access_overrides::reviewed_at.is_not_null())
        .order(access_overrides::reviewed_at.desc())
        .select((Override::as_select(), users::display_name))
        .limit(limit)
        .load(conn)
}

/// Every override on one person's record, newest first.
pub fn for_person(conn: &mut DbConnection, person_id: &str) -> QueryResult<Vec<Listed>> {
    access_overrides::table
        .inner_join(users::table.on(users::id.eq(access_overrides::user_id)))
        .filter(access_overrides::person_id.eq(person_id))
        .order(access_overrides::started_at.desc())
        .select((Override::as_select(), users::display_name))
        .limit(200)
        .load(conn)
}

/// Records the review once; returns false when it had already been reviewed.
pub fn review(
    conn: &mut DbConnection,
    now: Millis,
    id: &str,
    reviewer_id: &str,
    (outcome, note): (ReviewOutcome, Option<&str>),
) -> QueryResult<bool> {
    let changed = diesel::update(
        access_overrides::table
            .find(id)
            .filter(access_overrides::reviewed_at.is_null()),
    )
    .set((
        access_overrides::review_outcome.eq(outcome.code()),
        access_overrides::review_note.eq(note),
        access_overrides::reviewed_by.eq(reviewer_id),
        access_overrides::reviewed_at.eq(now),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}
