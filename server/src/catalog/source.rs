//! `CatalogSource`: what one session's system tables and functions read: the store, the
//! tenant it is connected to, its role and its settings.
//!
//! Invariants:
//! - Holds no key material: only a way to list the names of the keys the session holds.
//! - One source per session; two sessions never share settings through it.

use std::sync::Arc;

use datafusion::arrow::datatypes::SchemaRef;
use mindoodb_storage::{RoleRecord, Store, TenantInfo, ViewInfo};

use super::settings::Settings;
use crate::error::Result;

/// Lists `name.version` of every key the session holds (never the keys).
pub(crate) type HeldKeys = Arc<dyn Fn() -> Vec<String> + Send + Sync>;

/// The columns of a view, planned in the session that reads the catalog.
pub(crate) type ViewSchema = Arc<dyn Fn(&ViewInfo) -> Result<SchemaRef> + Send + Sync>;

/// One session's view of the catalog.
pub(crate) struct CatalogSource {
    pub(crate) store: Store,
    /// The tenant (database) the session is connected to.
    pub(crate) tenant: TenantInfo,
    /// The session's role.
    pub(crate) role: RoleRecord,
    pub(crate) settings: Settings,
    pub(crate) held_keys: HeldKeys,
    pub(crate) view_schema: ViewSchema,
}

impl CatalogSource {
    /// `current_user`: the role SET ROLE chose, else the session's.
    pub(crate) fn current_role(&self) -> String {
        self.settings.current_role(&self.role.name)
    }
}
