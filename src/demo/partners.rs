//! A synthetic partner directory for Brent: every organisation is marked "(demo)", every
//! mailbox is invented on nhs.net, cjsm.net or example.org, and every phone number is in
//! Ofcom's 020 7946 0xxx range, set aside for drama and never connected.

use chrono::Duration;
use diesel::QueryResult;

use crate::clock::Millis;
use crate::db::DbConnection;
use crate::domain::local_time::local_date;
use crate::partners::{self, ServiceValues};

/// Present once the directory has been seeded.
const FIRST_ORGANISATION: &str = "Brent CAMHS (demo)";

/// One demo service.
struct Demo {
    organisation: &'static str,
    name: &'static str,
    service_type: &'static str,
    addresses: &'static [&'static str],
    phone: Option<&'static str>,
    areas: Option<&'static str>,
    /// Days before today the details were checked; `None` for never.
    verified_days_ago: Option<i64>,
    active: bool,
}

const DIRECTORY: &[Demo] = &[
    Demo {
        organisation: FIRST_ORGANISATION,
        name: "Referrals and assessment",
        service_type: "camhs",
        addresses: &["demo.brent.camhs@nhs.net"],
        phone: Some("020 7946 0101"),
        areas: Some("London Borough of Brent, ages up to 18"),
        verified_days_ago: Some(20),
        active: true,
    },
    Demo {
        organisation: "Brent Youth Offending Team (demo)",
        name: "Youth offending team",
        service_type: "yot",
        addresses: &["demo.brent.yot@example.org"],
        phone: Some("020 7946 0102"),
        areas: Some("London Borough of Brent, ages 10 to 17"),
        verified_days_ago: Some(45),
        active: true,
    },
    Demo {
        organisation: "London Probation – Brent (demo)",
        name: "Brent probation delivery unit",
        service_type: "probation",
        addresses: &["demo.brent.pdu@cjsm.net"],
        phone: Some("020 7946 0103"),
        areas: Some("London Borough of Brent, adults"),
        verified_days_ago: Some(60),
        active: true,
    },
    Demo {
        organisation: "Brent Women's Centre (demo)",
        name: "Women's support and advocacy",
        service_type: "womens-centre",
        addresses: &["demo.womens.centre@example.org"],
        phone: Some("020 7946 0104"),
        areas: Some("Women living or arrested in Brent"),
        verified_days_ago: Some(400),
        active: true,
    },
    Demo {
        organisation: "Brent Women's Centre (demo)",
        name: "Drop-in (closed)",
        service_type: "womens-centre",
        addresses: &["demo.womens.dropin@example.org"],
        phone: None,
        areas: None,
        verified_days_ago: None,
        active: false,
    },
    Demo {
        organisation: "Brent Adult Safeguarding (demo)",
        name: "Adult safeguarding hub",
        service_type: "adult-safeguarding",
        addresses: &["demo.adult.safeguarding@example.org"],
        phone: Some("020 7946 0105"),
        areas: Some("Adults at risk in Brent"),
        verified_days_ago: Some(30),
        active: true,
    },
    Demo {
        organisation: "Brent Children's Safeguarding (demo)",
        name: "Multi-agency safeguarding hub (MASH)",
        service_type: "childrens-safeguarding",
        addresses: &["demo.childrens.mash@example.org"],
        phone: Some("020 7946 0106"),
        areas: Some("Children and young people in Brent"),
        verified_days_ago: Some(30),
        active: true,
    },
    Demo {
        organisation: "Brent Community Mental Health Team (demo)",
        name: "North Brent community mental health team",
        service_type: "cmht",
        addresses: &["demo.brent.cmht@nhs.net"],
        phone: Some("020 7946 0107"),
        areas: Some("Adults registered with a GP in north Brent"),
        verified_days_ago: Some(90),
        active: true,
    },
    Demo {
        organisation: "Brent Community Mental Health Team (demo)",
        name: "Crisis and home treatment",
        service_type: "crisis",
        addresses: &["demo.brent.crisis@nhs.net"],
        phone: Some("020 7946 0108"),
        areas: Some("Adults in Brent, 24 hours"),
        verified_days_ago: Some(90),
        active: true,
    },
    Demo {
        organisation: "Primary care MHTR team (demo)",
        name: "Mental health treatment requirement – primary care",
        service_type: "primary-care-mhtr",
        addresses: &["demo.mhtr.primarycare@nhs.net"],
        phone: Some("020 7946 0109"),
        areas: Some("Brent and Harrow magistrates' courts"),
        verified_days_ago: Some(10),
        active: true,
    },
    Demo {
        organisation: "Brent Drug and Alcohol Service (demo)",
        name: "Criminal justice team",
        service_type: "substance-misuse",
        addresses: &["demo.brent.drugs@example.org", "demo.brent.drugs.clinical@nhs.net"],
        phone: Some("020 7946 0110"),
        areas: Some("Adults in Brent"),
        verified_days_ago: Some(120),
        active: true,
    },
    Demo {
        organisation: "Brent Housing Options (demo)",
        name: "Homelessness prevention",
        service_type: "housing",
        addresses: &["demo.housing.options@example.org"],
        phone: Some("020 7946 0111"),
        areas: Some("People homeless or at risk of homelessness in Brent"),
        verified_days_ago: Some(200),
        active: true,
    },
    Demo {
        organisation: "Brent Learning Disability Team (demo)",
        name: "Community learning disability team",
        service_type: "learning-disability",
        addresses: &["demo.brent.ld@nhs.net"],
        phone: Some("020 7946 0112"),
        areas: Some("Adults with a learning disability in Brent"),
        verified_days_ago: Some(75),
        active: true,
    },
    Demo {
        organisation: "London Veterans' Service (demo)",
        name: "Veterans' mental health",
        service_type: "veterans",
        addresses: &["demo.london.veterans@nhs.net"],
        phone: Some("020 7946 0113"),
        areas: Some("Armed forces veterans in London"),
        verified_days_ago: Some(150),
        active: true,
    },
    Demo {
        organisation: "Metropolitan Police – Wembley custody (demo)",
        name: "Custody sergeants",
        service_type: "custody-suite",
        addresses: &["demo.wembley.custody@cjsm.net", "demo.wembley.custody@example.org"],
        phone: Some("020 7946 0114"),
        areas: Some("Wembley Police Custody Suite"),
        verified_days_ago: Some(14),
        active: true,
    },
    Demo {
        organisation: "CPS London North (demo)",
        name: "Charging and out-of-court disposals",
        service_type: "cps-area",
        addresses: &["demo.cps.londonnorth@cjsm.net"],
        phone: Some("020 7946 0115"),
        areas: Some("North London boroughs"),
        verified_days_ago: Some(30),
        active: true,
    },
    Demo {
        organisation: "Willesden Magistrates' Court (demo)",
        name: "Legal advisers",
        service_type: "court-legal-adviser",
        addresses: &["demo.willesden.legaladvisers@cjsm.net"],
        phone: Some("020 7946 0116"),
        areas: Some("Willesden and Brent Magistrates' Courts"),
        verified_days_ago: Some(30),
        active: true,
    },
    Demo {
        organisation: "London Probation – Brent (demo)",
        name: "Court team, Willesden",
        service_type: "probation-court-team",
        addresses: &["demo.willesden.probation@cjsm.net"],
        phone: Some("020 7946 0117"),
        areas: Some("Willesden Magistrates' Court"),
        verified_days_ago: Some(60),
        active: true,
    },
    Demo {
        organisation: "Demo & Co Solicitors (demo)",
        name: "Duty solicitors",
        service_type: "defence",
        addresses: &["demo.duty.solicitors@example.org"],
        phone: Some("020 7946 0118"),
        areas: Some("Brent and Harrow police stations"),
        verified_days_ago: Some(120),
        active: true,
    },
];

/// Idempotent: does nothing once the first demo organisation exists. Runs inside the demo
/// seeding's transaction, so it opens none of its own.
pub fn seed(conn: &mut DbConnection, now: Millis) -> QueryResult<()> {
    if partners::organisation_by_name(conn, FIRST_ORGANISATION)?.is_some() {
        return Ok(());
    }
    let today = local_date(now);
    for demo in DIRECTORY {
        let organisation_id = match partners::organisation_by_name(conn, demo.organisation)? {
            Some((id, _)) => id,
            None => partners::create_organisation(conn, now, demo.organisation)?,
        };
        let values = ServiceValues {
            organisation: demo.organisation.into(),
            name: demo.name.into(),
            service_type: demo.service_type.into(),
            addresses: demo.addresses.iter().map(|a| a.to_string()).collect(),
            phone: demo.phone.map(Into::into),
            areas: demo.areas.map(Into::into),
            last_verified: demo
                .verified_days_ago
                .map(|days| (today - Duration::days(days)).format("%Y-%m-%d").to_string()),
            active: demo.active,
        };
        partners::create_service(conn, now, &organisation_id, &values)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::codes::label_of;
    use crate::domain::referral::{SERVICE_TYPES, email_problem};

    #[test]
    fn the_demo_directory_is_valid_and_obviously_synthetic() {
        for demo in DIRECTORY {
            assert!(demo.organisation.contains("(demo)"), "{}", demo.organisation);
            assert!(
                label_of(SERVICE_TYPES, demo.service_type).is_some(),
                "{}",
                demo.service_type
            );
            for address in demo.addresses {
                assert!(email_problem(address).is_none(), "{address}");
                assert!(address.starts_with("demo."), "{address}");
                let domain = address.rsplit_once('@').map(|(_, d)| d).unwrap_or_default();
                assert!(["nhs.net", "cjsm.net", "example.org"].contains(&domain), "{address}");
            }
        }
    }
}
