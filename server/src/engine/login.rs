//! Opening a session: admission, then the session's DataFusion context — the tenant's tables
//! and views, `pg_catalog` and `information_schema`, the Postgres functions and rewrites, and
//! the `mindoo.*` table functions — around its own state.
//!
//! Invariants:
//! - A session exists only for a role admitted to the database (`session/access.rs`).
//! - One `SessionContext` per session, built here; nothing in it is shared with another
//!   session except the store.
//! - Keys given at login (a local node's keyring, `-c mindoo.keys`) pass through
//!   `Session::set_keys` like `SET mindoo.keys`, with the same transport rule.

use std::sync::Arc;

use datafusion::catalog::MemoryCatalogProvider;
use datafusion::execution::SessionStateBuilder;
use datafusion::execution::disk_manager::{DiskManagerBuilder, DiskManagerMode};
use datafusion::execution::memory_pool::GreedyMemoryPool;
use datafusion::execution::runtime_env::RuntimeEnvBuilder;
use datafusion::prelude::{SessionConfig, SessionContext};
use mindoodb_storage::ViewInfo;

use super::functions::jsonb::{self, JsonTypePlanner};
use super::functions::tsearch::{self, TsTypePlanner};
use super::functions::{array_out, datetime};
use super::mindoo::TABLE_FUNCTIONS;
use super::read::scan::PAGE_DOCS;
use super::read::schema::DocSchema;
use super::read::table_fn::FnCtx;
use super::read::udtf::{self, Registered};
use super::read::views::{self, Planner};
use super::rewrite;
use super::session::state::SharedState;
use super::session::{Engine, Login, Parts, Session};
use crate::catalog::{self, CatalogSource, PgTypePlanner, Settings, names};
use crate::error::{Result, from_datafusion};

impl Engine {
    /// Opens a session: the role must have LOGIN, the database must exist and the role must be
    /// allowed into it.
    pub(crate) fn login(self: &Arc<Self>, login: Login) -> Result<Session> {
        let (role, tenant) = self.admit(&login.role, &login.database)?;
        let state = SharedState::default();
        let config = SessionConfig::new()
            .with_default_catalog_and_schema(names::CATALOG, names::PUBLIC)
            .with_information_schema(false)
            // A batch is what a streamed result holds at a time: as many rows as a scan page.
            .with_batch_size(PAGE_DOCS)
            .set_str("datafusion.sql_parser.dialect", "PostgreSQL")
            .set_bool("datafusion.sql_parser.enable_ident_normalization", true)
            .with_extension(Arc::new(Registered::new(&TABLE_FUNCTIONS)));
        // A statement's operators share one budget; past it they fail (53200) and never spill:
        // DataFusion's spill files would hold decrypted rows on disk.
        let runtime = RuntimeEnvBuilder::new()
            .with_memory_pool(Arc::new(GreedyMemoryPool::new(self.statement_memory())))
            .with_disk_manager_builder(
                DiskManagerBuilder::default().with_mode(DiskManagerMode::Disabled),
            )
            .build_arc()
            .map_err(from_datafusion)?;
        let df_state = SessionStateBuilder::new()
            .with_config(config)
            .with_runtime_env(runtime)
            .with_default_features()
            .with_type_planner(Arc::new(PgTypePlanner::new(Arc::new(TsTypePlanner::new(
                Arc::new(JsonTypePlanner),
            )))))
            .build();
        let mut ctx = SessionContext::new_with_state(df_state);
        let settings = Settings::new(&role.name, &tenant.name);
        settings.set(
            "is_superuser",
            if role.superuser { "on" } else { "off" }.into(),
        )?;
        // Weak: the schema lives inside the context it plans views with.
        let weak = ctx.state_weak_ref();
        let planner: Planner = Arc::new(move || weak.upgrade().map(|state| state.read().clone()));
        let view_schema = {
            let (planner, store, tenant) = (planner.clone(), self.store().clone(), tenant.id);
            Arc::new(move |view: &ViewInfo| views::schema(&planner, &store, tenant, view))
        };
        let catalog = MemoryCatalogProvider::new();
        let held_state = state.clone();
        catalog::register(
            &mut ctx,
            &catalog,
            Arc::new(DocSchema {
                store: self.store().clone(),
                tenant: tenant.id,
                state: state.clone(),
                planner,
            }),
            CatalogSource {
                store: self.store().clone(),
                tenant: tenant.clone(),
                role: role.clone(),
                settings: settings.clone(),
                held_keys: Arc::new(move || {
                    held_state
                        .read()
                        .keys
                        .held()
                        .map(|k| k.to_string())
                        .collect()
                }),
                view_schema,
            },
        )?;
        ctx.register_catalog(names::CATALOG, Arc::new(catalog));
        // Before jsonb's: its operator planner would take `@>` and `<@` of tsqueries.
        tsearch::register(&mut ctx, &settings)?;
        jsonb::register(&mut ctx)?;
        ctx.add_analyzer_rule(Arc::new(array_out::ArrayCasts));
        datetime::register(&mut ctx)?;
        rewrite::register(&mut ctx)?;
        udtf::register(
            &ctx,
            &TABLE_FUNCTIONS,
            &FnCtx::new(self, &role, tenant.id, state.clone(), settings.clone()),
        );
        let mut session = Session::new(Parts {
            engine: self.clone(),
            role,
            tenant,
            secure: login.secure,
            peer: login.peer,
            state,
            settings,
            ctx,
        });
        if login.local
            && let Some(keys) = &self.mode().local_keys
        {
            session.set_keys(keys)?;
        }
        if let Some(keys) = login.startup_keys {
            session.set_keys(&keys)?;
        }
        Ok(session)
    }
}
