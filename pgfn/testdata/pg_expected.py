#!/usr/bin/env python3
"""Runs pgfn's test cases through a real PostgreSQL 15 and writes what it answers.

Usage: pg_expected.py PSQL_CONNINFO AREA [AREA ...]
  Reads testdata/AREA.cases (one case a line: function TAB arg TAB arg ...; `\\N` is NULL,
  `\\\\ \\n \\t \\r` are escapes, `#` starts a comment line), renders each case with the
  function's SQL template below, runs them all in one psql session (each inside a PL/pgSQL
  exception block, so one error never stops the others) and writes testdata/AREA.expected:
  the case's fields, a `=>` field, then `ok` and one field per result row (`\\N` for NULL), or
  `err`, the condition name (errcodes.txt), the message, the detail and the hint (`\\N` if
  none).

The expected files are committed; the Rust tests read only them. Re-run this after adding
cases, against PostgreSQL 15 (Debian's postgresql-15) with an initdb'd UTF8 C.UTF-8 cluster.
"""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from pg_templates import TEMPLATES  # noqa: E402

ERRCODES = os.environ.get("PG_ERRCODES", "/usr/share/postgresql/15/errcodes.txt")


def load_conditions():
    names = {}
    with open(ERRCODES) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 4 and len(parts[0]) == 5 and parts[0] not in names:
                names[parts[0]] = parts[3]
    return names


def unescape(field):
    if field == "\\N":
        return None
    out, i = [], 0
    while i < len(field):
        c = field[i]
        if c == "\\" and i + 1 < len(field):
            out.append({"n": "\n", "t": "\t", "r": "\r", "\\": "\\"}.get(field[i + 1], field[i + 1]))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def literal(value):
    if value is None:
        return "NULL"
    return "'" + value.replace("'", "''") + "'"


def typed(value):
    """A typed argument `type::value` (or `rec::name=type::value|...`) as SQL."""
    if value is None:
        return "NULL"
    kind, _, rest = value.partition("::")
    if kind == "rec":
        cols = []
        for col in rest.split("|"):
            name, _, val = col.partition("=")
            cols.append("%s AS %s" % (typed(val), name))
        return "(SELECT r FROM (SELECT %s) r)" % ", ".join(cols)
    if kind == "null":
        return "NULL::" + rest
    return "%s::%s" % (literal(rest), kind)


def render(fields):
    """The case's SQL: `$n` is argument n as a literal, `%n` as raw SQL text, `@n` as a typed argument, `@*` all
    arguments typed, `@VALUES` all arguments as the rows `(o, x)` of a VALUES list, `@SUBSn`
    arguments n.. as subscripts; `;;` separates statements."""
    fn, args = fields[0], [unescape(a) for a in fields[1:]]
    sql = TEMPLATES[fn]
    if "@SUBS" in sql:
        start = int(sql.split("@SUBS", 1)[1][0])
        subs = "".join("[%s]" % typed(a) for a in args[start - 1:])
        sql = sql.replace("@SUBS%d" % start, subs)
    sql = sql.replace("@VALUES", "(VALUES %s) v(o, x)" % ", ".join("(%d, %s)" % (i, typed(a)) for i, a in enumerate(args)))
    sql = sql.replace("@*", ", ".join(typed(a) for a in args))
    for idx in range(len(args), 0, -1):
        sql = sql.replace("%%%d" % idx, args[idx - 1] or "")
        sql = sql.replace("$%d" % idx, literal(args[idx - 1]))
        sql = sql.replace("@%d" % idx, typed(args[idx - 1]))
    return sql


PRELUDE = r"""
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE TEMP TABLE pgfn_cases (id int, q text);
CREATE TEMP TABLE pgfn_assign (j jsonb);
INSERT INTO pgfn_assign VALUES (NULL);
CREATE TYPE pg_temp.pgfn_rec AS (x int, y text);
CREATE TYPE pg_temp.pgfn_all AS (a int, b text, c jsonb, d json, e int[], f numeric, g bool, h float8, r pg_temp.pgfn_rec);
CREATE FUNCTION pg_temp.esc(v text) RETURNS text LANGUAGE sql IMMUTABLE AS
$f$ SELECT replace(replace(replace(replace(v, E'\\', E'\\\\'), E'\n', E'\\n'), E'\t', E'\\t'), E'\r', E'\\r') $f$;
CREATE FUNCTION pg_temp.run(q text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE v text; res text := 'ok'; st text; msg text; det text; hint text; parts text[];
BEGIN
  parts := string_to_array(q, ';;');
  FOR i IN 1 .. coalesce(array_length(parts, 1), 1) - 1 LOOP
    EXECUTE parts[i];
  END LOOP;
  FOR v IN EXECUTE parts[array_length(parts, 1)] LOOP
    res := res || E'\t' || coalesce(pg_temp.esc(v), E'\\N');
  END LOOP;
  RETURN res;
EXCEPTION WHEN others THEN
  GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL, hint = PG_EXCEPTION_HINT;
  RETURN 'err' || E'\t' || st || E'\t' || pg_temp.esc(msg) || E'\t' || coalesce(nullif(pg_temp.esc(det), ''), E'\\N')
    || E'\t' || coalesce(nullif(pg_temp.esc(hint), ''), E'\\N');
END $f$;
COPY pgfn_cases FROM stdin;
"""


def copy_escape(text):
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")


def run_area(conninfo, area, conditions):
    cases = []
    with open(os.path.join(HERE, area + ".cases"), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cases.append(line.split("\t"))
    script = [PRELUDE]
    for idx, fields in enumerate(cases):
        script.append("%d\t%s\n" % (idx, copy_escape(render(fields))))
    script.append("\\.\n")
    script.append("SELECT id, pg_temp.run(q) FROM pgfn_cases ORDER BY id;\n")
    proc = subprocess.run(
        ["psql", conninfo, "-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1"],
        input="".join(script), capture_output=True, text=True, encoding="utf-8")
    if proc.returncode != 0:
        sys.exit("psql failed: " + proc.stderr)
    results = {}
    for line in proc.stdout.split("\n"):
        if not line:
            continue
        idx, res = line.split("\t", 1)
        results[int(idx)] = res
    with open(os.path.join(HERE, area + ".expected"), "w", encoding="utf-8") as out:
        out.write("# Generated by pg_expected.py from %s.cases against %s; do not edit.\n"
                  % (area, server_version(conninfo)))
        for idx, fields in enumerate(cases):
            res = results[idx].split("\t")
            if res[0] == "err":
                res[1] = conditions.get(res[1], res[1])
            out.write("\t".join(fields + ["=>"] + res) + "\n")
    print("%s: %d cases" % (area, len(cases)))


def server_version(conninfo):
    proc = subprocess.run(["psql", conninfo, "-X", "-A", "-t", "-c", "SHOW server_version"],
                          capture_output=True, text=True)
    return "PostgreSQL " + proc.stdout.strip()


def main():
    conninfo, areas = sys.argv[1], sys.argv[2:]
    conditions = load_conditions()
    for area in areas:
        run_area(conninfo, area, conditions)


if __name__ == "__main__":
    main()
