"""psql 15 against MindooDB (issue 5): \\conninfo (plain and TLS), \\l \\dt \\d \\d docs \\dn \\du
\\dv, \\x, \\timing, :'v' variables, \\copy both ways, transactions, and error display with the
SQLSTATE. Output is compared with what psql prints against PostgreSQL. LISTEN/NOTIFY is not
exercised here."""

import os
import re
import subprocess
import tempfile

from common import CA, DB, HOST, PASSWORD, PORT, TLS_HOST, USER, check


def psql(script, conninfo=None, options=()):
    conninfo = conninfo or f"host={HOST} port={PORT} user={USER} dbname={DB} sslmode=disable"
    result = subprocess.run(
        ["psql", "-X", "-v", "ON_ERROR_STOP=0", *options, conninfo],
        input=script,
        env=dict(os.environ, PGPASSWORD=PASSWORD),
        capture_output=True,
        text=True,
        timeout=120,
    )
    check(result.returncode == 0, f"psql exited {result.returncode}: {result.stderr}")
    return result.stdout, result.stderr


def contains(text, *needles):
    for needle in needles:
        check(needle in text, f"missing {needle!r} in:\n{text}")


def main():
    token, _ = psql("SELECT mindoo.create_key('default');\n", options=["-At"])
    token = token.strip()
    check(token.startswith("mdbk1."), "a key token")
    with tempfile.TemporaryDirectory() as tmp:
        csv_in = os.path.join(tmp, "in.csv")
        with open(csv_in, "w") as f:
            f.write('c1,"{""name"":""Copied, Inc"",""n"":3}"\n')
        out, err = psql(
            f"""
\\set key '{token}'
SET mindoo.keys = :'key';
\\conninfo
CREATE TABLE docs ();
\\set name 'ACME'
INSERT INTO docs (id, data) VALUES ('acme', '{{"name":"ACME","n":1}}'), ('globex', '{{"name":"Globex","n":2}}');
SELECT id FROM docs WHERE data->>'name' = :'name';
\\copy docs from '{csv_in}' with (format csv)
\\copy docs to stdout
\\copy (SELECT id, data->>'name' AS name FROM docs ORDER BY id) to stdout with (format csv, header)
\\l
\\dt
\\d
\\d docs
\\dn
\\du
\\dv
CREATE VIEW names AS SELECT id, data->>'name' AS name FROM docs;
\\dv
BEGIN;
INSERT INTO docs (id, data) VALUES ('gone', '{{}}');
ROLLBACK;
BEGIN;
INSERT INTO docs (id, data) VALUES ('kept', '{{}}');
COMMIT;
SELECT count(*) FROM docs;
SELECT * FROM nosuch;
\\set VERBOSITY verbose
SELECT * FROM nosuch;
\\set VERBOSITY default
SELECT 'still working' AS after_error;
\\x
SELECT id, data->>'n' AS n FROM docs WHERE id = 'acme';
\\x
\\timing
SELECT 1;
\\timing
"""
        )
    contains(
        out,
        f'You are connected to database "{DB}" as user "{USER}" on host "{HOST}" at port "{PORT}".',
        "CREATE TABLE",
        "INSERT 0 2",
        " acme\n(1 row)",
        "COPY 1",
        # jsonb as PostgreSQL prints it: shorter keys first, ", " and ": ".
        'acme\t{"n": 1, "name": "ACME"}',
        'c1\t{"n": 3, "name": "Copied, Inc"}',
        'id,name\nacme,ACME\nc1,"Copied, Inc"\nglobex,Globex',
        "List of databases",
        f" {DB} ",
        f" public | docs | table | {USER}",
        'Table "public.docs"',
        " data       | jsonb                    |           |          | ",
        " created_at | timestamp with time zone |           |          | ",
        '"docs_pkey" PRIMARY KEY, btree (id)',
        "List of schemas",
        " mindoo | pg_database_owner",
        " public | pg_database_owner",
        "CREATE VIEW",
        f" public | names | view | {USER}",
        f" {USER} | Superuser, Create role, Create DB | {{}}",
        "ROLLBACK",
        "COMMIT",
        "     4\n(1 row)",
        "still working",
        "Expanded display is on.",
        "-[ RECORD 1 ]",
        "n  | 1",
        "Timing is on.",
        "Time: ",
    )
    check("gone" not in out, "the rolled-back row is not there")
    contains(
        err,
        "Did not find any relations.",
        'ERROR:  relation "nosuch" does not exist',
        'ERROR:  42P01: relation "nosuch" does not exist',
    )
    check(token not in out and token not in err, "psql never shows the key")
    check(re.search(r"WARNING", err) is None, f"no warnings: {err}")

    # TLS, verified; \conninfo reports it.
    out, _ = psql("\\conninfo\n", conninfo=(
        f"host={TLS_HOST} port={PORT} user={USER} dbname={DB} sslmode=verify-full sslrootcert={CA}"
    ))
    contains(out, "SSL connection (protocol: TLSv1.3")
    print("psql ok")


if __name__ == "__main__":
    main()
