"""Child process: the register at national scale on ONE database (DATABASE_URL), as JSON (issue 15).

Run by benchmarks/run.py against a fresh PostgreSQL database. Loads every English
council's register together (`load_demo --councils 317 --partnerships 100000`, in its
own process, timed, with its peak memory), ANALYZEs, then measures in process with
django.test.Client, median of REQUESTS timed requests after WARM_UP, for each reader in
READERS:

  the register: unfiltered, each filter, a search, each sort, a deep page;
  a partnership page, an assessment page, an assessment PDF;

and, as the superuser, the Django admin's changelist of partnerships with the same
filter (or the nearest it has), timed in turn with each register case, request by
request, so each register figure is also a ratio of the admin's at the same moment;
and, as the superuser, the whole register streamed as CSV and as XLSX (issue 16): the peak
of memory allocated while reading every byte of the response (a pass under tracemalloc),
then the time to read it all (a second pass, not slowed by tracing).

With NATIONAL_DATABASE_PREPARED=1 the database is taken as already loaded (run.py sets
it when BENCH_NATIONAL_DATABASE_URL names a prepared one) and the load is skipped.
Stdout carries only the final JSON line; progress goes to stderr.
"""

import json
import os
import resource
import statistics
import subprocess
import sys
import time
import warnings

COUNCILS = 317
PARTNERSHIPS = int(os.environ.get("NATIONAL_PARTNERSHIPS", 100_000))
WARM_UP, REQUESTS = 2, 15
PDF_REQUESTS = 5
REGISTER_TARGET_MS = 25.0
DEEP_PAGE_TARGET_MS = 50.0
PAGE_TARGET_MS = 15.0
PDF_TARGET_S = 0.5
DASHBOARD_TARGET_MS = 300.0  # issue 16
DASHBOARD_REQUESTS = 7
ADMIN_RATIO_TARGET = 0.5

SUPERUSER = "bench-superuser"


def log(message: str) -> None:
    print(f"  [national bench] {message}", file=sys.stderr, flush=True)


def one_council_user():
    """The reader who belongs to one council: officer-<council>-1 of a generated council, a member
    of it alone (Council.members, set by the loader), who sees that council's partnerships and
    the joint ones it takes part in (visible_to)."""
    from django.contrib.auth import get_user_model

    from partnerships.demo.national import officer_username
    from partnerships.models import Council

    council = Council.objects.order_by("-pk").first()  # a generated council
    return get_user_model().objects.get(username=officer_username(council, 1))


def superuser():
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(
        username=SUPERUSER, defaults={"is_superuser": True, "is_staff": True, "first_name": "Bench"})
    return user


READERS = [("superuser", superuser), ("one-council user", one_council_user)]


def register_cases() -> list[tuple[str, str, str, float]]:
    """(label, register query, the admin changelist's nearest query, target ms)."""
    from django.utils import timezone

    from partnerships.models import Council, Partnership, Theme

    council = Council.objects.order_by("-pk").first()
    theme = Theme.objects.order_by("pk").first()
    lead = Partnership.objects.order_by("-pk").values_list("lead_officer_id", flat=True).first()
    today = timezone.localdate().isoformat()
    deep = max(1, min(2000, (Partnership.objects.count() + 49) // 50))
    return [
        ("unfiltered", "", "", REGISTER_TARGET_MS),
        ("scope", "scope=strategic", "scope__exact=strategic", REGISTER_TARGET_MS),
        ("basis", "basis=statutory", "basis__exact=statutory", REGISTER_TARGET_MS),
        ("membership", "membership=single", "membership__exact=single", REGISTER_TARGET_MS),
        ("level", "level=regional", "level__exact=regional", REGISTER_TARGET_MS),
        ("status", "status=active", "status__exact=active", REGISTER_TARGET_MS),
        ("council", f"council={council.pk}", f"councils__id__exact={council.pk}", REGISTER_TARGET_MS),
        ("theme", f"theme={theme.pk}", f"themes__id__exact={theme.pk}", REGISTER_TARGET_MS),
        ("lead officer", f"lead_officer={lead}", f"lead_officer__id__exact={lead}", REGISTER_TARGET_MS),
        ("overdue", "overdue=yes", f"next_review_due__lt={today}&status__in=proposed,active,under_review",
         REGISTER_TARGET_MS),
        ("approved checklist", "approved_checklist=yes", "", REGISTER_TARGET_MS),
        ("search", "q=housing", "q=housing", REGISTER_TARGET_MS),
        ("search, rare word", "q=kingsbridge", "q=kingsbridge", REGISTER_TARGET_MS),
        ("sort by next review", "sort=-next_review", "o=-7", REGISTER_TARGET_MS),
        ("sort by contribution", "sort=-contribution", "", REGISTER_TARGET_MS),
        ("sort by lead officer", "sort=lead_officer", "o=6", REGISTER_TARGET_MS),
        ("two filters and a sort", "scope=strategic&status=active&sort=-contribution",
         "scope__exact=strategic&status__exact=active", REGISTER_TARGET_MS),
        (f"deep page ({deep})", f"page={deep}", f"p={(deep * 50 + 99) // 100}", DEEP_PAGE_TARGET_MS),
    ]


def time_get(client, url: str, requests: int = REQUESTS, content_type: str = "text/html",
             beside: tuple | None = None) -> dict:
    """Median and p90 (ms) of `requests` timed GETs after WARM_UP, one more request's query
    count, and first of all one request with nothing kept (`cold`): no cached choice lists or
    count, no Your-work count in the session; what a reader's first look costs.

    `beside`: (client, url) of a page timed in turn with this one, request by request (the
    admin changelist), so that both meet the machine as it is at the same moment: a shared
    host's speed drifts by half within a run. Its figures are under "beside"."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    session = client.session
    session.pop("_waiting", None)
    session.save()
    started = time.perf_counter()
    check(client.get(url), url, content_type)
    cold = (time.perf_counter() - started) * 1000
    pages = [(client, url)] + ([beside] if beside else [])
    for _ in range(WARM_UP):
        for each_client, each_url in pages:
            check(each_client.get(each_url), each_url, content_type)
    timings = {each_url: [] for _, each_url in pages}
    for _ in range(requests):
        for each_client, each_url in pages:
            started = time.perf_counter()
            response = each_client.get(each_url)
            timings[each_url].append((time.perf_counter() - started) * 1000)
            check(response, each_url, content_type)
    figures = []
    for each_client, each_url in pages:
        with CaptureQueriesContext(connection) as queries:
            response = check(each_client.get(each_url), each_url, content_type)
        figures.append({"value": statistics.median(timings[each_url]),
                        "p90": statistics.quantiles(timings[each_url], n=10)[-1],
                        "queries": len(queries.captured_queries), "kb": len(response.content) / 1024})
    return {**figures[0], "cold": cold, "beside": figures[1] if beside else None}


def check(response, url: str, content_type: str):
    if response.status_code != 200 or not response["Content-Type"].startswith(content_type):
        raise RuntimeError(f"GET {url} returned {response.status_code} {response['Content-Type']}")
    return response


def load() -> list[dict]:
    """migrate and load_demo in their own process: its wall time and peak memory."""
    env = {**os.environ}
    started = time.perf_counter()
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], check=True, env=env)
    migrated = time.perf_counter()
    loader = subprocess.run([sys.executable, "manage.py", "load_demo", "--no-packs", "--councils", str(COUNCILS),
                             "--partnerships", str(PARTNERSHIPS)], check=True, env=env, capture_output=True, text=True)
    loaded = time.perf_counter()
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    log(loader.stdout.strip().splitlines()[0])
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # as autovacuum would in a running system
    analysed = time.perf_counter()
    log(f"migrate {migrated - started:.0f} s, load {loaded - migrated:.0f} s, peak {peak_mb:.0f} MB, "
        f"VACUUM ANALYZE {analysed - loaded:.0f} s")
    what = f"load_demo --councils {COUNCILS} --partnerships {PARTNERSHIPS}"
    return [
        {"what": what, "value": loaded - migrated, "unit": "s", "target": None, "informational": True,
         "notes": f"bulk inserts after migrate ({migrated - started:.0f} s); VACUUM ANALYZE "
                  f"{analysed - loaded:.0f} s more"},
        {"what": f"{what}, peak memory", "value": peak_mb, "unit": "MB", "target": None, "informational": True,
         "notes": "peak resident set of the load_demo process"},
    ]


def reader_rows(who: str, user, admin_client) -> tuple[list[dict], list[dict]]:
    """This reader's rows, and the admin changelist's, timed beside each register case that
    the admin has a counterpart for (`time_get`'s `beside`)."""
    from django.db.models import Count
    from django.test import Client

    from checklists.models import Assessment
    from partnerships.models import Partnership

    client = Client()
    client.force_login(user)
    rows, admin_rows = [], []
    for label, query, admin_query, target in register_cases():
        url = f"/register/?{query}" if query else "/register/"
        admin_url = None
        if admin_query or not query:
            admin_url = (f"/admin/partnerships/partnership/?{admin_query}" if admin_query
                         else "/admin/partnerships/partnership/")
        result = time_get(client, url, beside=(admin_client, admin_url) if admin_url else None)
        admin = result["beside"]
        ratio = result["value"] / admin["value"] if admin else None
        log(f"{who}: {url}: {result['value']:.1f} ms, {result['queries']} queries"
            + (f", {ratio:.2f}× the admin's {admin['value']:.0f} ms beside it" if admin else ""))
        notes = (f"p90 {result['p90']:.1f} ms; first, nothing kept {result['cold']:.0f} ms; "
                 f"{result['queries']} queries; {result['kb']:.0f} KB")
        if admin:
            notes += f"; admin beside it {admin['value']:.0f} ms ({admin_query or 'unfiltered'}): {ratio:.2f}×"
            admin_rows.append({
                "what": f"admin changelist, {label}: GET {admin_url} as superuser, beside the {who}'s register",
                "unit": "ms", "target": None, "informational": True, "value": admin["value"],
                "notes": f"p90 {admin['p90']:.1f} ms; {admin['queries']} queries; {admin['kb']:.0f} KB"})
        else:
            notes += "; the admin has no such filter"
        rows.append({"what": f"register, {label}: GET {url} as {who}", "unit": "ms", "target": target,
                     "informational": False, "value": result["value"], "notes": notes,
                     "ratio": ratio, "ratio_target": ADMIN_RATIO_TARGET if admin else None})

    # A joint partnership, generated: two or three councils, partners, an assessment; and an
    # approved checklist, each one this reader may see.
    partnership = (Partnership.objects.visible_to(user).annotate(taking_part=Count("councils"))
                   .filter(taking_part__gt=1).order_by("-pk").first())
    assessment = (Assessment.objects.visible_to(user).filter(status="approved", template__kind="checklist")
                  .order_by("-pk").first())
    for label, url in [("partnership page", f"/partnerships/{partnership.pk}/"),
                       ("assessment page (approved checklist, 29 answers)", f"/assessments/{assessment.pk}/")]:
        result = time_get(client, url)
        log(f"{who}: {url}: {result['value']:.1f} ms, {result['queries']} queries")
        rows.append({"what": f"{label}: GET {url} as {who}", "unit": "ms", "target": PAGE_TARGET_MS,
                     "informational": False, "value": result["value"],
                     "notes": f"p90 {result['p90']:.1f} ms; first, nothing kept {result['cold']:.0f} ms; "
                              f"{result['queries']} queries"})
    for label, url in [("dashboard, whole register", "/register/dashboard/"),
                       ("dashboard, filtered", "/register/dashboard/?scope=strategic&status=active")]:
        result = time_get(client, url, DASHBOARD_REQUESTS)
        log(f"{who}: {url}: {result['value']:.1f} ms, {result['queries']} queries")
        rows.append({"what": f"{label}: GET {url} as {who}", "unit": "ms", "target": DASHBOARD_TARGET_MS,
                     "informational": False, "value": result["value"],
                     "notes": f"median of {DASHBOARD_REQUESTS}; p90 {result['p90']:.1f} ms; {result['queries']} queries"})
    url = f"/assessments/{assessment.pk}/pdf/"
    result = time_get(client, url, PDF_REQUESTS, "application/pdf")
    log(f"{who}: {url}: {result['value']:.0f} ms")
    rows.append({"what": f"assessment PDF: GET {url} as {who}", "unit": "s", "target": PDF_TARGET_S,
                 "informational": False, "value": result["value"] / 1000,
                 "notes": f"median of {PDF_REQUESTS}; {result['queries']} queries"})
    return rows, admin_rows


def consume(client, url: str) -> tuple[int, int]:
    """GET `url` and read its streamed body without keeping it: (bytes, queries)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if response.status_code != 200 or not response.streaming:
            raise RuntimeError(f"GET {url} returned {response.status_code}, streaming={response.streaming}")
        size = sum(len(chunk) for chunk in response.streaming_content)
        response.close()
    return size, len(queries.captured_queries)


def export_rows(user) -> list[dict]:
    """The whole register (as `user` sees it) as CSV and as XLSX: the peak of Python memory
    allocated while reading the whole response, then, in a second pass, the seconds it takes."""
    import tracemalloc

    from django.conf import settings
    from django.test import Client

    from partnerships.models import Partnership

    client = Client()
    client.force_login(user)
    count = Partnership.objects.visible_to(user).count()
    rows = []
    for label, url in (("CSV", "/register/export.csv"), ("XLSX", "/register/export.xlsx")):
        consume(client, f"{url}?q=no-such-partnership")  # the code warm: imports are not the export's memory
        tracemalloc.start()  # before the timed pass, so that finds the database warm
        try:
            consume(client, url)
            _current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        started = time.perf_counter()
        size, queries = consume(client, url)
        seconds = time.perf_counter() - started
        peak_mb = peak / 1024 / 1024
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        log(f"export {label}: {count:,} rows, {size / 1024 / 1024:.1f} MB in {seconds:.1f} s, {queries} queries, "
            f"peak allocated {peak_mb:.1f} MB")
        what = f"register export, {label}, {count:,} rows: GET {url} as superuser"
        rows += [
            {"what": what, "value": seconds, "unit": "s", "target": None, "informational": True,
             "notes": f"{size / 1024 / 1024:.1f} MB streamed; {queries} queries "
                      f"(chunks of {settings.EXPORT_CHUNK_SIZE:,})"},
            {"what": f"{what}, peak memory", "value": peak_mb, "unit": "MB", "target": None, "informational": True,
             "notes": f"peak allocated by Python while streaming (tracemalloc); the process's peak RSS "
                      f"so far {rss_mb:.0f} MB"},
        ]
    return rows


def main() -> int:
    import django

    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    django.setup()
    from django.db import connection

    from benchmarks.register_bench import database_label
    from partnerships.models import Partnership

    label = database_label(connection)
    rows = []
    if os.environ.get("NATIONAL_DATABASE_PREPARED") == "1":
        log(f"{label}: using the prepared database ({Partnership.objects.count():,} partnerships)")
    else:
        log(f"{label}: loading {COUNCILS} councils and {PARTNERSHIPS:,} partnerships")
        rows += load()
    from django.test import Client

    admin = superuser()
    admin_client = Client()
    admin_client.force_login(admin)
    admin_rows = []
    for who, reader in READERS:
        reader_figures, beside = reader_rows(who, reader(), admin_client)
        rows += reader_figures
        admin_rows += beside
    rows += admin_rows
    rows += export_rows(admin)
    print(json.dumps({"database": label, "rows": rows}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
