#!/usr/bin/env python3
"""Runs every client script in tests/clients against the real `mindoodb` binary.

One server, started here on an ephemeral loopback port with a temporary data directory and
a TLS certificate signed by a test CA; each script gets a database (tenant) of its own, so
scripts never see each other's tables or keys. Scripts read where to connect from the environment:

  MDB_HOST, MDB_PORT, MDB_USER, MDB_PASSWORD, MDB_DB   plain TCP over loopback (SCRAM)
  MDB_TLS_HOST, MDB_CA                                 TLS: connect to MDB_TLS_HOST with
                                                       verify-full against the CA file

Usage: run.py --bin target/debug/mindoodb [--only NAME ...]
Exits non-zero when any script fails; prints each script's output on failure.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
USER = "mindoo_test"
PASSWORD = "correct-horse-battery-staple"
STARTUP_SECONDS = 60
SCRIPT_SECONDS = 300

# name -> command line (relative paths are under tests/clients); the runner supplies the
# interpreter for each kind, and for "rust" the binary run.sh built from that cargo project.
SCRIPTS = {
    "psql": ["python", "test_psql.py"],
    "pgbench": ["python", "test_pgbench.py"],
    "psycopg3": ["python", "test_psycopg3.py"],
    "psycopg2": ["python", "test_psycopg2.py"],
    "asyncpg": ["python", "test_asyncpg.py"],
    "sqlalchemy": ["python", "test_sqlalchemy.py"],
    "node_pg": ["node", "test_node_pg.js"],
    "pgjdbc": ["java", "TestPgjdbc.java"],
    "sqlx": ["rust", "sqlx"],
}


class Server:
    """`mindoodb serve` on 127.0.0.1:0 with TLS, until stop()."""

    def __init__(self, binary, workdir):
        self.ca, self.cert, self.key = make_certificate(workdir)
        env = dict(os.environ)
        for name in ("MINDOODB_LISTEN", "MINDOODB_DATA_DIR", "MINDOODB_DB"):
            env.pop(name, None)
        env.update(
            MINDOODB_USER=USER,
            MINDOODB_PASSWORD=PASSWORD,
            RUST_LOG="info",
        )
        self.log = []
        self.process = subprocess.Popen(
            [
                binary, "serve",
                "--listen", "127.0.0.1:0",
                "--data-dir", os.path.join(workdir, "data"),
                "--tls-cert", self.cert,
                "--tls-key", self.key,
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.port = None
        ready = threading.Event()

        def read():
            for line in self.process.stdout:
                self.log.append(line)
                match = re.search(r"listening addr=\"?127\.0\.0\.1:(\d+)", line)
                if match and self.port is None:
                    self.port = int(match.group(1))
                    ready.set()

        threading.Thread(target=read, daemon=True).start()
        if not ready.wait(STARTUP_SECONDS):
            self.stop()
            raise RuntimeError("server did not start:\n" + "".join(self.log))

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def make_certificate(workdir):
    """A test CA and a certificate it signs for localhost and 127.0.0.1.

    Two certificates, not one self-signed CA serving as its own leaf: rustls (sqlx) rejects a
    CA certificate presented as the server's (`CaUsedAsEndEntity`), as RFC 5280 asks.
    """
    ca = os.path.join(workdir, "ca.crt")
    ca_key = os.path.join(workdir, "ca.key")
    cert = os.path.join(workdir, "server.crt")
    key = os.path.join(workdir, "server.key")
    request = os.path.join(workdir, "server.csr")
    extensions = os.path.join(workdir, "server.ext")
    with open(extensions, "w") as file:
        file.write(
            "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
            "basicConstraints=critical,CA:FALSE\n"
            "extendedKeyUsage=serverAuth\n"
        )
    new_key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
    for args in (
        ["openssl", "req", "-x509", *new_key, "-days", "2", "-subj", "/CN=MindooDB test CA",
         "-addext", "basicConstraints=critical,CA:TRUE",
         "-addext", "keyUsage=critical,keyCertSign,cRLSign",
         "-keyout", ca_key, "-out", ca],
        ["openssl", "req", *new_key, "-subj", "/CN=localhost", "-keyout", key, "-out", request],
        ["openssl", "x509", "-req", "-in", request, "-CA", ca, "-CAkey", ca_key,
         "-CAcreateserial", "-days", "2", "-extfile", extensions, "-out", cert],
    ):
        subprocess.run(args, check=True, capture_output=True)
    return ca, cert, key


def create_database(server, name):
    """A tenant for one script, through psql as the first (superuser) role."""
    env = dict(os.environ, PGPASSWORD=PASSWORD)
    subprocess.run(
        [
            "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1",
            f"host=127.0.0.1 port={server.port} user={USER} dbname={USER} sslmode=disable",
            "-c", f"CREATE DATABASE {name}",
            "-c", f"GRANT CONNECT ON DATABASE {name} TO {USER}",
        ],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )


def command(kind, script, interpreters):
    path = os.path.join(HERE, script)
    if kind == "python":
        return [interpreters["python"], path]
    if kind == "node":
        return [interpreters["node"], path]
    if kind == "rust":
        return [interpreters["sqlx"]]
    return [interpreters["java"], "-cp", interpreters["jdbc"], path]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True, help="the mindoodb binary")
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--node", default="node")
    parser.add_argument("--node-path", default="", help="NODE_PATH holding the pg package")
    parser.add_argument("--java", default="java")
    parser.add_argument("--jdbc", default="/usr/share/java/postgresql.jar")
    parser.add_argument("--sqlx", default="", help="the binary built from tests/clients/sqlx")
    parser.add_argument("--only", nargs="*", default=None)
    args = parser.parse_args()
    interpreters = {
        "python": args.python,
        "node": args.node,
        "java": args.java,
        "jdbc": args.jdbc,
        "sqlx": args.sqlx,
    }
    names = args.only or list(SCRIPTS)
    unknown = [n for n in names if n not in SCRIPTS]
    if unknown:
        sys.exit(f"unknown client scripts: {unknown}")
    if "sqlx" in names and not os.path.isfile(args.sqlx):
        sys.exit(f"--sqlx {args.sqlx!r}: not a file (run.sh builds tests/clients/sqlx)")

    workdir = tempfile.mkdtemp(prefix="mindoodb-clients-")
    failures = []
    server = Server(os.path.abspath(args.bin), workdir)
    try:
        for name in names:
            kind, script = SCRIPTS[name]
            database = f"c_{name}"
            create_database(server, database)
            env = dict(
                os.environ,
                MDB_HOST="127.0.0.1",
                MDB_PORT=str(server.port),
                MDB_USER=USER,
                MDB_PASSWORD=PASSWORD,
                MDB_DB=database,
                MDB_TLS_HOST="localhost",
                MDB_CA=server.ca,
                NODE_PATH=args.node_path,
                PYTHONDONTWRITEBYTECODE="1",
            )
            started = time.monotonic()
            try:
                result = subprocess.run(
                    command(kind, script, interpreters),
                    env=env,
                    cwd=HERE,
                    capture_output=True,
                    text=True,
                    timeout=SCRIPT_SECONDS,
                )
                ok = result.returncode == 0
                output = result.stdout + result.stderr
            except subprocess.TimeoutExpired as timeout:
                ok = False
                output = f"timed out after {SCRIPT_SECONDS}s\n{timeout.stdout or ''}{timeout.stderr or ''}"
            took = time.monotonic() - started
            print(f"{'ok  ' if ok else 'FAIL'} {name} ({took:.1f}s)", flush=True)
            if not ok:
                failures.append(name)
                print(output, flush=True)
    finally:
        server.stop()
        if failures:
            print("server log:\n" + "".join(server.log[-200:]))
        shutil.rmtree(workdir, ignore_errors=True)
    if failures:
        sys.exit(f"client scripts failed: {', '.join(failures)}")


if __name__ == "__main__":
    main()
