#!/usr/bin/env python3
"""Regenerates the expected answers of the pg15 differential cases from a real PostgreSQL 15.

Usage: python3 pgfn/tests/pg15/generate.py [PSQL_ARGS...]
  e.g. python3 pgfn/tests/pg15/generate.py -h /tmp/pgdt -p 54329 -U postgres
With no arguments it starts a throwaway cluster (initdb in a temp dir, Unix socket only) with
Debian's postgresql-15 (`bash scripts/deps.sh postgresql-15`), as the `postgres` user when
run as root, and stops it afterwards.

Each `NAME.cases` file holds one case a line: `KIND<TAB>ARG<TAB>ARG...`; a line
`@zone NAME` sets the session TimeZone for the lines after it (default UTC); `#` lines are
comments. The answers go to `NAME.expected`, one line per case: `ok:TEXT`, `null` or
`err:CONDITION:MESSAGE` (newlines and backslashes escaped). KIND's SQL template is in KINDS
below; the Rust test (pgfn/tests/pg15.rs) maps the same KIND to the library call.
"""
import glob
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))

# KIND -> SQL with $1, $2, ... replaced by quoted literals of the case's arguments.
KINDS = {
    "date": "SELECT $1::date::text",
    "time": "SELECT $1::time::text",
    "timetz": "SELECT $1::timetz::text",
    "timestamp": "SELECT $1::timestamp::text",
    "timestamptz": "SELECT $1::timestamptz::text",
    "interval": "SELECT $1::interval::text",
}

# SQLSTATE -> PostgreSQL condition name (errcodes.txt), for the codes these functions raise.
CONDITIONS = {
    "22007": "invalid_datetime_format",
    "22008": "datetime_field_overflow",
    "22009": "invalid_time_zone_displacement_value",
    "22015": "interval_field_overflow",
    "22023": "invalid_parameter_value",
    "22003": "numeric_value_out_of_range",
    "22012": "division_by_zero",
    "22P02": "invalid_text_representation",
    "0A000": "feature_not_supported",
    "42601": "syntax_error",
    "22004": "null_value_not_allowed",
    "2201G": "invalid_argument_for_width_bucket_function",
    "22000": "data_exception",
    "42883": "undefined_function",
    "22001": "string_data_right_truncation",
}

PRELUDE = r"""
CREATE FUNCTION pg_temp.t(q text, z text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE r text; h text;
BEGIN
  PERFORM set_config('timezone', z, true);
  EXECUTE q INTO r;
  IF r IS NULL THEN RETURN 'null'; END IF;
  RETURN 'ok:' || replace(replace(r, E'\\', E'\\\\'), E'\n', E'\\n');
EXCEPTION WHEN others THEN
  GET STACKED DIAGNOSTICS h = PG_EXCEPTION_HINT;
  RETURN 'err:' || SQLSTATE || ':' || replace(SQLERRM, E'\n', E'\\n')
    || CASE WHEN h <> '' THEN E'\thint:' || h ELSE '' END;
END $f$;
"""


def quote(s):
    return "'" + s.replace("'", "''") + "'"


def cases(path):
    zone = "UTC"
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        if line.startswith("@zone "):
            zone = line[6:]
            continue
        kind, *args = line.split("\t")
        sql = KINDS[kind]
        for i in range(len(args), 0, -1):
            sql = sql.replace(f"${i}", quote(args[i - 1]))
        yield sql, zone


def run(psql_args, path):
    script = [PRELUDE]
    for sql, zone in cases(path):
        script.append(f"SELECT pg_temp.t({quote(sql)}, {quote(zone)});")
    out = subprocess.run(
        ["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", *psql_args],
        input="\n".join(script), capture_output=True, text=True, check=True,
    ).stdout
    lines = []
    for line in out.split("\n"):
        if line.startswith("err:"):
            _, code, rest = line.split(":", 2)
            line = f"err:{CONDITIONS.get(code, code)}:{rest}"
        if line:
            lines.append(line)
    return lines


def main():
    psql_args = sys.argv[1:]
    tmp = None
    if not psql_args:
        tmp = tempfile.mkdtemp(prefix="pgfn-pg15-")
        os.chmod(tmp, 0o777)
        bindir = "/usr/lib/postgresql/15/bin"
        su = ["su", "postgres", "-c"] if os.geteuid() == 0 else ["sh", "-c"]
        subprocess.run(su + [f"{bindir}/initdb -D {tmp}/data -A trust -U postgres >/dev/null"], check=True)
        subprocess.run(su + [f"{bindir}/pg_ctl -D {tmp}/data -o \"-p 54399 -k {tmp} -c listen_addresses=''\" -l {tmp}/log -w start >/dev/null"], check=True)
        psql_args = ["-h", tmp, "-p", "54399", "-U", "postgres", "-d", "postgres"]
    try:
        for path in sorted(glob.glob(os.path.join(HERE, "*.cases"))):
            lines = run(psql_args, path)
            n = sum(1 for _ in cases(path))
            if len(lines) != n:
                sys.exit(f"{path}: {n} cases but {len(lines)} answers")
            with open(path[: -len(".cases")] + ".expected", "w", encoding="utf-8") as f:
                f.write("\n".join(lines) + "\n")
            print(f"{os.path.basename(path)}: {n} cases")
    finally:
        if tmp:
            su = ["su", "postgres", "-c"] if os.geteuid() == 0 else ["sh", "-c"]
            subprocess.run(su + [f"/usr/lib/postgresql/15/bin/pg_ctl -D {tmp}/data -m immediate stop >/dev/null"])


if __name__ == "__main__":
    main()
