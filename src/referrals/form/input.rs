//! The referral form as submitted, and its checks.

use crate::domain::codes::label_of;
use crate::domain::referral as rules;
use crate::partners::ServiceEntry;
use crate::views::form::Errors;

/// The referral form as submitted: shared details plus consent for each chosen service.
#[derive(Debug, Default, Clone)]
pub struct ReferralForm {
    pub services: Vec<String>,
    pub reason: String,
    pub urgency: String,
    pub shared_information: String,
    pub consent: Vec<ServiceConsent>,
    pub submission_key: String,
}

/// The answers about consent for one chosen service.
#[derive(Debug, Default, Clone)]
pub struct ServiceConsent {
    pub service: String,
    /// A `rules::CONSENT` code.
    pub consent: String,
    /// A `rules::LAWFUL_BASES` code, when consent is not required.
    pub basis: String,
    /// Why the referral goes ahead although consent was declined.
    pub over: String,
    /// The senior clinician consulted, when sharing without consent on the public interest.
    pub consulted: String,
}

impl ServiceConsent {
    /// Sharing without consent in the public interest or to protect life: the GMC asks that
    /// a senior clinician is consulted and named.
    pub fn needs_consultation(&self) -> bool {
        self.consent == "declined"
            || (self.consent == "not-required" && matches!(self.basis.as_str(), "vital-interests" | "public-task"))
    }
}

impl ReferralForm {
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut f = ReferralForm::default();
        let mut per_service = std::collections::BTreeMap::<String, ServiceConsent>::new();
        for (k, v) in pairs {
            match k.as_str() {
                "services" => f.services.push(v),
                "reason" => f.reason = v,
                "urgency" => f.urgency = v,
                "shared_information" => f.shared_information = v,
                "submission_key" => f.submission_key = v,
                _ => {
                    if let Some(id) = k.strip_prefix("consent-") {
                        per_service.entry(id.to_string()).or_default().consent = v;
                    } else if let Some(id) = k.strip_prefix("basis-") {
                        per_service.entry(id.to_string()).or_default().basis = v;
                    } else if let Some(id) = k.strip_prefix("override-") {
                        per_service.entry(id.to_string()).or_default().over = v;
                    } else if let Some(id) = k.strip_prefix("consulted-") {
                        per_service.entry(id.to_string()).or_default().consulted = v;
                    }
                }
            }
        }
        f.services.dedup();
        f.consent = f
            .services
            .iter()
            .map(|s| ServiceConsent {
                service: s.clone(),
                ..per_service.get(s).cloned().unwrap_or_default()
            })
            .collect();
        f
    }

    pub(super) fn consent_for(&self, service: &str) -> ServiceConsent {
        self.consent
            .iter()
            .find(|c| c.service == service)
            .cloned()
            .unwrap_or_default()
    }

    pub fn validate(&self, services: &[ServiceEntry]) -> Errors {
        let mut errors = Errors::default();
        if self.services.is_empty() || self.services.iter().any(|s| !services.iter().any(|e| &e.id == s)) {
            errors.add("services", "Select at least one service from the directory");
        }
        let reason = self.reason.trim();
        if reason.is_empty() {
            errors.add("reason", "Enter the reason for the referral");
        } else if reason.chars().count() > 2000 {
            errors.add("reason", "Reason must be 2000 characters or fewer");
        }
        if label_of(rules::URGENCY, &self.urgency).is_none() {
            errors.add("urgency", "Select how urgent the referral is");
        }
        let shared = self.shared_information.trim();
        if shared.is_empty() {
            errors.add(
                "shared_information",
                "Enter the needs and risks you will share – the minimum the service needs",
            );
        } else if shared.chars().count() > 4000 {
            errors.add("shared_information", "What is shared must be 4000 characters or fewer");
        }
        for c in &self.consent {
            let (service, basis, over) = (&c.service, &c.basis, &c.over);
            let name = services
                .iter()
                .find(|e| &e.id == service)
                .map_or("this service", |e| e.name.as_str());
            let field = format!("consent-{service}");
            if c.needs_consultation() && c.consulted.trim().is_empty() {
                errors.add(
                    format!("consulted-{service}"),
                    format!("Enter the senior clinician you consulted about sharing with {name} without consent"),
                );
            }
            match c.consent.as_str() {
                "given" => {}
                "not-required" if label_of(rules::LAWFUL_BASES, basis).is_some() => {}
                "not-required" => errors.add(format!("basis-{service}"), format!("Select the lawful basis for sharing with {name} without consent")),
                "declined" if !over.trim().is_empty() => {}
                "declined" => errors.add(
                    format!("override-{service}"),
                    format!("Consent was declined: record why the referral to {name} must still be made, or remove the service"),
                ),
                _ => errors.add(field, format!("Select whether the person consented to the referral to {name}")),
            }
        }
        errors
    }
}
