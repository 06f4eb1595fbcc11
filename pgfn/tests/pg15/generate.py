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
`err:CONDITION:MESSAGE` with `<TAB>detail:` and `<TAB>hint:` when PostgreSQL gives them
(newlines and backslashes escaped). KIND's SQL template is in KINDS
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
    "ts_pl_i": "SELECT ($1::timestamp + $2::interval)::text",
    "ts_mi_i": "SELECT ($1::timestamp - $2::interval)::text",
    "tstz_pl_i": "SELECT ($1::timestamptz + $2::interval)::text",
    "tstz_mi_i": "SELECT ($1::timestamptz - $2::interval)::text",
    "ts_mi_ts": "SELECT ($1::timestamp - $2::timestamp)::text",
    "tstz_mi_tstz": "SELECT ($1::timestamptz - $2::timestamptz)::text",
    "date_pli": "SELECT ($1::date + $2::int4)::text",
    "date_mii": "SELECT ($1::date - $2::int4)::text",
    "date_mi": "SELECT ($1::date - $2::date)::text",
    "date_pl_i": "SELECT ($1::date + $2::interval)::text",
    "date_mi_i": "SELECT ($1::date - $2::interval)::text",
    "date_pl_time": "SELECT ($1::date + $2::time)::text",
    "time_pl_i": "SELECT ($1::time + $2::interval)::text",
    "time_mi_i": "SELECT ($1::time - $2::interval)::text",
    "time_mi_time": "SELECT ($1::time - $2::time)::text",
    "timetz_pl_i": "SELECT ($1::timetz + $2::interval)::text",
    "i_pl": "SELECT ($1::interval + $2::interval)::text",
    "i_mi": "SELECT ($1::interval - $2::interval)::text",
    "i_neg": "SELECT (- $1::interval)::text",
    "i_mul": "SELECT ($1::interval * $2::float8)::text",
    "i_div": "SELECT ($1::interval / $2::float8)::text",
    "i_cmp": "SELECT ($1::interval < $2::interval)::text || ' ' || ($1::interval = $2::interval)::text",
    "justify_days": "SELECT justify_days($1::interval)::text",
    "justify_hours": "SELECT justify_hours($1::interval)::text",
    "justify_interval": "SELECT justify_interval($1::interval)::text",
    "trunc_ts": "SELECT date_trunc($1, $2::timestamp)::text",
    "trunc_tstz": "SELECT date_trunc($1, $2::timestamptz)::text",
    "trunc_tstz_zone": "SELECT date_trunc($1, $2::timestamptz, $3)::text",
    "trunc_i": "SELECT date_trunc($1, $2::interval)::text",
    "extract_ts": "SELECT pg_catalog.extract($1, $2::timestamp)::text",
    "extract_tstz": "SELECT pg_catalog.extract($1, $2::timestamptz)::text",
    "extract_date": "SELECT pg_catalog.extract($1, $2::date)::text",
    "extract_time": "SELECT pg_catalog.extract($1, $2::time)::text",
    "extract_timetz": "SELECT pg_catalog.extract($1, $2::timetz)::text",
    "extract_i": "SELECT pg_catalog.extract($1, $2::interval)::text",
    "part_ts": "SELECT date_part($1, $2::timestamp)::text",
    "part_tstz": "SELECT date_part($1, $2::timestamptz)::text",
    "part_time": "SELECT date_part($1, $2::time)::text",
    "part_timetz": "SELECT date_part($1, $2::timetz)::text",
    "part_i": "SELECT date_part($1, $2::interval)::text",
    "age_ts": "SELECT age($1::timestamp, $2::timestamp)::text",
    "age_tstz": "SELECT age($1::timestamptz, $2::timestamptz)::text",
    "bin_ts": "SELECT date_bin($1::interval, $2::timestamp, $3::timestamp)::text",
    "bin_tstz": "SELECT date_bin($1::interval, $2::timestamptz, $3::timestamptz)::text",
    "make_date": "SELECT make_date($1::int4, $2::int4, $3::int4)::text",
    "make_time": "SELECT make_time($1::int4, $2::int4, $3::float8)::text",
    "make_ts": "SELECT make_timestamp($1::int4, $2::int4, $3::int4, $4::int4, $5::int4, $6::float8)::text",
    "make_tstz": "SELECT make_timestamptz($1::int4, $2::int4, $3::int4, $4::int4, $5::int4, $6::float8)::text",
    "make_tstz_at": "SELECT make_timestamptz($1::int4, $2::int4, $3::int4, $4::int4, $5::int4, $6::float8, $7)::text",
    "make_interval": "SELECT make_interval($1::int4, $2::int4, $3::int4, $4::int4, $5::int4, $6::int4, $7::float8)::text",
    "to_timestamp_f": "SELECT to_timestamp($1::float8)::text",
    "ts_at": "SELECT ($1::timestamp AT TIME ZONE $2)::text",
    "tstz_at": "SELECT ($1::timestamptz AT TIME ZONE $2)::text",
    "ts_at_i": "SELECT ($1::timestamp AT TIME ZONE $2::interval)::text",
    "tstz_at_i": "SELECT ($1::timestamptz AT TIME ZONE $2::interval)::text",
    "ts_to_tstz": "SELECT $1::timestamp::timestamptz::text",
    "tstz_to_ts": "SELECT $1::timestamptz::timestamp::text",
    "tstz_to_date": "SELECT $1::timestamptz::date::text",
    "ts_to_date": "SELECT $1::timestamp::date::text",
    "date_to_ts": "SELECT $1::date::timestamp::text",
    "date_to_tstz": "SELECT $1::date::timestamptz::text",
    "tstz_to_time": "SELECT $1::timestamptz::time::text",
    "tstz_to_timetz": "SELECT $1::timestamptz::timetz::text",
    "i_to_time": "SELECT $1::interval::time::text",
    "isfinite_ts": "SELECT isfinite($1::timestamp)::text",
    "send_date": "SELECT date_send($1::date)::text",
    "send_time": "SELECT time_send($1::time)::text",
    "send_timetz": "SELECT timetz_send($1::timetz)::text",
    "send_ts": "SELECT timestamp_send($1::timestamp)::text",
    "send_tstz": "SELECT timestamptz_send($1::timestamptz)::text",
    "send_i": "SELECT interval_send($1::interval)::text",
    "to_char_ts": "SELECT to_char($1::timestamp, $2)",
    "to_char_tstz": "SELECT to_char($1::timestamptz, $2)",
    "to_char_i": "SELECT to_char($1::interval, $2)",
    "to_date": "SELECT to_date($1, $2)::text",
    "to_timestamp": "SELECT to_timestamp($1, $2)::text",
    "to_char_num": "SELECT to_char($1::numeric, $2)",
    "to_char_int": "SELECT to_char($1::int8, $2)",
    "to_char_int4": "SELECT to_char($1::int4, $2)",
    "to_char_float": "SELECT to_char($1::float8, $2)",
    "to_char_float4": "SELECT to_char($1::float4, $2)",
    "to_number": "SELECT to_number($1, $2)::text",
    "set_tz": "SELECT set_config('timezone', $1, true) || ' ' || '2024-07-01 12:00:00.5+00'::timestamptz::text",
    "ts_round": "SELECT $1::timestamp(3)::text || ' ' || $1::timestamp(0)::text",
    "i_round": "SELECT $1::interval(2)::text",
    "i_fields": "SELECT CAST($1 AS interval #2)::text",
    "cmp_ts_tstz": "SELECT ($1::timestamp < $2::timestamptz)::text || ' ' || ($1::timestamp = $2::timestamptz)::text",
    "cmp_date_ts": "SELECT ($1::date < $2::timestamp)::text || ' ' || ($1::date = $2::timestamp)::text",
    "cmp_date_tstz": "SELECT ($1::date < $2::timestamptz)::text || ' ' || ($1::date = $2::timestamptz)::text",
    "overlaps": "SELECT (NULLIF($1, 'null')::timestamp, NULLIF($2, 'null')::timestamp) OVERLAPS (NULLIF($3, 'null')::timestamp, NULLIF($4, 'null')::timestamp)",
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
DECLARE r text; h text; d text;
BEGIN
  PERFORM set_config('timezone', z, true);
  EXECUTE q INTO r;
  IF r IS NULL THEN RETURN 'null'; END IF;
  RETURN 'ok:' || replace(replace(r, E'\\', E'\\\\'), E'\n', E'\\n');
EXCEPTION WHEN others THEN
  GET STACKED DIAGNOSTICS h = PG_EXCEPTION_HINT, d = PG_EXCEPTION_DETAIL;
  RETURN 'err:' || SQLSTATE || ':' || replace(SQLERRM, E'\n', E'\\n')
    || CASE WHEN d <> '' THEN E'\tdetail:' || d ELSE '' END
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
            # `#N` inserts an argument as SQL text (only type modifiers from a fixed list).
            sql = sql.replace(f"#{i}", args[i - 1])
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
