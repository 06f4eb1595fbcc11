//! Who may be connected: the admission check of a login, repeated for open sessions whenever
//! DROP ROLE, REVOKE, ALTER ROLE or DROP DATABASE may have taken access away.
//!
//! Invariants:
//! - A session is admitted while its role exists, has LOGIN, and is a superuser or holds
//!   CONNECT on the session's database (itself or through a group it inherits from), which
//!   must still be the same tenant (same id).
//! - Every statement that can revoke access calls `Engine::access_changed` after its write;
//!   each connection re-checks its session then (`pg/connection.rs`) and ends it when the
//!   check fails, so a revoked role keeps no open session.

use mindoodb_storage::{RoleRecord, TenantInfo};
use tokio::sync::watch;

use super::{Engine, Session};
use crate::catalog::acl;
use crate::error::{Error, Result};

impl Engine {
    /// The role and tenant of a login, when `role` may connect to `database`.
    pub(crate) fn admit(&self, role: &str, database: &str) -> Result<(RoleRecord, TenantInfo)> {
        let role = self
            .store()
            .role(role)?
            .ok_or_else(|| Error::InvalidPassword(role.to_owned()))?;
        if !role.login {
            return Err(Error::LoginNotPermitted(role.name));
        }
        let tenant = self
            .store()
            .tenant(database)
            .ok_or_else(|| Error::UndefinedDatabase(database.to_owned()))?;
        if !acl::may_connect(self.store(), &role, &tenant.name)? {
            return Err(Error::NotAllowed(format!(
                "role \"{}\" may not connect to database \"{}\"",
                role.name, tenant.name
            )));
        }
        Ok((role, tenant))
    }

    /// Tells every open connection to re-check its session's admission.
    pub(crate) fn access_changed(&self) {
        self.access.send_modify(|generation| *generation += 1);
    }

    /// Wakes when access may have changed.
    pub(crate) fn access_watch(&self) -> watch::Receiver<u64> {
        self.access.subscribe()
    }
}

impl Session {
    /// `Ok` while the session's role may still be connected to its database; else why not.
    pub(crate) fn still_admitted(&self) -> Result<()> {
        let revoked = |why: String| Err(Error::AccessRevoked(why));
        match self.engine().admit(&self.role().name, &self.tenant().name) {
            Ok((_, tenant)) if tenant.id == self.tenant().id => Ok(()),
            Ok(_) | Err(Error::UndefinedDatabase(_)) => {
                revoked(format!("database \"{}\" was dropped", self.tenant().name))
            }
            Err(Error::InvalidPassword(_)) => {
                revoked(format!("role \"{}\" was dropped", self.role().name))
            }
            Err(Error::LoginNotPermitted(_)) => revoked(format!(
                "role \"{}\" may no longer log in",
                self.role().name
            )),
            Err(Error::NotAllowed(why)) => revoked(why),
            Err(other) => Err(other),
        }
    }
}
