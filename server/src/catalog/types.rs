//! The built-in types MindooDB knows, with Postgres' OIDs and attributes: the rows of
//! `pg_type`, and the names `format_type` and `::regtype` use.
//!
//! Invariants:
//! - Every OID the server can send in a RowDescription or ParameterDescription is listed
//!   (`every_wire_type_is_listed`), with the attributes Postgres 15 has for it.
//! - Attributes were read from a PostgreSQL 15 `pg_type`; they are facts about Postgres'
//!   type system, not about MindooDB's storage.

/// One row of `pg_type`.
pub(crate) struct BuiltinType {
    pub(crate) oid: u32,
    pub(crate) name: &'static str,
    pub(crate) len: i16,
    pub(crate) byval: bool,
    /// `b` base, `p` pseudo.
    pub(crate) kind: &'static str,
    pub(crate) category: &'static str,
    pub(crate) preferred: bool,
    pub(crate) elem: u32,
    pub(crate) array: u32,
    pub(crate) input: &'static str,
    pub(crate) output: &'static str,
    pub(crate) receive: &'static str,
    pub(crate) send: &'static str,
    pub(crate) align: &'static str,
    pub(crate) storage: &'static str,
    pub(crate) collation: u32,
    /// The SQL spelling `format_type` prints (`integer`, `timestamp with time zone`).
    pub(crate) sql: &'static str,
}

macro_rules! types {
    ($(($oid:expr, $name:expr, $len:expr, $byval:expr, $kind:expr, $cat:expr, $pref:expr,
        $elem:expr, $array:expr, $input:expr, $output:expr, $receive:expr, $send:expr,
        $align:expr, $storage:expr, $coll:expr, $sql:expr)),* $(,)?) => {
        &[$(BuiltinType {
            oid: $oid, name: $name, len: $len, byval: $byval, kind: $kind, category: $cat,
            preferred: $pref, elem: $elem, array: $array, input: $input, output: $output,
            receive: $receive, send: $send, align: $align, storage: $storage,
            collation: $coll, sql: $sql,
        }),*]
    };
}

/// Every type, by OID: oid, name, len, byval, kind, category, preferred, elem, array, input,
/// output, receive, send, align, storage, collation, SQL spelling.
#[rustfmt::skip]
pub(crate) const BUILTIN: &[BuiltinType] = types![
    (16, "bool", 1, true, "b", "B", true, 0, 1000, "boolin", "boolout", "boolrecv", "boolsend", "c", "p", 0, "boolean"),
    (17, "bytea", -1, false, "b", "U", false, 0, 1001, "byteain", "byteaout", "bytearecv", "byteasend", "i", "x", 0, "bytea"),
    (18, "char", 1, true, "b", "Z", false, 0, 1002, "charin", "charout", "charrecv", "charsend", "c", "p", 0, "\"char\""),
    (19, "name", 64, false, "b", "S", false, 18, 1003, "namein", "nameout", "namerecv", "namesend", "c", "p", 950, "name"),
    (20, "int8", 8, true, "b", "N", false, 0, 1016, "int8in", "int8out", "int8recv", "int8send", "d", "p", 0, "bigint"),
    (21, "int2", 2, true, "b", "N", false, 0, 1005, "int2in", "int2out", "int2recv", "int2send", "s", "p", 0, "smallint"),
    (22, "int2vector", -1, false, "b", "A", false, 21, 1006, "int2vectorin", "int2vectorout", "int2vectorrecv", "int2vectorsend", "i", "p", 0, "int2vector"),
    (23, "int4", 4, true, "b", "N", false, 0, 1007, "int4in", "int4out", "int4recv", "int4send", "i", "p", 0, "integer"),
    (24, "regproc", 4, true, "b", "N", false, 0, 1008, "regprocin", "regprocout", "regprocrecv", "regprocsend", "i", "p", 0, "regproc"),
    (25, "text", -1, false, "b", "S", true, 0, 1009, "textin", "textout", "textrecv", "textsend", "i", "x", 100, "text"),
    (26, "oid", 4, true, "b", "N", true, 0, 1028, "oidin", "oidout", "oidrecv", "oidsend", "i", "p", 0, "oid"),
    (28, "xid", 4, true, "b", "U", false, 0, 1011, "xidin", "xidout", "xidrecv", "xidsend", "i", "p", 0, "xid"),
    (30, "oidvector", -1, false, "b", "A", false, 26, 1013, "oidvectorin", "oidvectorout", "oidvectorrecv", "oidvectorsend", "i", "p", 0, "oidvector"),
    (114, "json", -1, false, "b", "U", false, 0, 199, "json_in", "json_out", "json_recv", "json_send", "i", "x", 0, "json"),
    (194, "pg_node_tree", -1, false, "b", "Z", false, 0, 0, "pg_node_tree_in", "pg_node_tree_out", "pg_node_tree_recv", "pg_node_tree_send", "i", "x", 100, "pg_node_tree"),
    (199, "_json", -1, false, "b", "A", false, 114, 0, "array_in", "array_out", "array_recv", "array_send", "i", "x", 0, "json[]"),
    (700, "float4", 4, true, "b", "N", false, 0, 1021, "float4in", "float4out", "float4recv", "float4send", "i", "p", 0, "real"),
    (701, "float8", 8, true, "b", "N", true, 0, 1022, "float8in", "float8out", "float8recv", "float8send", "d", "p", 0, "double precision"),
    (705, "unknown", -2, false, "p", "X", false, 0, 0, "unknownin", "unknownout", "unknownrecv", "unknownsend", "c", "p", 0, "unknown"),
    (1000, "_bool", -1, false, "b", "A", false, 16, 0, "array_in", "array_out", "array_recv", "array_send", "i", "x", 0, "boolean[]"),
    (1001, "_bytea", -1, false, "b", "A", false, 17, 0, "array_in", "array_out", "array_recv", "array_send", "i", "x", 0, "bytea[]"),
    (1002, "_char", -1, false, "b", "A", false, 18, 0, "array_in", "array_out", "array_recv", "array_send", "i", "x", 0, "\"char\"[]"),
    (1003, "_name", -1, false, "b", "A", false, 19, 0, "array_in", "array_out", "array_recv", "array_send", "i", "x", 950, "name[]"),
    (1005, "_int2", -1, false, "b", "A", false, 21, 0, "array_in", "array_out", "array_recv", "array_send", "i", "x", 0, "smallint[]"),
    (1007, "_int4", -1, false, "b", "A", false, 23, 0, "array_in", "array_out", "array_recv", "array_send", "i", "x", 0, "integer[]"),
    (1009, "_text", -1, false, "b", "A", false, 25, 0, "array_in", "array_out", "array_recv", "array_send", "i", "x", 100, "text[]"),
    (1015, "_varchar", -1, false, "b", "A", false, 1043, 0, "array_in", "array_out", "array_recv", "array_send", "i", "x", 100, "character varying[]"),
    (1016, "_int8", -1, false, "b", "A", false, 20, 0, "array_in", "array_out", "array_recv", "array_send", "d", "x", 0, "bigint[]"),
    (1021, "_float4", -1, false, "b", "A", false, 700, 0, "array_in", "array_out", "array_recv", "array_send", "i", "x", 0, "real[]"),
    (1022, "_float8", -1, false, "b", "A", false, 701, 0, "array_in", "array_out", "array_recv", "array_send", "d", "x", 0, "double precision[]"),
    (1028, "_oid", -1, false, "b", "A", false, 26, 0, "array_in", "array_out", "array_recv", "array_send", "i", "x", 0, "oid[]"),
    (1033, "aclitem", 12, false, "b", "U", false, 0, 1034, "aclitemin", "aclitemout", "-", "-", "i", "p", 0, "aclitem"),
    (1034, "_aclitem", -1, false, "b", "A", false, 1033, 0, "array_in", "array_out", "array_recv", "array_send", "i", "x", 0, "aclitem[]"),
    (1043, "varchar", -1, false, "b", "S", false, 0, 1015, "varcharin", "varcharout", "varcharrecv", "varcharsend", "i", "x", 100, "character varying"),
    (1082, "date", 4, true, "b", "D", false, 0, 1182, "date_in", "date_out", "date_recv", "date_send", "i", "p", 0, "date"),
    (1114, "timestamp", 8, true, "b", "D", false, 0, 1115, "timestamp_in", "timestamp_out", "timestamp_recv", "timestamp_send", "d", "p", 0, "timestamp without time zone"),
    (1115, "_timestamp", -1, false, "b", "A", false, 1114, 0, "array_in", "array_out", "array_recv", "array_send", "d", "x", 0, "timestamp without time zone[]"),
    (1182, "_date", -1, false, "b", "A", false, 1082, 0, "array_in", "array_out", "array_recv", "array_send", "i", "x", 0, "date[]"),
    (1184, "timestamptz", 8, true, "b", "D", true, 0, 1185, "timestamptz_in", "timestamptz_out", "timestamptz_recv", "timestamptz_send", "d", "p", 0, "timestamp with time zone"),
    (1185, "_timestamptz", -1, false, "b", "A", false, 1184, 0, "array_in", "array_out", "array_recv", "array_send", "d", "x", 0, "timestamp with time zone[]"),
    (1231, "_numeric", -1, false, "b", "A", false, 1700, 0, "array_in", "array_out", "array_recv", "array_send", "i", "x", 0, "numeric[]"),
    (1700, "numeric", -1, false, "b", "N", false, 0, 1231, "numeric_in", "numeric_out", "numeric_recv", "numeric_send", "i", "m", 0, "numeric"),
    (2205, "regclass", 4, true, "b", "N", false, 0, 2210, "regclassin", "regclassout", "regclassrecv", "regclasssend", "i", "p", 0, "regclass"),
    (2206, "regtype", 4, true, "b", "N", false, 0, 2211, "regtypein", "regtypeout", "regtyperecv", "regtypesend", "i", "p", 0, "regtype"),
    (2249, "record", -1, false, "p", "P", false, 0, 2287, "record_in", "record_out", "record_recv", "record_send", "d", "x", 0, "record"),
    (2276, "any", 4, true, "p", "P", false, 0, 0, "any_in", "any_out", "-", "-", "i", "p", 0, "\"any\""),
    (2277, "anyarray", -1, false, "p", "P", false, 0, 0, "anyarray_in", "anyarray_out", "anyarray_recv", "anyarray_send", "d", "x", 0, "anyarray"),
    (2278, "void", 4, true, "p", "P", false, 0, 0, "void_in", "void_out", "void_recv", "void_send", "i", "p", 0, "void"),
    (2283, "anyelement", 4, true, "p", "P", false, 0, 0, "anyelement_in", "anyelement_out", "-", "-", "i", "p", 0, "anyelement"),
    (2287, "_record", -1, false, "p", "P", false, 2249, 0, "array_in", "array_out", "array_recv", "array_send", "d", "x", 0, "record[]"),
    (3614, "tsvector", -1, false, "b", "U", false, 0, 3643, "tsvectorin", "tsvectorout", "tsvectorrecv", "tsvectorsend", "i", "x", 0, "tsvector"),
    (3615, "tsquery", -1, false, "b", "U", false, 0, 3645, "tsqueryin", "tsqueryout", "tsqueryrecv", "tsquerysend", "i", "p", 0, "tsquery"),
    (3643, "_tsvector", -1, false, "b", "A", false, 3614, 0, "array_in", "array_out", "array_recv", "array_send", "i", "x", 0, "tsvector[]"),
    (3645, "_tsquery", -1, false, "b", "A", false, 3615, 0, "array_in", "array_out", "array_recv", "array_send", "i", "x", 0, "tsquery[]"),
    (3734, "regconfig", 4, true, "b", "N", false, 0, 3735, "regconfigin", "regconfigout", "regconfigrecv", "regconfigsend", "i", "p", 0, "regconfig"),
    (3735, "_regconfig", -1, false, "b", "A", false, 3734, 0, "array_in", "array_out", "array_recv", "array_send", "i", "x", 0, "regconfig[]"),
    (3802, "jsonb", -1, false, "b", "U", false, 0, 3807, "jsonb_in", "jsonb_out", "jsonb_recv", "jsonb_send", "i", "x", 0, "jsonb"),
    (3807, "_jsonb", -1, false, "b", "A", false, 3802, 0, "array_in", "array_out", "array_recv", "array_send", "i", "x", 0, "jsonb[]"),
    (4089, "regnamespace", 4, true, "b", "N", false, 0, 4090, "regnamespacein", "regnamespaceout", "regnamespacerecv", "regnamespacesend", "i", "p", 0, "regnamespace"),
];

/// The type with this OID.
pub(crate) fn by_oid(oid: u32) -> Option<&'static BuiltinType> {
    BUILTIN.iter().find(|t| t.oid == oid)
}

/// The type a name denotes, as `::regtype` reads it: `int4`, `integer`, `pg_catalog.jsonb`,
/// `text[]`, `character varying`, case-insensitively.
pub(crate) fn by_name(name: &str) -> Option<&'static BuiltinType> {
    let name = name.trim().to_ascii_lowercase();
    let name = name.strip_prefix("pg_catalog.").unwrap_or(&name);
    let name = name.trim_matches('"');
    let (base, is_array) = match name.strip_suffix("[]") {
        Some(base) => (base.trim(), true),
        None => (name, false),
    };
    let base = match base {
        "int" | "integer" => "int4",
        "smallint" => "int2",
        "bigint" => "int8",
        "real" => "float4",
        "double precision" | "float" => "float8",
        "boolean" => "bool",
        "character varying" => "varchar",
        "decimal" => "numeric",
        "timestamp with time zone" => "timestamptz",
        "timestamp without time zone" | "timestamp" => "timestamp",
        other => other,
    };
    let scalar = BUILTIN.iter().find(|t| t.name == base || t.sql == base)?;
    if is_array {
        by_oid(scalar.array)
    } else {
        Some(scalar)
    }
}

/// `format_type(oid, typmod)`: the SQL spelling, with length or precision when the modifier
/// carries one; `None` for an unknown OID.
pub(crate) fn format(oid: u32, typmod: Option<i32>) -> Option<String> {
    let builtin = by_oid(oid)?;
    let typmod = typmod.filter(|m| *m >= 0);
    Some(match (oid, typmod) {
        (1043, Some(m)) if m >= 4 => format!("character varying({})", m - 4),
        (1700, Some(m)) if m >= 4 => {
            let m = m - 4;
            format!("numeric({},{})", (m >> 16) & 0xffff, m & 0xffff)
        }
        _ => builtin.sql.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::PgType;

    #[test]
    fn every_wire_type_is_listed() {
        for pg_type in PgType::ALL {
            assert!(by_oid(pg_type.oid()).is_some(), "{pg_type:?}");
        }
    }

    #[test]
    fn array_links_point_both_ways() {
        for builtin in BUILTIN {
            if builtin.array != 0
                && let Some(array) = by_oid(builtin.array)
            {
                assert_eq!(array.elem, builtin.oid, "{}", builtin.name);
            }
        }
    }

    #[test]
    fn names_resolve_like_regtype() {
        assert_eq!(by_name("integer").unwrap().oid, 23);
        assert_eq!(by_name("pg_catalog.jsonb").unwrap().oid, 3802);
        assert_eq!(by_name("text[]").unwrap().oid, 1009);
        assert_eq!(by_name("Character Varying").unwrap().oid, 1043);
        assert!(by_name("hstore").is_none());
        assert_eq!(format(1184, None).unwrap(), "timestamp with time zone");
        assert_eq!(format(1043, Some(14)).unwrap(), "character varying(10)");
        assert_eq!(format(18, Some(-1)).unwrap(), "\"char\"");
        assert!(format(424242, None).is_none());
    }
}
