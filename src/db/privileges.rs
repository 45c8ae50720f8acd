//! PostgreSQL's privilege split: `liaison migrate` runs as the role that owns the tables, the
//! server as another role that may only insert and read audit rows. The append-only triggers
//! stop the application changing the audit trail only while it cannot drop them, which the
//! owner of a table (or a superuser) always can.

use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::sql_types::Bool;

use super::DbConnection;

/// Why the connected role could alter the audit trail, if it could.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditReach {
    /// The role may only insert and read audit rows.
    AppendOnly,
    Superuser,
    Owner,
    /// Not the owner, but granted UPDATE, DELETE or TRUNCATE on the audit table.
    MayChange,
}

impl AuditReach {
    pub fn can_alter(self) -> bool {
        self != AuditReach::AppendOnly
    }

    pub fn describe(self) -> &'static str {
        match self {
            AuditReach::AppendOnly => "may only insert and read audit rows",
            AuditReach::Superuser => "is a superuser",
            AuditReach::Owner => "owns the audit table",
            AuditReach::MayChange => "may update, delete or truncate audit rows",
        }
    }
}

#[derive(QueryableByName)]
struct Reach {
    #[diesel(sql_type = Bool)]
    superuser: bool,
    #[diesel(sql_type = Bool)]
    owner: bool,
    #[diesel(sql_type = Bool)]
    may_change: bool,
}

/// What the connected role may do to the audit table. SQLite has no roles: whoever can open
/// the file owns it, so there the answer is always `Owner`.
pub fn audit_reach(conn: &mut DbConnection) -> QueryResult<AuditReach> {
    let DbConnection::Pg(pg) = conn else {
        return Ok(AuditReach::Owner);
    };
    let reach: Reach = diesel::sql_query(
        "SELECT r.rolsuper AS superuser, \
                pg_has_role(current_user, c.relowner, 'USAGE') AS owner, \
                has_table_privilege(c.oid, 'UPDATE, DELETE, TRUNCATE') AS may_change \
         FROM pg_roles r, pg_class c \
         WHERE r.rolname = current_user AND c.oid = 'audit_events'::regclass",
    )
    .get_result(pg)?;
    Ok(if reach.superuser {
        AuditReach::Superuser
    } else if reach.owner {
        AuditReach::Owner
    } else if reach.may_change {
        AuditReach::MayChange
    } else {
        AuditReach::AppendOnly
    })
}

/// Lets `role` do what the server does and no more: read and write the application's
/// tables, but only insert and read audit rows, and only read the migration bookkeeping.
/// Run by the owner after migrating; running it again changes nothing.
pub fn grant_to_app_role(pg: &mut PgConnection, role: &str) -> Result<(), String> {
    if role.is_empty()
        || !role
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        return Err(format!(
            "`{role}` is not a role name this command accepts: lower-case letters, digits and _ only"
        ));
    }
    let statements = [
        format!("GRANT USAGE ON SCHEMA public TO {role}"),
        format!("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}"),
        format!("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}"),
        // Rebuilding the dashboards' facts empties their table in one step.
        format!("GRANT TRUNCATE ON episode_facts TO {role}"),
        format!("REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON __diesel_schema_migrations FROM {role}"),
        format!("REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_events FROM {role}"),
        format!(
            "REVOKE UPDATE, DELETE, TRUNCATE ON record_destructions, destroyed_people, destroyed_audit_links FROM {role}"
        ),
    ];
    pg.transaction(|pg| {
        for sql in &statements {
            diesel::sql_query(sql).execute(pg)?;
        }
        Ok::<_, diesel::result::Error>(())
    })
    .map_err(|e| format!("cannot grant the server's role its privileges: {e}"))
}

/// Brings the database up to this build's schema where the connected role may, and answers
/// what that role may do to the audit trail. A role that may not migrate (the server's, under
/// the split) is told to ask the owner, rather than failing on a permission error.
pub fn migrate_where_allowed(conn: &mut DbConnection) -> Result<(usize, AuditReach), String> {
    let read = |e: diesel::result::Error| format!("cannot read the database's roles: {e}");
    let existing = match conn {
        DbConnection::Pg(pg) => audit_table_exists(pg).map_err(read)?,
        DbConnection::Sqlite(_) => false,
    };
    if existing {
        let pending = super::migration_state(conn)?.pending;
        if pending == 0 {
            return Ok((0, audit_reach(conn).map_err(read)?));
        }
        if !audit_reach(conn).map_err(read)?.can_alter() {
            return Err(format!(
                "{pending} database migrations are pending and this role may not apply them: \
                 run `liaison migrate` as the role that owns the tables"
            ));
        }
    }
    let applied = super::run_migrations(conn).map_err(|e| format!("cannot apply migrations: {e}"))?;
    Ok((applied, audit_reach(conn).map_err(read)?))
}

#[derive(QueryableByName)]
struct Exists {
    #[diesel(sql_type = Bool)]
    exists: bool,
}

fn audit_table_exists(pg: &mut PgConnection) -> QueryResult<bool> {
    let found: Exists = diesel::sql_query("SELECT to_regclass('audit_events') IS NOT NULL AS exists").get_result(pg)?;
    Ok(found.exists)
}
