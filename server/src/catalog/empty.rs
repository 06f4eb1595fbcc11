//! Catalogs of features MindooDB does not have, so they are always empty: descriptions
//! (no COMMENT ON), defaults, role membership, policies (row visibility comes from keys, not
//! policies), extended statistics, publications, inheritance, extensions, enums, ranges,
//! triggers, sequences, rewrite rules, materialized views.
//!
//! Invariants:
//! - Each table has Postgres 15's columns, so client queries that join them plan and return
//!   no rows, as they would on a Postgres without such objects.
//! - A feature that gains objects moves its table to a file of its own that derives rows.

use super::oids::PG_CATALOG;
use super::table::{Cell, ColType, Scan, SystemTable};
use crate::error::Result;

macro_rules! empty {
    ($const:ident, $name:literal, $oid:literal, $view:literal, [$(($col:literal, $ty:ident)),* $(,)?]) => {
        pub(crate) const $const: SystemTable = SystemTable {
            name: $name,
            oid: $oid,
            namespace: PG_CATALOG,
            view: $view,
            columns: &[$(($col, ColType::$ty)),*],
            rows: none,
        };
    };
}

empty!(
    PG_DESCRIPTION,
    "pg_description",
    2609,
    false,
    [
        ("objoid", Oid),
        ("classoid", Oid),
        ("objsubid", Int4),
        ("description", Text),
    ]
);
empty!(
    PG_SHDESCRIPTION,
    "pg_shdescription",
    2396,
    false,
    [("objoid", Oid), ("classoid", Oid), ("description", Text),]
);
empty!(
    PG_ATTRDEF,
    "pg_attrdef",
    2604,
    false,
    [
        ("oid", Oid),
        ("adrelid", Oid),
        ("adnum", Int2),
        ("adbin", NodeTree),
    ]
);
empty!(
    PG_POLICY,
    "pg_policy",
    3256,
    false,
    [
        ("oid", Oid),
        ("polname", Name),
        ("polrelid", Oid),
        ("polcmd", Char),
        ("polpermissive", Bool),
        ("polroles", OidArray),
        ("polqual", NodeTree),
        ("polwithcheck", NodeTree),
    ]
);
empty!(
    PG_STATISTIC_EXT,
    "pg_statistic_ext",
    3381,
    false,
    [
        ("oid", Oid),
        ("stxrelid", Oid),
        ("stxname", Name),
        ("stxnamespace", Oid),
        ("stxowner", Oid),
        ("stxstattarget", Int4),
        ("stxkeys", Int2Vector),
        ("stxkind", CharArray),
        ("stxexprs", NodeTree),
    ]
);
empty!(
    PG_PUBLICATION,
    "pg_publication",
    6104,
    false,
    [
        ("oid", Oid),
        ("pubname", Name),
        ("pubowner", Oid),
        ("puballtables", Bool),
        ("pubinsert", Bool),
        ("pubupdate", Bool),
        ("pubdelete", Bool),
        ("pubtruncate", Bool),
        ("pubviaroot", Bool),
    ]
);
empty!(
    PG_PUBLICATION_NAMESPACE,
    "pg_publication_namespace",
    6237,
    false,
    [("oid", Oid), ("pnpubid", Oid), ("pnnspid", Oid),]
);
empty!(
    PG_PUBLICATION_REL,
    "pg_publication_rel",
    6106,
    false,
    [
        ("oid", Oid),
        ("prpubid", Oid),
        ("prrelid", Oid),
        ("prqual", NodeTree),
        ("prattrs", Int2Vector),
    ]
);
empty!(
    PG_INHERITS,
    "pg_inherits",
    2611,
    false,
    [
        ("inhrelid", Oid),
        ("inhparent", Oid),
        ("inhseqno", Int4),
        ("inhdetachpending", Bool),
    ]
);
empty!(
    PG_EXTENSION,
    "pg_extension",
    3079,
    false,
    [
        ("oid", Oid),
        ("extname", Name),
        ("extowner", Oid),
        ("extnamespace", Oid),
        ("extrelocatable", Bool),
        ("extversion", Text),
        ("extconfig", OidArray),
        ("extcondition", TextArray),
    ]
);
empty!(
    PG_ENUM,
    "pg_enum",
    3501,
    false,
    [
        ("oid", Oid),
        ("enumtypid", Oid),
        ("enumsortorder", Float4),
        ("enumlabel", Name),
    ]
);
empty!(
    PG_RANGE,
    "pg_range",
    3541,
    false,
    [
        ("rngtypid", Oid),
        ("rngsubtype", Oid),
        ("rngmultitypid", Oid),
        ("rngcollation", Oid),
        ("rngsubopc", Oid),
        ("rngcanonical", Regproc),
        ("rngsubdiff", Regproc),
    ]
);
empty!(
    PG_TRIGGER,
    "pg_trigger",
    2620,
    false,
    [
        ("oid", Oid),
        ("tgrelid", Oid),
        ("tgparentid", Oid),
        ("tgname", Name),
        ("tgfoid", Oid),
        ("tgtype", Int2),
        ("tgenabled", Char),
        ("tgisinternal", Bool),
        ("tgconstrrelid", Oid),
        ("tgconstrindid", Oid),
        ("tgconstraint", Oid),
        ("tgdeferrable", Bool),
        ("tginitdeferred", Bool),
        ("tgnargs", Int2),
        ("tgattr", Int2Vector),
        ("tgargs", Bytea),
        ("tgqual", NodeTree),
        ("tgoldtable", Name),
        ("tgnewtable", Name),
    ]
);
empty!(
    PG_SEQUENCE,
    "pg_sequence",
    2224,
    false,
    [
        ("seqrelid", Oid),
        ("seqtypid", Oid),
        ("seqstart", Int8),
        ("seqincrement", Int8),
        ("seqmax", Int8),
        ("seqmin", Int8),
        ("seqcache", Int8),
        ("seqcycle", Bool),
    ]
);
empty!(
    PG_REWRITE,
    "pg_rewrite",
    2618,
    false,
    [
        ("oid", Oid),
        ("rulename", Name),
        ("ev_class", Oid),
        ("ev_type", Char),
        ("ev_enabled", Char),
        ("is_instead", Bool),
        ("ev_qual", NodeTree),
        ("ev_action", NodeTree),
    ]
);
empty!(
    PG_MATVIEWS,
    "pg_matviews",
    12038,
    true,
    [
        ("schemaname", Name),
        ("matviewname", Name),
        ("matviewowner", Name),
        ("tablespace", Name),
        ("hasindexes", Bool),
        ("ispopulated", Bool),
        ("definition", Text),
    ]
);

/// Every table of this file.
pub(crate) const ALL: [&SystemTable; 16] = [
    &PG_DESCRIPTION,
    &PG_SHDESCRIPTION,
    &PG_ATTRDEF,
    &PG_POLICY,
    &PG_STATISTIC_EXT,
    &PG_PUBLICATION,
    &PG_PUBLICATION_NAMESPACE,
    &PG_PUBLICATION_REL,
    &PG_INHERITS,
    &PG_EXTENSION,
    &PG_ENUM,
    &PG_RANGE,
    &PG_TRIGGER,
    &PG_SEQUENCE,
    &PG_REWRITE,
    &PG_MATVIEWS,
];

fn none(_scan: &Scan<'_>) -> Result<Vec<Vec<Cell>>> {
    Ok(Vec::new())
}
