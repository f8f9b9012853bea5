"""Child process: benchmarks ONE database (DATABASE_URL) and prints its results as JSON.

Run by benchmarks/run.py once per database, with DATABASE_URL pointing at a
fresh, empty database and DJANGO_SETTINGS_MODULE=config.settings (DEBUG off).
Measures, in process, with django.test.Client (no web server):

1. `migrate` (informational) then `load_demo --partnerships 10000`: target < 60 s.
2. /register/ for a few filtered query strings, as the demo user `member`:
   median of 30 timed requests after 3 warm-ups, target <= 50 ms, plus the
   SQL query count of one extra (untimed) request.
3. /partnerships/<id>/ the same way (target <= 50 ms, informational).

On PostgreSQL the tables are ANALYZEd after loading, as autovacuum would do
in a running system; SQLite is left as Django leaves it.
Stdout carries only the final JSON line; progress goes to stderr.
"""

import io
import json
import statistics
import sys
import time
import warnings

PARTNERSHIPS = 10_000
WARM_UP = 3
REQUESTS = 30
LOAD_TARGET_S = 60.0
PAGE_TARGET_MS = 50.0

REGISTER_QUERIES = [
    "?scope=strategic&basis=statutory",
    "?status=active&sort=-contribution",
    "?q=Housing&page=3",
    "?overdue=yes&level=local",
]


def log(message: str) -> None:
    print(f"  [bench] {message}", file=sys.stderr, flush=True)


def database_label(connection) -> str:
    if connection.vendor == "postgresql":
        version = connection.pg_version  # e.g. 150020
        return f"PostgreSQL {version // 10000}.{version % 10000}"
    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    return connection.vendor


def timed_load(call_command, connection) -> list[dict]:
    out = io.StringIO()
    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0, stdout=out)
    migrated = time.perf_counter()
    call_command("load_demo", partnerships=PARTNERSHIPS, packs=False, stdout=out)
    loaded = time.perf_counter()
    log(f"migrate {migrated - started:.1f} s, load_demo {loaded - migrated:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return [
        {"what": "migrate (fresh database)", "value": migrated - started, "unit": "s",
         "target": None, "informational": True, "notes": "informational"},
        {"what": f"load_demo --partnerships {PARTNERSHIPS}", "value": loaded - migrated, "unit": "s",
         "target": LOAD_TARGET_S, "informational": False, "notes": "fresh database, after migrate"},
    ]


def time_page(client, url: str, connection) -> dict:
    """Median and p90 of REQUESTS timed GETs after WARM_UP, and one request's query count."""
    from django.test.utils import CaptureQueriesContext

    for _ in range(WARM_UP):
        check(client.get(url), url)
    timings = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        check(response, url)
    with CaptureQueriesContext(connection) as queries:
        check(client.get(url), url)
    p90 = statistics.quantiles(timings, n=10)[-1]
    return {"value": statistics.median(timings), "p90": p90, "queries": len(queries.captured_queries)}


def check(response, url: str) -> None:
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} returned {response.status_code}")


def page_rows(client, connection, member) -> list[dict]:
    from django.db.models import Count
    from django.http import QueryDict

    from partnerships.models import Partnership
    from register.selectors import register_partnerships

    rows = []
    for query in REGISTER_QUERIES:
        url = f"/register/{query}"
        matches = register_partnerships(filters=QueryDict(query[1:]), user=member).qs.count()
        result = time_page(client, url, connection)
        log(f"{url}: {result['value']:.1f} ms median, {result['queries']} queries")
        rows.append({"what": f"GET {url}", "unit": "ms", "target": PAGE_TARGET_MS, "informational": False,
                     "notes": f"{matches:,} matches; p90 {result['p90']:.1f} ms; {result['queries']} queries",
                     **result})

    richest = Partnership.objects.annotate(partner_count=Count("memberships")).order_by("-partner_count", "pk").first()
    synthetic = Partnership.objects.order_by("pk")[Partnership.objects.count() // 2]
    for kind, partnership in [("demo, most partners", richest), ("synthetic", synthetic)]:
        url = f"/partnerships/{partnership.pk}/"
        result = time_page(client, url, connection)
        log(f"{url}: {result['value']:.1f} ms median, {result['queries']} queries")
        rows.append({"what": f"GET {url} ({kind})", "unit": "ms", "target": PAGE_TARGET_MS,
                     "informational": True,
                     "notes": f"p90 {result['p90']:.1f} ms; {result['queries']} queries", **result})
    return rows


def main() -> int:
    import django

    # WhiteNoise warns that STATIC_ROOT (filled by collectstatic) is missing: not relevant here.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    label = database_label(connection)
    log(f"{label}: loading {PARTNERSHIPS:,} partnerships")
    rows = timed_load(call_command, connection)
    member = get_user_model().objects.get(username="member")
    client = Client()
    client.force_login(member)
    rows += page_rows(client, connection, member)
    print(json.dumps({"database": label, "rows": rows}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
