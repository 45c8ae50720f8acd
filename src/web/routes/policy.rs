//! A route's declared policy: the guard that lets a role through, and the kind of record the
//! route works with (named as the audit trail names it).

use actix_web::http::Method;

use crate::audit;
use crate::auth::CurrentUser;

/// Who may use a route, judged from the signed-in user's role (and, for the MHTR service's
/// team-wide pages, membership of an MHTR team).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Guard {
    /// Anyone, signed in or not: sign-in, health checks, assets, a partner's answer link.
    Public,
    /// Any signed-in user.
    SignedIn,
    /// The roles that work with identifiable records: practitioners, senior practitioners
    /// and the consultant psychologist.
    Clinical,
    /// A clinician in an MHTR team: the team's intake, outreach log and external referrals.
    MhtrTeam,
    /// The evaluation extract: an MHTR team's clinicians, or an analyst (who gets only the
    /// pseudonymised file; the handler decides which file).
    Analytics,
    /// Signing off a report: senior practitioners and the consultant psychologist.
    SignsOff,
    /// Merging duplicate person records: senior practitioners.
    Merges,
    /// Administrators only.
    Admin,
    /// The information governance lead: access reviews.
    IgLead,
    /// Who accessed a person's records: the information governance lead and administrators.
    AccessLog,
    /// Retention: the appraisal queue, legal holds and destruction; the records manager.
    RecordsManager,
    /// Aggregate dashboards: the clinical roles (for their own teams) and analysts (for
    /// every team). No dashboard names a person.
    Dashboards,
    /// The commissioner return: analysts.
    Returns,
}

impl Guard {
    pub const ALL: [Guard; 13] = [
        Guard::Public,
        Guard::SignedIn,
        Guard::Clinical,
        Guard::MhtrTeam,
        Guard::Analytics,
        Guard::SignsOff,
        Guard::Merges,
        Guard::Admin,
        Guard::IgLead,
        Guard::AccessLog,
        Guard::RecordsManager,
        Guard::Dashboards,
        Guard::Returns,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Guard::Public => "public",
            Guard::SignedIn => "signed-in",
            Guard::Clinical => "clinical",
            Guard::MhtrTeam => "mhtr-team",
            Guard::Analytics => "analytics",
            Guard::SignsOff => "signs-off",
            Guard::Merges => "merges",
            Guard::Admin => "admin",
            Guard::IgLead => "ig-lead",
            Guard::AccessLog => "access-log",
            Guard::RecordsManager => "records-manager",
            Guard::Dashboards => "dashboards",
            Guard::Returns => "returns",
        }
    }

    /// Whether the guard lets this signed-in user through.
    pub fn allows(self, user: &CurrentUser) -> bool {
        let mhtr_clinician = || user.role.is_clinical() && user.in_mhtr_team();
        match self {
            Guard::Public | Guard::SignedIn => true,
            Guard::Clinical => user.role.is_clinical(),
            Guard::MhtrTeam => mhtr_clinician(),
            Guard::Analytics => mhtr_clinician() || user.role == crate::domain::Role::Analyst,
            Guard::SignsOff => user.role.can_sign_off_reports(),
            Guard::Merges => user.role.merges_records(),
            Guard::Admin => user.role.can_administer(),
            Guard::IgLead => user.role.reviews_access(),
            Guard::AccessLog => user.role.reads_access_logs(),
            Guard::RecordsManager => user.role.manages_records(),
            Guard::Dashboards => user.role.is_clinical() || user.role == crate::domain::Role::Analyst,
            Guard::Returns => user.role == crate::domain::Role::Analyst,
        }
    }

    /// How a refusal reads in the audit trail: its action, and a detail. A refused role is
    /// recorded as a refused `view`, as the handlers' own role checks did; the MHTR, extract
    /// and sign-off guards keep the actions those pages recorded before the table did.
    pub(super) fn refusal(self, method: &Method) -> (&'static str, Option<&'static str>) {
        match self {
            Guard::MhtrTeam if method != Method::GET => (audit::CREATE, None),
            Guard::Analytics => (audit::EXPORT, Some("not an MHTR team member or analyst")),
            Guard::SignsOff => (
                audit::UPDATE,
                Some(
                    "report sign-off: Only a senior practitioner or the consultant clinical psychologist in the case's team can sign off the report and its addenda",
                ),
            ),
            _ => (audit::VIEW, None),
        }
    }
}

/// What a route works with, named as the audit trail names it. When the path has an `{id}`,
/// it is the id of one of these; `/episodes/new` and `POST /episodes` name their person in
/// the `person` query or form field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Record {
    /// Nothing personal: sign-in, health checks, assets, the home page.
    None,
    Person,
    PersonSearch,
    /// A site's live list (the id is the site's).
    SiteList,
    Shift,
    Episode,
    /// A referral from an episode to a partner service.
    Referral,
    ReferralList,
    MhtrReferral,
    /// An MHTR team's intake: its list, and referrals entered from outside.
    MhtrIntake,
    MhtrCase,
    MhtrOutreach,
    MhtrExtract,
    User,
    Team,
    Site,
    PartnerService,
    Outbox,
    Audit,
    /// A share made without consent, on the IG lead's review queue.
    ShareReview,
    /// A merge of two person records, on the administrators' page.
    PersonMerge,
    /// A kind of person-level alert, in the list administrators keep.
    AlertKind,
    /// A break-glass or self-claim on the IG lead's review queue.
    AccessReview,
    /// A person's record as the records manager appraises it: who it is about and its
    /// retention dates, never its clinical content (the id is the person's).
    Retention,
    /// Aggregate figures: no person in them.
    Dashboard,
    /// A commissioner return.
    DataReturn,
}

impl Record {
    /// The record type in the audit trail.
    pub fn code(self) -> Option<&'static str> {
        Some(match self {
            Record::None => return None,
            Record::Person => "person",
            Record::PersonSearch => "person-search",
            Record::SiteList => "site-list",
            Record::Shift => "shift",
            Record::Episode => "episode",
            Record::Referral => "referral",
            Record::ReferralList => "referral-list",
            Record::MhtrReferral => "mhtr-referral",
            Record::MhtrIntake => "mhtr-intake",
            Record::MhtrCase => "mhtr-case",
            Record::MhtrOutreach => "mhtr-outreach",
            Record::MhtrExtract => "mhtr-extract",
            Record::User => "user",
            Record::Team => "team",
            Record::Site => "site",
            Record::PartnerService => "partner-service",
            Record::Outbox => "outbox",
            Record::Audit => "audit",
            Record::AlertKind => "alert-kind",
            Record::PersonMerge => "person-merge",
            Record::ShareReview => "share-review",
            Record::AccessReview => "access-review",
            Record::Retention => "retention",
            Record::Dashboard => "dashboard",
            Record::DataReturn => "data-return",
        })
    }

    /// Clinical work held by a team (identifiable records, the lists of them, a shift's
    /// handover): only the clinical guards may front a route to one.
    pub fn is_clinical(self) -> bool {
        matches!(
            self,
            Record::Person
                | Record::Shift
                | Record::PersonSearch
                | Record::SiteList
                | Record::Episode
                | Record::Referral
                | Record::ReferralList
                | Record::MhtrReferral
                | Record::MhtrIntake
                | Record::MhtrCase
                | Record::MhtrOutreach
        )
    }
}
