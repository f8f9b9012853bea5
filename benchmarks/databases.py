"""The databases the benchmarks run against, each made fresh for the run.

SQLite: a new file in a temporary directory (never the project's db.sqlite3).

PostgreSQL: BENCH_DATABASE_URL if set, else the local server over its Unix
socket. The database name in the URL is a prefix: each run creates a database of
its own, `<name>_<pid>_<timestamp>`, so two runs never share one, and drops it at
the end (drop()). As a guard the name must have "bench" in it.

BENCH_NATIONAL_DATABASE_URL names a database already loaded for the national-scale
benchmark (`load_demo --councils 317 --partnerships 100000`, about five minutes):
it is used as it is and never dropped. Only when set; by default every run loads
a fresh one.
"""

import os
import time
from dataclasses import dataclass

import dj_database_url

DEFAULT_POSTGRES_URL = "postgres://root@%2Fvar%2Frun%2Fpostgresql/partnership_register_bench"


@dataclass
class Target:
    label: str  # "SQLite" or "PostgreSQL"
    url: str | None  # the DATABASE_URL for the child, or None when skipped
    skipped: str | None = None  # why it was skipped
    prepared: bool = False  # a database loaded before the run: used as it is, never dropped


def unique_name(prefix: str, pid: int | None = None, now: float | None = None) -> str:
    """A database name for one run: the prefix, this process and the time, within PostgreSQL's 63 bytes."""
    pid = os.getpid() if pid is None else pid
    stamp = time.strftime("%Y%m%d%H%M%S", time.gmtime(time.time() if now is None else now))
    suffix = f"_{pid}_{stamp}"
    return prefix[: 63 - len(suffix)] + suffix


def sqlite(directory: str) -> Target:
    return Target("SQLite", f"sqlite:///{os.path.join(directory, 'bench.sqlite3')}")


def postgres(label: str = "PostgreSQL") -> Target:
    """A freshly created PostgreSQL database of its own name, or a Target saying why there isn't one."""
    url = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_POSTGRES_URL
    source = "BENCH_DATABASE_URL" if os.environ.get("BENCH_DATABASE_URL") else "default URL"
    try:
        config = dj_database_url.parse(url)
    except Exception as exc:  # noqa: BLE001 - any parse failure is reported, not raised
        return Target(label, None, f"{source} could not be parsed: {exc}")
    if "postgresql" not in config["ENGINE"]:
        return Target(label, None, f"{source} is not a PostgreSQL URL")
    if "bench" not in config["NAME"]:
        return Target(label, None, f"refusing to use database {config['NAME']!r}: its name must contain 'bench'")
    name = unique_name(config["NAME"])
    try:
        _recreate({**config, "NAME": name})
    except Exception as exc:  # noqa: BLE001 - unreachable server, no rights, missing driver...
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return Target(label, None, f"not reachable via {source} ({reason})")
    return Target(label, with_name(url, name))


def prepared_postgres(label: str) -> Target | None:
    """The prepared database BENCH_NATIONAL_DATABASE_URL names, or None when it is not set."""
    url = os.environ.get("BENCH_NATIONAL_DATABASE_URL")
    if not url:
        return None
    if "bench" not in dj_database_url.parse(url)["NAME"]:
        return Target(label, None, "BENCH_NATIONAL_DATABASE_URL must name a database with 'bench' in its name")
    return Target(label, url, prepared=True)


def with_name(url: str, name: str) -> str:
    """`url` with its database name replaced by `name` (query string kept)."""
    base, _, query = url.partition("?")
    return f"{base.rsplit('/', 1)[0]}/{name}" + (f"?{query}" if query else "")


def drop(target: Target) -> None:
    """Drop a database this run created (never a prepared one); a failure is reported, not raised."""
    if target.url is None or target.prepared or "postgres" not in target.url:
        return
    config = dj_database_url.parse(target.url)
    try:
        _execute(config, "DROP DATABASE IF EXISTS {}")
    except Exception as exc:  # noqa: BLE001 - the report matters more than the clean-up
        print(f"Could not drop {config['NAME']}: {exc}")


def _recreate(config: dict) -> None:
    _execute(config, "DROP DATABASE IF EXISTS {}", "CREATE DATABASE {}")


def _execute(config: dict, *statements: str) -> None:
    """Run statements naming the database, connected to the server's `postgres` database."""
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
            for statement in statements:
                cursor.execute(sql.SQL(statement).format(name))
    finally:
        conn.close()
