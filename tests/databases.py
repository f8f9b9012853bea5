"""PostgreSQL dropping a connection, as it does to every connection when it restarts."""

import pytest
from django.db import connection

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="a server that drops its connections is PostgreSQL's (SQLite is a file, with no connection to lose)",
)


def terminate(victim) -> None:
    """End `victim`'s session on the server with pg_terminate_backend, from a second connection."""
    import psycopg2

    victim.ensure_connection()
    pid = victim.connection.get_backend_pid()
    other = psycopg2.connect(**victim.get_connection_params())
    try:
        other.autocommit = True
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()
