//! GRANT and REVOKE, every form MindooDB has: CONNECT on databases (tenants), privileges on
//! tables and views (one by one or `ALL TABLES IN SCHEMA public`), USAGE and CREATE on the
//! schema, role membership, and default privileges (`ALTER DEFAULT PRIVILEGES`, which
//! `sql/grant_syntax.rs` reads as grants on future tables).
//!
//! Invariants:
//! - As in PostgreSQL, a grant is recorded under the role whose grant options allow it: the
//!   owner when the current role acts as the owner, else the role holding the grant option.
//!   It grants nothing it may not: without any grant option it changes nothing, and a role
//!   holding no privilege on the object at all is refused (42501). What it could not do it
//!   says with PostgreSQL's warnings (01007 for GRANT, 01006 for REVOKE, per column too).
//! - GRANT of a membership a role has is a notice, REVOKE of one it lacks a warning (01000).
//! - REVOKE takes away what that grantor granted; a grant option others granted onward goes
//!   only with CASCADE (2BP01 otherwise), and so do their grants.
//! - Each relation's list changes in one catalog write under the catalog's lock.
//! - Revoking CONNECT or a membership announces `access_changed`.

use std::sync::Arc;

use datafusion::sql::sqlparser::ast::{
    Action, CascadeOption, Grant, GrantObjects, Grantee, GranteeName, GranteesType, Ident,
    ObjectName, Privileges, Revoke,
};
use mindoodb_storage::{AclItem, DefaultAcl, Membership};

use super::{command, require_superuser};
use crate::catalog::acl::{self, Subject};
use crate::catalog::doc_columns::DOC_COLUMNS;
use crate::catalog::names;
use crate::engine::read::views::{self, Planner};
use crate::engine::session::Session;
use crate::error::{Error, Result};
use crate::notice::Notice;
use crate::output::Output;

/// PostgreSQL's system columns, which every table has, by attribute number (-6 to -1): a
/// REVOKE warns for them as for the table's own columns.
const SYSTEM_COLUMNS: [&str; 6] = ["tableoid", "cmax", "xmax", "cmin", "xmin", "ctid"];

/// One GRANT or REVOKE, whichever statement spelled it.
struct Change<'a> {
    grant: bool,
    privileges: &'a Privileges,
    objects: Option<&'a GrantObjects>,
    grantees: &'a [Grantee],
    /// WITH GRANT OPTION / WITH ADMIN OPTION; for REVOKE, GRANT OPTION FOR / ADMIN OPTION
    /// FOR: only the option goes.
    option: bool,
    cascade: bool,
    /// ALTER DEFAULT PRIVILEGES FOR ROLE.
    for_role: Option<&'a Ident>,
}

/// GRANT.
pub(crate) fn grant(session: &mut Session, grant: &Grant) -> Result<Output> {
    run(
        session,
        &Change {
            grant: true,
            privileges: &grant.privileges,
            objects: grant.objects.as_ref(),
            grantees: &grant.grantees,
            option: grant.with_grant_option,
            cascade: false,
            for_role: grant.as_grantor.as_ref(),
        },
    )
}

/// REVOKE, or with `option_only` REVOKE GRANT OPTION FOR / ADMIN OPTION FOR.
pub(crate) fn revoke(session: &mut Session, revoke: &Revoke, option_only: bool) -> Result<Output> {
    run(
        session,
        &Change {
            grant: false,
            privileges: &revoke.privileges,
            objects: revoke.objects.as_ref(),
            grantees: &revoke.grantees,
            option: option_only,
            cascade: matches!(revoke.cascade, Some(CascadeOption::Cascade)),
            for_role: revoke.granted_by.as_ref(),
        },
    )
}

fn run(session: &mut Session, change: &Change<'_>) -> Result<Output> {
    let mut notices = Vec::new();
    let done = changes(session, change, &mut notices);
    // As in PostgreSQL, the warnings of the objects changed before a failure are sent too.
    for notice in notices {
        session.notice(notice);
    }
    done?;
    // PostgreSQL's tags: role membership and default privileges have their own.
    Ok(command(match (change.objects, change.grant) {
        (Some(GrantObjects::FutureTablesInSchema { .. }), _) => "ALTER DEFAULT PRIVILEGES",
        (None, true) => "GRANT ROLE",
        (None, false) => "REVOKE ROLE",
        (_, true) => "GRANT",
        (_, false) => "REVOKE",
    }))
}

/// Makes the changes `change` names, adding the notices they raise to `notices`.
fn changes(session: &Session, change: &Change<'_>, notices: &mut Vec<Notice>) -> Result<()> {
    let grantees = grantees(session, change.grantees)?;
    match change.objects {
        None => memberships(session, change, &grantees, notices)?,
        Some(GrantObjects::Databases(databases)) => connect(session, change, databases, &grantees)?,
        Some(GrantObjects::Tables(tables) | GrantObjects::Views(tables)) => {
            let bits = bits(change.privileges, acl::TABLE_ALL, "table")?;
            for table in tables {
                let name = names::relation(table)?;
                relation(session, change, &name, bits, &grantees, notices)?;
            }
        }
        Some(GrantObjects::AllTablesInSchema { schemas }) => {
            let bits = bits(change.privileges, acl::TABLE_ALL, "table")?;
            public_only(schemas)?;
            let store = session.store();
            let tenant = session.tenant().id;
            let tables = store.tables(tenant).into_iter().map(|t| t.name);
            for name in tables.chain(store.views(tenant).into_iter().map(|v| v.name)) {
                relation(session, change, &name, bits, &grantees, notices)?;
            }
        }
        Some(GrantObjects::Schemas(schemas)) => {
            let bits = bits(change.privileges, acl::SCHEMA_ALL, "schema")?;
            public_only(schemas)?;
            let applied = schema(session, change, bits, &grantees)?;
            notices.extend(shortfall(change, bits, applied, "\"public\"".into()));
        }
        Some(GrantObjects::FutureTablesInSchema { schemas }) => {
            let bits = bits(change.privileges, acl::TABLE_ALL, "table")?;
            public_only(schemas)?;
            let schema = (!schemas.is_empty()).then(|| "public".to_owned());
            defaults(session, change, schema, bits, &grantees)?;
        }
        Some(other) => {
            return Err(Error::FeatureNotSupported(format!("GRANT ON {other}")));
        }
    }
    Ok(())
}

/// PostgreSQL's warning when a GRANT or REVOKE of `bits` on `object` could apply only
/// `applied` of them (the grantor's grant options): none applied, or some of a list that
/// was not ALL.
fn shortfall(change: &Change<'_>, bits: u32, applied: u32, object: String) -> Option<Notice> {
    let all = matches!(change.privileges, Privileges::All { .. });
    let nothing = applied == 0;
    (nothing || (!all && applied != bits)).then_some(Notice::Unprivileged {
        revoke: !change.grant,
        nothing,
        object,
    })
}

/// The grantees' role names, PUBLIC as the empty name; 42704 for a role that does not exist.
fn grantees(session: &Session, grantees: &[Grantee]) -> Result<Vec<String>> {
    let roles = session.store().roles()?;
    grantees
        .iter()
        .map(|grantee| match (&grantee.grantee_type, &grantee.name) {
            (GranteesType::Public, _) => Ok(String::new()),
            (_, Some(GranteeName::ObjectName(name))) => {
                let name = names::single(name)?;
                if name == "public" {
                    return Ok(String::new());
                }
                if roles.iter().any(|r| r.name == name) {
                    Ok(name)
                } else {
                    Err(Error::UndefinedObject(format!("role \"{name}\"")))
                }
            }
            _ => Err(Error::FeatureNotSupported("this grantee form".into())),
        })
        .collect()
}

/// The privilege bits a statement names for an object whose ALL is `all`.
fn bits(privileges: &Privileges, all: u32, object: &str) -> Result<u32> {
    let actions = match privileges {
        Privileges::All { .. } => return Ok(all),
        Privileges::Actions(actions) => actions,
    };
    let mut bits = 0;
    for action in actions {
        let (bit, name) = match action {
            Action::Select { columns: None } => (acl::SELECT, "SELECT"),
            Action::Insert { columns: None } => (acl::INSERT, "INSERT"),
            Action::Update { columns: None } => (acl::UPDATE, "UPDATE"),
            Action::Delete => (acl::DELETE, "DELETE"),
            Action::Truncate => (acl::TRUNCATE, "TRUNCATE"),
            Action::References { columns: None } => (acl::REFERENCES, "REFERENCES"),
            Action::Trigger => (acl::TRIGGER, "TRIGGER"),
            Action::Usage => (acl::USAGE, "USAGE"),
            Action::Create { obj_type: None } => (acl::CREATE, "CREATE"),
            Action::Select { .. } | Action::Insert { .. } | Action::Update { .. } => {
                return Err(Error::FeatureNotSupported("column privileges".into()));
            }
            other => {
                return Err(Error::InvalidGrant(format!(
                    "invalid privilege type {other} for {object}"
                )));
            }
        };
        if bit & all == 0 {
            return Err(Error::InvalidGrant(format!(
                "invalid privilege type {name} for {object}"
            )));
        }
        bits |= bit;
    }
    Ok(bits)
}

fn public_only(schemas: &[ObjectName]) -> Result<()> {
    for schema in schemas {
        let name = names::single(schema)?;
        if name != "public" {
            return Err(Error::UndefinedSchema(name));
        }
    }
    Ok(())
}

/// Privileges on one table or view.
fn relation(
    session: &Session,
    change: &Change<'_>,
    name: &str,
    bits: u32,
    grantees: &[String],
    notices: &mut Vec<Notice>,
) -> Result<()> {
    let store = session.store();
    let tenant = session.tenant().id;
    if store.table(tenant, name).is_none() && store.view(tenant, name).is_none() {
        return Err(Error::UndefinedTable(name.to_owned()));
    }
    let subject = session.subject()?;
    let tenant_access = session.tenant_access();
    let kind = if store.view(tenant, name).is_some() {
        "view"
    } else {
        "table"
    };
    let mut applied = bits;
    store.update_relation_access(tenant, name, |access| {
        let owner = acl::relation_owner(access, &tenant_access);
        let mut list = acl::relation_list(access, &tenant_access);
        let refused =
            || Error::InsufficientPrivilege(format!("permission denied for {kind} {name}"));
        applied = edit(&subject, &owner, &mut list, change, bits, grantees, refused)?;
        access.acl = Some(list);
        Ok::<(), Error>(())
    })?;
    let Some(warning) = shortfall(change, bits, applied, format!("\"{name}\"")) else {
        return Ok(());
    };
    notices.push(warning);
    // A REVOKE of column privileges revokes them from every column too, and PostgreSQL warns
    // for each column: a table's system columns first, then its own; a view's own only.
    let column_bits = bits & acl::COLUMN_ALL;
    if change.grant || column_bits == 0 {
        return Ok(());
    }
    let columns: Vec<String> = match store.view(tenant, name) {
        Some(view) => {
            let state = session.ctx().state();
            let planner: Planner = Arc::new(move || Some(state.clone()));
            let schema = views::schema(&planner, store, tenant, &view)?;
            schema.fields().iter().map(|f| f.name().clone()).collect()
        }
        None => SYSTEM_COLUMNS
            .into_iter()
            .chain(DOC_COLUMNS.iter().map(|column| column.name))
            .map(str::to_owned)
            .collect(),
    };
    for column in columns {
        notices.extend(shortfall(
            change,
            column_bits,
            applied & acl::COLUMN_ALL,
            format!("column \"{column}\" of relation \"{name}\""),
        ));
    }
    Ok(())
}

/// USAGE and CREATE on the tenant's `public` schema; the bits the grantor's options applied.
fn schema(session: &Session, change: &Change<'_>, bits: u32, grantees: &[String]) -> Result<u32> {
    let subject = session.subject()?;
    let mut applied = bits;
    session
        .store()
        .update_tenant_access(session.tenant().id, |access| {
            let owner = access.owner.clone();
            let mut list = acl::schema_list(access);
            let refused =
                || Error::InsufficientPrivilege("permission denied for schema public".into());
            applied = edit(&subject, &owner, &mut list, change, bits, grantees, refused)?;
            access.schema = Some(list);
            Ok::<(), Error>(())
        })?;
    Ok(applied)
}

/// Grants or revokes `bits` for `grantees` in `list` of an object `owner` owns, as the grantor
/// `subject`'s grant options allow; the bits it could apply.
fn edit(
    subject: &Subject,
    owner: &str,
    list: &mut Vec<AclItem>,
    change: &Change<'_>,
    bits: u32,
    grantees: &[String],
    refused: impl Fn() -> Error,
) -> Result<u32> {
    // An owner holds every grant option (`holds`), so `bits & options` is all of `bits`.
    let (held, options) = subject.holds(list, owner);
    let grantor = if subject.acts_as_owner(owner) && !owner.is_empty() {
        owner.to_owned()
    } else if subject.superuser {
        // An object no role owns: superusers grant in their own name.
        subject.name.clone()
    } else if options & bits == 0 {
        // As in PostgreSQL: a role without any privilege on the object is refused; one that
        // holds some but no grant option changes nothing (and is warned) and the statement
        // succeeds.
        return if held == 0 { Err(refused()) } else { Ok(0) };
    } else {
        best_grantor(subject, list, bits)
    };
    let applied = bits & options;
    change_items(list, change, &grantor, applied, grantees, change.cascade)?;
    Ok(applied)
}

/// Grants (or revokes) `bits`, as `grantor`, to (or from) each of `grantees` in `items`.
fn change_items(
    items: &mut Vec<AclItem>,
    change: &Change<'_>,
    grantor: &str,
    bits: u32,
    grantees: &[String],
    cascade: bool,
) -> Result<()> {
    for grantee in grantees {
        if change.grant {
            add(items, grantee, grantor, bits, change.option);
        } else {
            take(items, grantee, grantor, bits, change.option, cascade)?;
        }
    }
    Ok(())
}

/// The role among those `subject` uses whose grant options in `list` cover most of `bits`.
fn best_grantor(subject: &Subject, list: &[AclItem], bits: u32) -> String {
    list.iter()
        .filter(|item| !item.grantee.is_empty() && subject.uses(&item.grantee))
        .max_by_key(|item| (item.grant_options & bits).count_ones())
        .map_or_else(|| subject.name.clone(), |item| item.grantee.clone())
}

fn add(list: &mut Vec<AclItem>, grantee: &str, grantor: &str, bits: u32, option: bool) {
    let options = if option { bits } else { 0 };
    match list
        .iter_mut()
        .find(|item| item.grantee == grantee && item.grantor == grantor)
    {
        Some(item) => {
            item.privileges |= bits;
            item.grant_options |= options;
        }
        None => list.push(AclItem {
            grantee: grantee.to_owned(),
            grantor: grantor.to_owned(),
            privileges: bits,
            grant_options: options,
        }),
    }
}

/// Takes `bits` that `grantor` gave `grantee` (with `option_only`, only their grant options);
/// grants `grantee` made onward with those grant options go too, whole, with `cascade`, else
/// their existence refuses the REVOKE.
fn take(
    list: &mut Vec<AclItem>,
    grantee: &str,
    grantor: &str,
    bits: u32,
    option_only: bool,
    cascade: bool,
) -> Result<()> {
    let Some(item) = list
        .iter_mut()
        .find(|item| item.grantee == grantee && item.grantor == grantor)
    else {
        return Ok(());
    };
    let lost_options = item.grant_options & bits;
    if !option_only {
        item.privileges &= !bits;
    }
    item.grant_options &= !bits;
    list.retain(|item| item.privileges != 0);
    if lost_options == 0 || grantee.is_empty() {
        return Ok(());
    }
    // What the grantee may still grant through other grantors keeps its onward grants.
    let still: u32 = list
        .iter()
        .filter(|item| item.grantee == grantee)
        .fold(0, |acc, item| acc | item.grant_options);
    let orphaned = lost_options & !still;
    let dependents: Vec<String> = list
        .iter()
        .filter(|item| item.grantor == grantee && item.privileges & orphaned != 0)
        .map(|item| item.grantee.clone())
        .collect();
    if dependents.is_empty() {
        return Ok(());
    }
    if !cascade {
        return Err(Error::DependentObjects("dependent privileges exist".into()));
    }
    for dependent in dependents {
        take(list, &dependent, grantee, orphaned, false, true)?;
    }
    Ok(())
}

/// ALTER DEFAULT PRIVILEGES [FOR ROLE r] [IN SCHEMA s]: the grants tables `r` creates from
/// now on start with, in every schema (`schema` `None`) or in `schema`. As in PostgreSQL, a
/// schema's defaults only add to the global ones: revoking there takes nothing granted globally.
fn defaults(
    session: &Session,
    change: &Change<'_>,
    schema: Option<String>,
    bits: u32,
    grantees: &[String],
) -> Result<()> {
    let subject = session.subject()?;
    let owner = change
        .for_role
        .map_or_else(|| subject.name.clone(), names::fold);
    if !subject.uses(&owner) {
        return Err(Error::InsufficientPrivilege(
            "permission denied to change default privileges".into(),
        ));
    }
    session
        .store()
        .update_tenant_access(session.tenant().id, |access| {
            let at = match access
                .defaults
                .iter()
                .position(|d| d.owner == owner && d.schema == schema)
            {
                Some(at) => at,
                None => {
                    access.defaults.push(DefaultAcl {
                        owner: owner.clone(),
                        schema,
                        items: Vec::new(),
                    });
                    access.defaults.len() - 1
                }
            };
            let items = &mut access.defaults[at].items;
            change_items(items, change, &owner, bits, grantees, true)?;
            access.defaults.retain(|d| !d.items.is_empty());
            Ok::<(), Error>(())
        })?;
    Ok(())
}

/// GRANT role TO member [WITH ADMIN OPTION] and REVOKE role FROM member.
fn memberships(
    session: &Session,
    change: &Change<'_>,
    members: &[String],
    notices: &mut Vec<Notice>,
) -> Result<()> {
    let Privileges::Actions(actions) = change.privileges else {
        return Err(Error::Syntax("GRANT ALL needs ON an object".into()));
    };
    let store = session.store();
    let subject = session.subject()?;
    for action in actions {
        let Action::Role { role } = action else {
            return Err(Error::Syntax(format!("{action} needs ON an object")));
        };
        let role = names::single(role)?;
        let roles = store.roles()?;
        if !roles.iter().any(|r| r.name == role) {
            return Err(Error::UndefinedObject(format!("role \"{role}\"")));
        }
        let may_admin = subject.superuser
            || roles
                .iter()
                .find(|r| r.name == subject.name)
                .is_some_and(|me| me.member_of.iter().any(|m| m.role == role && m.admin));
        if !may_admin {
            return Err(Error::InsufficientPrivilege(format!(
                "must have admin option on role \"{role}\""
            )));
        }
        for member in members {
            if member.is_empty() {
                return Err(Error::InvalidGrant("cannot grant a role to PUBLIC".into()));
            }
            let mut record = roles
                .iter()
                .find(|r| &r.name == member)
                .cloned()
                .ok_or_else(|| Error::UndefinedObject(format!("role \"{member}\"")))?;
            if change.grant {
                if *member == role || acl::reachable(&roles, &role, false).contains(member) {
                    return Err(Error::InvalidGrant(format!(
                        "role \"{member}\" is a member of role \"{role}\""
                    )));
                }
                match record.member_of.iter_mut().find(|m| m.role == role) {
                    Some(existing) if existing.admin || !change.option => {
                        notices.push(Notice::AlreadyMember {
                            member: member.clone(),
                            role: role.clone(),
                        });
                        continue;
                    }
                    Some(existing) => existing.admin = true,
                    None => record.member_of.push(Membership {
                        role: role.clone(),
                        admin: change.option,
                        grantor: subject.name.clone(),
                    }),
                }
            } else if record.member_of.iter().any(|m| m.role == role) {
                if change.option {
                    let held = record.member_of.iter_mut().filter(|m| m.role == role);
                    held.for_each(|m| m.admin = false);
                } else {
                    record.member_of.retain(|m| m.role != role);
                }
            } else {
                notices.push(Notice::NotMember {
                    member: member.clone(),
                    role: role.clone(),
                });
                continue;
            }
            store.update_role(&record)?;
        }
    }
    if !change.grant {
        session.engine().access_changed();
    }
    Ok(())
}

/// GRANT/REVOKE CONNECT ON DATABASE: superusers only.
fn connect(
    session: &Session,
    change: &Change<'_>,
    databases: &[ObjectName],
    roles: &[String],
) -> Result<()> {
    require_superuser(session, if change.grant { "grant" } else { "revoke" })?;
    let connect_only = match change.privileges {
        Privileges::All { .. } => true,
        Privileges::Actions(actions) => actions.iter().all(|a| matches!(a, Action::Connect)),
    };
    if !connect_only {
        return Err(Error::FeatureNotSupported(
            "on a database, only CONNECT is granted".into(),
        ));
    }
    let store = session.store();
    for database in databases {
        let database = names::single(database)?;
        for role in roles {
            let res = if change.grant {
                store.grant(role, &database)
            } else {
                store.revoke(role, &database)
            };
            res.map_err(|err| match err {
                mindoodb_storage::Error::NoSuchRole(name) => {
                    Error::UndefinedObject(format!("role \"{name}\""))
                }
                mindoodb_storage::Error::NoSuchTenant(name) => Error::UndefinedDatabase(name),
                other => other.into(),
            })?;
        }
    }
    if !change.grant {
        session.engine().access_changed();
    }
    Ok(())
}
