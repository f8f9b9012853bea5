"""The databases the benchmarks run against, each made fresh for the run.

SQLite: a new file in a temporary directory (never the project's db.sqlite3).

PostgreSQL: BENCH_DATABASE_URL if set, else the local server over its Unix
socket. The database named in the URL is DROPPED and created again so each run
starts empty; as a guard it must have "bench" in its name.
"""

import os
from dataclasses import dataclass

import dj_database_url

DEFAULT_POSTGRES_URL = "postgres://root@%2Fvar%2Frun%2Fpostgresql/partnership_register_bench"


@dataclass
class Target:
    label: str  # "SQLite" or "PostgreSQL"
    url: str | None  # the DATABASE_URL for the child, or None when skipped
    skipped: str | None = None  # why it was skipped


def sqlite(directory: str) -> Target:
    return Target("SQLite", f"sqlite:///{os.path.join(directory, 'bench.sqlite3')}")


def postgres() -> Target:
    """A freshly created PostgreSQL database, or a Target saying why there isn't one."""
    url = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_POSTGRES_URL
    source = "BENCH_DATABASE_URL" if os.environ.get("BENCH_DATABASE_URL") else "default URL"
    try:
        config = dj_database_url.parse(url)
    except Exception as exc:  # noqa: BLE001 - any parse failure is reported, not raised
        return Target("PostgreSQL", None, f"{source} could not be parsed: {exc}")
    if "postgresql" not in config["ENGINE"]:
        return Target("PostgreSQL", None, f"{source} is not a PostgreSQL URL")
    name = config["NAME"]
    if "bench" not in name:
        return Target("PostgreSQL", None, f"refusing to drop database {name!r}: its name must contain 'bench'")
    try:
        _recreate(config)
    except Exception as exc:  # noqa: BLE001 - unreachable server, no rights, missing driver...
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return Target("PostgreSQL", None, f"not reachable via {source} ({reason})")
    return Target("PostgreSQL", url)


def _recreate(config: dict) -> None:
    """DROP and CREATE the database, connected to the server's `postgres` database."""
    import psycopg2
    from psycopg2 import sql

    params = {
        "dbname": "postgres",
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "connect_timeout": 5,
    }
    conn = psycopg2.connect(**{k: v for k, v in params.items() if v is not None})
    try:
        conn.autocommit = True
        with conn.cursor() as cursor:
            name = sql.Identifier(config["NAME"])
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(name))
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(name))
    finally:
        conn.close()
