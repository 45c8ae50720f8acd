//! The partner directory: organisations, the services a team refers people to, and each
//! service's referral email addresses (docs/domain.md §5.1). Administrators keep it; the referral
//! feature reads it through `active_services` and `find_service`.

mod detail;
pub mod form;
pub mod handlers;

use std::collections::HashMap;

use diesel::prelude::*;

use crate::clock::Millis;
use crate::db::schema::{partner_addresses, partner_organisations, partner_services};
use crate::db::{DbConnection, one_of};
use crate::domain::codes;
use crate::domain::new_id;
use crate::domain::referral::SERVICE_TYPES;
use crate::web::routes::Routes;
pub use form::{ServiceForm, ServiceValues};

#[rustfmt::skip]
pub fn routes(r: &mut Routes) {
    use crate::web::routes::{Guard::Admin, Record::PartnerService};
    // "/new" before "/{id}", so it is not taken for an id.
    r.get("/admin/partners", Admin, PartnerService, handlers::list)
        .get("/admin/partners/new", Admin, PartnerService, handlers::new_form)
        .post("/admin/partners/new", Admin, PartnerService, handlers::create)
        .get("/admin/partners/{id}", Admin, PartnerService, handlers::edit_form)
        .post("/admin/partners/{id}", Admin, PartnerService, handlers::update);
}

/// A service as the referral feature needs it.
#[derive(Clone, Debug)]
pub struct ServiceEntry {
    pub id: String,
    pub organisation: String,
    pub name: String,
    pub service_type: String,
    pub phone: Option<String>,
    pub addresses: Vec<String>,
    pub active: bool,
}

/// A service with everything the directory records about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Service {
    pub id: String,
    pub organisation_id: String,
    pub organisation: String,
    pub name: String,
    pub service_type: String,
    pub phone: Option<String>,
    pub areas: Option<String>,
    /// 'YYYY-MM-DD'.
    pub last_verified: Option<String>,
    pub active: bool,
    /// In the order the administrator typed them.
    pub addresses: Vec<String>,
}

impl Service {
    pub fn type_label(&self) -> &str {
        codes::label_of(SERVICE_TYPES, &self.service_type).unwrap_or("Unknown")
    }

    fn entry(self) -> ServiceEntry {
        ServiceEntry {
            id: self.id,
            organisation: self.organisation,
            name: self.name,
            service_type: self.service_type,
            phone: self.phone,
            addresses: self.addresses,
            active: self.active,
        }
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = partner_services)]
struct ServiceRow {
    id: String,
    organisation_id: String,
    name: String,
    service_type: String,
    phone: Option<String>,
    areas: Option<String>,
    last_verified: Option<String>,
    active: bool,
}

/// Which services to list.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// Only services of this type (a `SERVICE_TYPES` code).
    pub service_type: Option<String>,
    pub active_only: bool,
}

/// Services matching `filter` with their addresses, sorted by organisation then service
/// name (ignoring letter case, the same on both databases). Two queries however many.
pub fn services(conn: &mut DbConnection, filter: &Filter) -> QueryResult<Vec<Service>> {
    let mut query = partner_services::table
        .inner_join(partner_organisations::table)
        .select((ServiceRow::as_select(), partner_organisations::name))
        .into_boxed();
    if let Some(kind) = &filter.service_type {
        query = query.filter(partner_services::service_type.eq(kind.clone()));
    }
    if filter.active_only {
        query = query.filter(partner_services::active.eq(true));
    }
    let rows: Vec<(ServiceRow, String)> = query.load(conn)?;
    let ids: Vec<&str> = rows.iter().map(|(r, _)| r.id.as_str()).collect();
    let mut addresses = addresses_of(conn, &ids)?;
    let mut found: Vec<Service> = rows
        .into_iter()
        .map(|(row, organisation)| {
            let addresses = addresses.remove(&row.id).unwrap_or_default();
            assemble(row, organisation, addresses)
        })
        .collect();
    found.sort_by_cached_key(|s| (s.organisation.to_lowercase(), s.name.to_lowercase(), s.id.clone()));
    Ok(found)
}

/// One service, active or not, with its addresses.
pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<Service>> {
    let row: Option<(ServiceRow, String)> = partner_services::table
        .inner_join(partner_organisations::table)
        .filter(partner_services::id.eq(id))
        .select((ServiceRow::as_select(), partner_organisations::name))
        .first(conn)
        .optional()?;
    let Some((row, organisation)) = row else {
        return Ok(None);
    };
    let addresses = addresses_of(conn, &[id])?.remove(id).unwrap_or_default();
    Ok(Some(assemble(row, organisation, addresses)))
}

/// Every active service with its addresses, sorted by organisation then name: the choices
/// offered when making a referral. A fixed number of queries, whatever the directory's size.
pub fn active_services(conn: &mut DbConnection) -> QueryResult<Vec<ServiceEntry>> {
    let filter = Filter {
        active_only: true,
        ..Filter::default()
    };
    Ok(services(conn, &filter)?.into_iter().map(Service::entry).collect())
}

/// One service by id, active or not (an old referral may name a service since closed).
pub fn find_service(conn: &mut DbConnection, id: &str) -> QueryResult<Option<ServiceEntry>> {
    Ok(find(conn, id)?.map(Service::entry))
}

fn assemble(row: ServiceRow, organisation: String, addresses: Vec<String>) -> Service {
    Service {
        id: row.id,
        organisation_id: row.organisation_id,
        organisation,
        name: row.name,
        service_type: row.service_type,
        phone: row.phone,
        areas: row.areas,
        last_verified: row.last_verified,
        active: row.active,
        addresses,
    }
}

/// The addresses of the given services, keyed by service id, each list in typed order.
fn addresses_of(conn: &mut DbConnection, service_ids: &[&str]) -> QueryResult<HashMap<String, Vec<String>>> {
    if service_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(String, String)> = partner_addresses::table
        .filter(one_of(partner_addresses::service_id, service_ids))
        .select((partner_addresses::service_id, partner_addresses::email))
        .order((partner_addresses::service_id.asc(), partner_addresses::id.asc()))
        .load(conn)?;
    let mut by_service: HashMap<String, Vec<String>> = HashMap::new();
    for (service_id, email) in rows {
        by_service.entry(service_id).or_default().push(email);
    }
    Ok(by_service)
}

/// Organisation names, sorted, to suggest in the form.
pub fn organisation_names(conn: &mut DbConnection) -> QueryResult<Vec<String>> {
    let mut names: Vec<String> = partner_organisations::table
        .select(partner_organisations::name)
        .load(conn)?;
    names.sort_by_cached_key(|n| n.to_lowercase());
    Ok(names)
}

/// The organisation with this name, ignoring letter case so "brent camhs" does not become a
/// second "Brent CAMHS". The directory is small, so it is compared here rather than in SQL.
/// Returns the id and the name as stored.
pub fn organisation_by_name(conn: &mut DbConnection, name: &str) -> QueryResult<Option<(String, String)>> {
    let all: Vec<(String, String)> = partner_organisations::table
        .select((partner_organisations::id, partner_organisations::name))
        .load(conn)?;
    let exact = all.iter().find(|(_, n)| n == name);
    let loose = || all.iter().find(|(_, n)| n.to_lowercase() == name.to_lowercase());
    Ok(exact.or_else(loose).cloned())
}

pub fn create_organisation(conn: &mut DbConnection, now: Millis, name: &str) -> QueryResult<String> {
    let id = new_id();
    diesel::insert_into(partner_organisations::table)
        .values((
            partner_organisations::id.eq(&id),
            partner_organisations::name.eq(name),
            partner_organisations::created_at.eq(now),
            partner_organisations::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Whether the organisation already has another service of this name (ignoring case).
pub fn service_name_taken(
    conn: &mut DbConnection,
    organisation_id: &str,
    name: &str,
    except_id: Option<&str>,
) -> QueryResult<bool> {
    let others: Vec<(String, String)> = partner_services::table
        .filter(partner_services::organisation_id.eq(organisation_id))
        .select((partner_services::id, partner_services::name))
        .load(conn)?;
    Ok(others
        .iter()
        .any(|(id, n)| Some(id.as_str()) != except_id && n.to_lowercase() == name.to_lowercase()))
}

/// Adds a service and its addresses; returns its id.
pub fn create_service(
    conn: &mut DbConnection,
    now: Millis,
    organisation_id: &str,
    v: &ServiceValues,
) -> QueryResult<String> {
    let id = new_id();
    diesel::insert_into(partner_services::table)
        .values((
            partner_services::id.eq(&id),
            partner_services::organisation_id.eq(organisation_id),
            partner_services::name.eq(&v.name),
            partner_services::service_type.eq(&v.service_type),
            partner_services::phone.eq(&v.phone),
            partner_services::areas.eq(&v.areas),
            partner_services::last_verified.eq(&v.last_verified),
            partner_services::active.eq(v.active),
            partner_services::created_at.eq(now),
            partner_services::updated_at.eq(now),
        ))
        .execute(conn)?;
    replace_addresses(conn, &id, &v.addresses)?;
    Ok(id)
}

/// Changes a service and replaces its addresses. Call inside a transaction, so a service is
/// never seen without its addresses.
pub fn update_service(
    conn: &mut DbConnection,
    now: Millis,
    id: &str,
    organisation_id: &str,
    v: &ServiceValues,
) -> QueryResult<()> {
    diesel::update(partner_services::table.find(id))
        .set((
            partner_services::organisation_id.eq(organisation_id),
            partner_services::name.eq(&v.name),
            partner_services::service_type.eq(&v.service_type),
            partner_services::phone.eq(&v.phone),
            partner_services::areas.eq(&v.areas),
            partner_services::last_verified.eq(&v.last_verified),
            partner_services::active.eq(v.active),
            partner_services::updated_at.eq(now),
        ))
        .execute(conn)?;
    replace_addresses(conn, id, &v.addresses)
}

/// Deletes the service's addresses and inserts `addresses`. Each id is the service id plus
/// the line's position, so ordering by id keeps the order the administrator typed.
fn replace_addresses(conn: &mut DbConnection, service_id: &str, addresses: &[String]) -> QueryResult<()> {
    diesel::delete(partner_addresses::table.filter(partner_addresses::service_id.eq(service_id))).execute(conn)?;
    for (position, email) in addresses.iter().enumerate() {
        diesel::insert_into(partner_addresses::table)
            .values((
                partner_addresses::id.eq(format!("{service_id}/{position:03}")),
                partner_addresses::service_id.eq(service_id),
                partner_addresses::email.eq(email),
            ))
            .execute(conn)?;
    }
    Ok(())
}
