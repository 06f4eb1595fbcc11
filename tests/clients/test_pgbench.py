"""pgbench 15 `-n -f` against MindooDB in its three query modes (issue 5): simple (variables
substituted into the text), extended (unnamed Parse with untyped text parameters) and prepared
(Parse once per connection, then Bind/Execute), with a transaction block ended by END, which
must come back as COMMIT. Keys travel as a startup option (PGOPTIONS). LISTEN/NOTIFY is not
exercised here."""

import os
import re
import subprocess
import tempfile

from common import DB, HOST, PASSWORD, PORT, USER, check

TRANSACTIONS = 15
CLIENTS = 2

SCRIPT = """\\set n random(1, 1000000)
BEGIN;
INSERT INTO bench (data) VALUES ('{"kind":"bench"}');
SELECT count(*) FROM bench WHERE data->>'kind' = 'bench';
SELECT id FROM bench WHERE id = 'k' || :n;
END;
"""


def run(args, env):
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=120)


def main():
    env = dict(os.environ, PGPASSWORD=PASSWORD)
    conninfo = ["-h", HOST, "-p", str(PORT), "-U", USER]
    setup = run(
        ["psql", "-X", "-At", "-v", "ON_ERROR_STOP=1", *conninfo, "-d", DB,
         "-c", "SELECT mindoo.create_key('default')", "-c", "CREATE TABLE bench ()"],
        env,
    )
    check(setup.returncode == 0, setup.stderr)
    token = setup.stdout.splitlines()[0].strip()
    env["PGOPTIONS"] = f"-c mindoo.keys={token}"
    with tempfile.NamedTemporaryFile("w", suffix=".sql") as script:
        script.write(SCRIPT)
        script.flush()
        for mode in ("simple", "extended", "prepared"):
            result = run(
                ["pgbench", "-n", "-f", script.name, "-M", mode, "-c", str(CLIENTS),
                 "-t", str(TRANSACTIONS), *conninfo, DB],
                env,
            )
            output = result.stdout + result.stderr
            check(result.returncode == 0, f"pgbench -M {mode} failed:\n{output}")
            processed = re.search(r"number of transactions actually processed: (\d+)/(\d+)", output)
            expected = TRANSACTIONS * CLIENTS
            check(
                processed is not None and processed.groups() == (str(expected), str(expected)),
                f"-M {mode}: {output}",
            )
            check("number of failed transactions: 0 " in output, f"-M {mode}: {output}")
    count = run(
        ["psql", "-X", "-At", *conninfo, "-d", DB, "-c", "SELECT count(*) FROM bench"], env
    )
    check(count.stdout.strip() == str(3 * TRANSACTIONS * CLIENTS), f"rows {count.stdout}")
    print("pgbench ok")


if __name__ == "__main__":
    main()
