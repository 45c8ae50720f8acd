//! The audit detail of a directory change. Everything here is organisational (names,
//! team mailboxes, switchboard numbers), never about a person, so it may be written in full.

use super::{Service, ServiceValues};

fn or_none(value: Option<&str>) -> &str {
    value.unwrap_or("none")
}

/// Every field of a new service.
pub fn created(v: &ServiceValues) -> String {
    format!(
        "organisation={}; name={}; type={}; addresses={}; phone={}; areas={}; last_verified={}; active={}",
        v.organisation,
        v.name,
        v.service_type,
        v.addresses.join(","),
        or_none(v.phone.as_deref()),
        or_none(v.areas.as_deref()),
        or_none(v.last_verified.as_deref()),
        v.active
    )
}

/// Only what differs between the saved service and the new values, as `field: old -> new`,
/// with addresses as `+added` and `-removed`.
pub fn changes(old: &Service, new: &ServiceValues) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut compare = |field: &str, before: &str, after: &str| {
        if before != after {
            parts.push(format!("{field}: {before} -> {after}"));
        }
    };
    compare("organisation", &old.organisation, &new.organisation);
    compare("name", &old.name, &new.name);
    compare("type", &old.service_type, &new.service_type);
    compare("phone", or_none(old.phone.as_deref()), or_none(new.phone.as_deref()));
    compare("areas", or_none(old.areas.as_deref()), or_none(new.areas.as_deref()));
    compare(
        "last_verified",
        or_none(old.last_verified.as_deref()),
        or_none(new.last_verified.as_deref()),
    );
    compare("active", &old.active.to_string(), &new.active.to_string());
    let added: Vec<String> = new
        .addresses
        .iter()
        .filter(|a| !old.addresses.contains(a))
        .map(|a| format!("+{a}"))
        .collect();
    let removed: Vec<String> = old
        .addresses
        .iter()
        .filter(|a| !new.addresses.contains(a))
        .map(|a| format!("-{a}"))
        .collect();
    if !added.is_empty() || !removed.is_empty() {
        parts.push(format!("addresses: {}", [added, removed].concat().join(" ")));
    }
    if parts.is_empty() {
        return "no changes".into();
    }
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> ServiceValues {
        ServiceValues {
            organisation: "Brent CAMHS".into(),
            name: "Referrals".into(),
            service_type: "camhs".into(),
            addresses: vec!["a@nhs.net".into(), "b@example.org".into()],
            phone: None,
            areas: None,
            last_verified: Some("2026-05-01".into()),
            active: true,
        }
    }

    fn saved() -> Service {
        let v = values();
        Service {
            id: "s1".into(),
            organisation_id: "o1".into(),
            organisation: v.organisation,
            name: v.name,
            service_type: v.service_type,
            phone: v.phone,
            areas: v.areas,
            last_verified: v.last_verified,
            active: v.active,
            addresses: v.addresses,
        }
    }

    #[test]
    fn names_only_what_changed() {
        assert_eq!(changes(&saved(), &values()), "no changes");
        let new = ServiceValues {
            addresses: vec!["a@nhs.net".into(), "c@cjsm.net".into()],
            active: false,
            ..values()
        };
        assert_eq!(
            changes(&saved(), &new),
            "active: true -> false; addresses: +c@cjsm.net -b@example.org"
        );
    }

    #[test]
    fn a_new_service_is_described_in_full() {
        assert!(created(&values()).contains("addresses=a@nhs.net,b@example.org; phone=none"));
    }
}
