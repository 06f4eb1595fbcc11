"""What the Python client scripts share: where the server is (from run.py's environment)
and a check that fails the script with a message."""

import os

HOST = os.environ["MDB_HOST"]
PORT = int(os.environ["MDB_PORT"])
USER = os.environ["MDB_USER"]
PASSWORD = os.environ["MDB_PASSWORD"]
DB = os.environ["MDB_DB"]
TLS_HOST = os.environ["MDB_TLS_HOST"]
CA = os.environ["MDB_CA"]


def dsn(**extra):
    """A libpq connection string over loopback TCP (no TLS), plus `extra` keywords."""
    parts = {
        "host": HOST,
        "port": PORT,
        "user": USER,
        "password": PASSWORD,
        "dbname": DB,
        "sslmode": "disable",
    }
    parts.update(extra)
    return " ".join(f"{k}={v}" for k, v in parts.items())


def tls_dsn(**extra):
    """The same over TLS, verifying the server's certificate."""
    return dsn(host=TLS_HOST, sslmode="verify-full", sslrootcert=CA, **extra)


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def expect_error(sqlstate, fn):
    """Runs `fn`, which must raise a driver error carrying `sqlstate`; returns the error."""
    try:
        fn()
    except Exception as err:  # each driver has its own error classes
        code = getattr(err, "sqlstate", None) or getattr(err, "pgcode", None)
        check(code == sqlstate, f"expected SQLSTATE {sqlstate}, got {code}: {err!r}")
        return err
    raise AssertionError(f"expected an error with SQLSTATE {sqlstate}")
