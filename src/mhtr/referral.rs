//! Internal MHTR referrals as stored: one row per referral of a person to an MHTR team,
//! `new` until the team's intake accepts or declines it.

use chrono::NaiveDate;
use diesel::prelude::*;
use maud::Markup;

use super::hearing;
use crate::clock::Millis;
use crate::db::schema::{mhtr_referrals, people, teams};
use crate::db::{DbConnection, NullableText};
use crate::domain::CalendarDate;
use crate::domain::ids::{EpisodeId, MhtrReferralId, PersonId, TeamId};
use crate::views::components::{self, Tone};

/// The audit trail's record type for a referral.
pub const RECORD: &str = "mhtr-referral";

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = mhtr_referrals)]
pub struct MhtrReferral {
    pub id: MhtrReferralId,
    pub person_id: PersonId,
    /// The L&D episode it was made from; absent for referrals from elsewhere (later issues).
    pub episode_id: Option<EpisodeId>,
    /// The MHTR team receiving it.
    pub team_id: TeamId,
    pub reason: String,
    /// Read through `NullableText`: see there why not `deserialize_as = Option<String>`.
    #[diesel(deserialize_as = NullableText<CalendarDate>)]
    pub hearing_date: Option<CalendarDate>,
    #[diesel(deserialize_as = String)]
    pub status: Status,
    pub decline_reason: Option<String>,
    pub referred_by: String,
    pub created_at: Millis,
    pub decided_by: Option<String>,
    pub decided_at: Option<Millis>,
}

impl MhtrReferral {
    pub fn status(&self) -> Status {
        self.status
    }

    pub fn hearing(&self) -> Option<NaiveDate> {
        self.hearing_date.map(CalendarDate::date)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    New,
    Accepted,
    Declined,
}

crate::parse_by_code!(Status, "MHTR referral status");

impl Status {
    pub const ALL: [Status; 3] = [Status::New, Status::Accepted, Status::Declined];

    pub fn code(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Accepted => "accepted",
            Status::Declined => "declined",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::New => "New",
            Status::Accepted => "Accepted",
            Status::Declined => "Declined",
        }
    }

    pub fn parse(code: &str) -> Option<Status> {
        code.parse().ok()
    }

    /// The status in words; the colour only repeats it.
    pub fn tag(self) -> Markup {
        let tone = match self {
            Status::New => Tone::Warning,
            Status::Accepted => Tone::Good,
            Status::Declined => Tone::Neutral,
        };
        components::tag(self.label(), tone)
    }
}

pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<MhtrReferral>> {
    mhtr_referrals::table
        .find(id)
        .select(MhtrReferral::as_select())
        .first(conn)
        .optional()
}

/// The referral of this person to this team still waiting for intake, if any: there is at
/// most one, so a second referral returns to it instead of queueing a duplicate.
pub fn open_for(conn: &mut DbConnection, person_id: &str, team_id: &TeamId) -> QueryResult<Option<MhtrReferral>> {
    mhtr_referrals::table
        .filter(mhtr_referrals::person_id.eq(person_id))
        .filter(mhtr_referrals::team_id.eq(team_id))
        .filter(mhtr_referrals::status.eq(Status::New.code()))
        .select(MhtrReferral::as_select())
        .first(conn)
        .optional()
}

/// Every MHTR referral of a person with the receiving team's name, newest first.
pub fn for_person(conn: &mut DbConnection, person_id: &str) -> QueryResult<Vec<(MhtrReferral, String)>> {
    mhtr_referrals::table
        .inner_join(teams::table.on(teams::id.eq(mhtr_referrals::team_id)))
        .filter(mhtr_referrals::person_id.eq(person_id))
        .select((MhtrReferral::as_select(), teams::name))
        .order((mhtr_referrals::created_at.desc(), mhtr_referrals::id.desc()))
        .load(conn)
}

/// A validated referral, ready to store.
pub struct NewReferral<'a> {
    pub person_id: &'a str,
    pub episode_id: Option<&'a str>,
    pub team_id: &'a str,
    pub reason: &'a str,
    pub hearing_date: Option<NaiveDate>,
    pub referred_by: &'a str,
}

pub fn create(conn: &mut DbConnection, now: Millis, new: &NewReferral<'_>) -> QueryResult<String> {
    let id = crate::domain::new_id();
    diesel::insert_into(mhtr_referrals::table)
        .values((
            mhtr_referrals::id.eq(&id),
            mhtr_referrals::person_id.eq(new.person_id),
            mhtr_referrals::episode_id.eq(new.episode_id),
            mhtr_referrals::team_id.eq(new.team_id),
            mhtr_referrals::reason.eq(new.reason),
            mhtr_referrals::hearing_date.eq(new.hearing_date.map(hearing::to_stored)),
            mhtr_referrals::status.eq(Status::New.code()),
            mhtr_referrals::referred_by.eq(new.referred_by),
            mhtr_referrals::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Makes concurrent referrals of one person wait for each other inside their transactions,
/// so the "one open referral per team" check cannot be passed twice at once. SQLite write
/// transactions are serialised already; on PostgreSQL this takes the person's row lock.
pub fn lock_person(conn: &mut DbConnection, person_id: &str) -> QueryResult<()> {
    diesel::update(people::table.find(person_id))
        .set(people::updated_at.eq(people::updated_at))
        .execute(conn)
        .map(|_| ())
}

/// Records the intake decision if the referral is still new; `false` when someone decided
/// it first. The status check is part of the update, so two decisions cannot both land.
pub fn decide(
    conn: &mut DbConnection,
    now: Millis,
    id: &str,
    decided_by: &str,
    (status, decline_reason): (Status, Option<&str>),
) -> QueryResult<bool> {
    let changed = diesel::update(
        mhtr_referrals::table
            .filter(mhtr_referrals::id.eq(id))
            .filter(mhtr_referrals::status.eq(Status::New.code())),
    )
    .set((
        mhtr_referrals::status.eq(status.code()),
        mhtr_referrals::decline_reason.eq(decline_reason),
        mhtr_referrals::decided_by.eq(decided_by),
        mhtr_referrals::decided_at.eq(now),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

#[cfg(test)]
mod tests {
    use super::Status;

    #[test]
    fn an_unknown_stored_referral_status_is_an_error_not_new() {
        for status in Status::ALL {
            assert_eq!(Status::try_from(status.code().to_string()), Ok(status));
        }
        let err = Status::try_from("pending".to_string()).unwrap_err();
        assert_eq!(err.to_string(), "unknown MHTR referral status `pending`");
    }
}
