//! CREATE DATABASE and DROP DATABASE: a database is a tenant, with its own tables, keys and
//! grants.
//!
//! Invariants:
//! - Superusers only; the database a session is connected to cannot be dropped.

use datafusion::sql::sqlparser::ast::ObjectName;

use super::{already, command, require_superuser};
use crate::catalog::names;
use crate::engine::session::Session;
use crate::error::{Error, Result};
use crate::notice::Notice;
use crate::output::Output;

/// CREATE DATABASE [IF NOT EXISTS] name.
pub(crate) fn create(session: &Session, name: &ObjectName, if_not_exists: bool) -> Result<Output> {
    require_superuser(session, "create databases")?;
    let store = session.store();
    let name = names::single(name)?;
    if store.tenant(&name).is_some() {
        if if_not_exists {
            return Ok(command("CREATE DATABASE"));
        }
        return Err(Error::DuplicateDatabase(name));
    }
    let tenant = store
        .create_tenant(&name)
        .map_err(|e| already(e, Error::DuplicateDatabase(name.clone())))?;
    let owner = session.current_role();
    store.update_tenant_access(tenant.id, |access| {
        access.owner = owner;
        Ok::<(), Error>(())
    })?;
    Ok(command("CREATE DATABASE"))
}

/// DROP DATABASE [IF EXISTS] names.
pub(crate) fn drop(
    session: &mut Session,
    dropped: &[ObjectName],
    if_exists: bool,
) -> Result<Output> {
    require_superuser(session, "drop databases")?;
    let store = session.store().clone();
    for name in dropped {
        let name = names::single(name)?;
        if name == session.tenant().name {
            return Err(Error::NotAllowed(
                "cannot drop the currently open database".into(),
            ));
        }
        match store.drop_tenant(&name) {
            Ok(()) => {}
            Err(mindoodb_storage::Error::NoSuchTenant(_)) if if_exists => {
                session.notice(Notice::Skipped {
                    kind: "database",
                    name,
                });
            }
            Err(mindoodb_storage::Error::NoSuchTenant(_)) => {
                return Err(Error::UndefinedDatabase(name));
            }
            Err(err) => return Err(err.into()),
        }
    }
    session.engine().access_changed();
    Ok(command("DROP DATABASE"))
}
