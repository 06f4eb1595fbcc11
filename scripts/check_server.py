"""A fresh `mindoodb serve` for the psycopg checks (scripts/*_check.py): started on a free
loopback port with a temporary data directory and the first role `alice`, handed to a check as
a libpq conninfo, stopped with SIGTERM afterwards.
"""

import os
import re
import subprocess
import sys
import tempfile
from typing import Callable

PASSWORD = "correct horse battery staple"


def run(name: str, check: Callable[[str], None]) -> int:
    """Runs `check(conninfo)` against the binary named by argv[1]; returns the exit status."""
    binary = sys.argv[1]
    with tempfile.TemporaryDirectory() as data_dir:
        env = dict(os.environ, MINDOODB_USER="alice", MINDOODB_PASSWORD=PASSWORD, RUST_LOG="info")
        server = subprocess.Popen(
            [binary, "serve", "--listen", "127.0.0.1:0", "--data-dir", data_dir],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            port = listening_port(name, server)
            check(f"host=127.0.0.1 port={port} user=alice password='{PASSWORD}' dbname=alice sslmode=disable")
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"{name}: 1 passed, 0 failed")
    return 0


def listening_port(name: str, server: subprocess.Popen) -> int:
    for line in server.stdout:
        found = re.search(r"listening addr=\S*:(\d+)", line)
        if found:
            return int(found.group(1))
    raise SystemExit(f"{name}: the server exited before it listened")
