//! What the session's current role may do inside its tenant: the checks every statement
//! passes before it runs (`check_statement`, with what `sql/relations.rs` says it needs), and
//! the single checks DDL, grants and the `mindoo.*` functions make.
//!
//! Invariants:
//! - Checks use the current role (SET ROLE), as PostgreSQL's do; the session's role decides
//!   only what SET ROLE may choose and who signs.
//! - A view is read with its owner's privileges on what it reads, and the reader needs only
//!   SELECT on the view itself, as in PostgreSQL; nested views follow their own owners.
//! - A name that is not a relation passes here, so that planning reports it missing (42P01)
//!   rather than a privilege error revealing nothing.
//! - Refusals are 42501 with PostgreSQL's messages (`permission denied for table t`, `must be
//!   owner of view v`, `permission denied for schema public`).

use std::collections::BTreeMap;

use mindoodb_storage::{Access, AclItem, TenantAccess};

use super::Session;
use crate::catalog::acl::{self, Subject};
use crate::engine::sql::classify::Classified;
use crate::engine::sql::relations::{self, references};
use crate::error::{Error, Result};

/// How deep views may nest when their owners' privileges are checked; planning refuses
/// deeper nesting anyway.
const MAX_VIEW_DEPTH: usize = 32;

impl Session {
    /// The role privileges are checked for: the one SET ROLE chose, else the session's.
    pub(crate) fn current_role(&self) -> String {
        self.settings().current_role(&self.role().name)
    }

    /// The current role as privilege checks see it.
    pub(crate) fn subject(&self) -> Result<Subject> {
        Subject::of(self.store(), &self.current_role())
    }

    /// The entries of `commits` (table name → seq) whose table the current role may SELECT:
    /// `LISTEN mindoo_changes` tells a role only of what it may read.
    pub(crate) fn audible(&self, commits: BTreeMap<String, u64>) -> BTreeMap<String, u64> {
        let own = self.role();
        if own.superuser && self.current_role() == own.name {
            return commits;
        }
        let Ok(subject) = self.subject() else {
            return BTreeMap::new();
        };
        let tenant = self.tenant().id;
        commits
            .into_iter()
            .filter(|(table, _)| {
                subject
                    .relation(self.store(), tenant, table)
                    .is_some_and(|held| held & acl::SELECT != 0)
            })
            .collect()
    }

    /// Refuses the statement when the current role lacks a privilege it needs.
    pub(crate) fn check_statement(&self, classified: &Classified) -> Result<()> {
        let needs = relations::needs(classified);
        if needs.is_empty() {
            return Ok(());
        }
        // A superuser holds every privilege, but a view still reads its tables with its
        // owner's, as in PostgreSQL. Most sessions of a node are superusers: their point
        // reads of tables should not list the roles.
        let own = self.role();
        if own.superuser && self.current_role() == own.name {
            for name in needs.keys() {
                self.check_view(name, 0)?;
            }
            return Ok(());
        }
        let subject = self.subject()?;
        for (name, needed) in &needs {
            self.check_relation(&subject, name, *needed, 0)?;
        }
        Ok(())
    }

    /// Refuses unless the current role may act as the owner of relation `name`.
    pub(crate) fn require_owner(&self, name: &str) -> Result<()> {
        let Some((access, kind)) = acl::relation_access(self.store(), self.tenant().id, name)
        else {
            return Ok(());
        };
        let owner = acl::relation_owner(&access, &self.tenant_access());
        if self.subject()?.acts_as_owner(&owner) {
            Ok(())
        } else {
            Err(Error::InsufficientPrivilege(format!(
                "must be owner of {kind} {name}"
            )))
        }
    }

    /// Refuses unless the current role may create relations in the tenant's schema.
    pub(crate) fn require_create(&self) -> Result<()> {
        let access = self.tenant_access();
        if self.subject()?.schema(&access) & acl::CREATE != 0 {
            Ok(())
        } else {
            Err(Error::InsufficientPrivilege(
                "permission denied for schema public".into(),
            ))
        }
    }

    /// The tenant's own access record.
    pub(crate) fn tenant_access(&self) -> TenantAccess {
        self.store().tenant_access(self.tenant().id)
    }

    /// The owner and grants of a relation the current role creates now: its own, plus the
    /// default grants it set with ALTER DEFAULT PRIVILEGES, global and for schema `public`
    /// merged (PostgreSQL's `get_user_default_acl`).
    pub(crate) fn new_relation_access(&self) -> Result<Access> {
        let owner = self.current_role();
        let defaults: Vec<AclItem> = self
            .tenant_access()
            .defaults
            .into_iter()
            .filter(|d| d.owner == owner)
            .flat_map(|d| d.items)
            .collect();
        let acl = if defaults.is_empty() {
            None
        } else {
            Some(acl::default_privileges(
                &owner,
                &defaults,
                &self.store().roles()?,
            ))
        };
        Ok(Access { owner, acl })
    }

    /// ALTER ... OWNER TO `owner` for relation `name`, with PostgreSQL's rules: the current
    /// role must act as the owner now, be a member of the new owner, and the new owner must
    /// be able to create in the schema (superusers skip all three). Grants made by or to
    /// the old owner pass to the new one.
    pub(crate) fn change_owner(&self, name: &str, owner: &str) -> Result<()> {
        let store = self.store();
        let roles = store.roles()?;
        if !roles.iter().any(|r| r.name == owner) {
            return Err(Error::UndefinedObject(format!("role \"{owner}\"")));
        }
        self.require_owner(name)?;
        let subject = self.subject()?;
        if !subject.superuser {
            if !acl::reachable(&roles, &subject.name, false).contains(owner) {
                return Err(Error::InsufficientPrivilege(format!(
                    "must be member of role \"{owner}\""
                )));
            }
            if Subject::of(store, owner)?.schema(&self.tenant_access()) & acl::CREATE == 0 {
                return Err(Error::InsufficientPrivilege(
                    "permission denied for schema public".into(),
                ));
            }
        }
        let tenant = self.tenant_access();
        store.update_relation_access(self.tenant().id, name, |access| {
            let old = acl::relation_owner(access, &tenant);
            if let Some(list) = &mut access.acl {
                for item in list.iter_mut() {
                    if item.grantee == old {
                        item.grantee = owner.to_owned();
                    }
                    if item.grantor == old {
                        item.grantor = owner.to_owned();
                    }
                }
            }
            access.owner = owner.to_owned();
            Ok::<(), Error>(())
        })?;
        Ok(())
    }

    fn check_relation(
        &self,
        subject: &Subject,
        name: &str,
        needed: u32,
        depth: usize,
    ) -> Result<()> {
        if !subject.superuser {
            subject.require(self.store(), self.tenant().id, name, needed)?;
        }
        self.check_view(name, depth)
    }

    /// When `name` is a view, checks that its owner may SELECT what it reads.
    fn check_view(&self, name: &str, depth: usize) -> Result<()> {
        let store = self.store();
        let tenant = self.tenant().id;
        let Some(view) = store.view(tenant, name) else {
            return Ok(());
        };
        if depth >= MAX_VIEW_DEPTH {
            return Err(Error::RecursiveView(name.to_owned()));
        }
        let owner = acl::relation_owner(&view.access, &self.tenant_access());
        if owner.is_empty() {
            // A view no role owns belongs to the superusers, who may read everything.
            return Ok(());
        }
        let owner = Subject::of(store, &owner)?;
        for inner in references(&view.sql)? {
            self.check_relation(&owner, &inner, acl::SELECT, depth + 1)?;
        }
        Ok(())
    }
}
