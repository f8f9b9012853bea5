"""Child process: PDF benchmarks on ONE database (DATABASE_URL), printed as JSON.

Run by benchmarks/run.py after register_bench.py, on the same database (10,000
partnerships loaded). Measures:

1. One assessment as PDF, GET /assessments/<id>/pdf/ as the demo user `scrutiny`
   (django.test.Client, in process): median of 15 timed requests after 2 warm-ups,
   target <= 1 s; for a Partnership checklist (29 answered questions) and an
   Improvement Template review (14 areas, 5 actions).
2. A scrutiny pack of 50 partnerships, each with an approved assessment: queued
   through the same service as the page, then built by `manage.py db_worker --batch`
   in its own process. Target: <= 30 s for the build (the worker's own
   started/finished times), and the worker's peak resident memory <= 500 MB.
Stdout carries only the final JSON line; progress goes to stderr.
"""

import json
import resource
import statistics
import subprocess
import sys
import time
import warnings

PACK_SIZE = 50
PDF_TARGET_S = 1.0
PACK_TARGET_S = 30.0
MEMORY_TARGET_MB = 500.0
WARM_UP, REQUESTS = 2, 15


def log(message: str) -> None:
    print(f"  [pdf bench] {message}", file=sys.stderr, flush=True)


def approved_assessments(count: int):
    """`count` synthetic partnerships, each with an approved assessment (checklists and reviews alternating)."""
    from django.contrib.auth import get_user_model

    from checklists import services
    from checklists.models import Question, Template
    from partnerships.models import Partnership

    partnerships = list(Partnership.objects.filter(name__startswith="Synthetic").order_by("pk")[:count])
    if len(partnerships) < count:
        partnerships = list(Partnership.objects.order_by("-pk")[:count])
    author = get_user_model().objects.get(username="officer")
    approver = get_user_model().objects.get(username="admin")  # may approve any partnership's
    made = []
    for n, partnership in enumerate(partnerships):
        kind = Template.Kind.CHECKLIST if n % 2 == 0 else Template.Kind.IMPROVEMENT
        assessment = services.assessment_start(partnership=partnership, kind=kind, title="Benchmark review",
                                               user=author)
        questions = Question.objects.filter(section__template=assessment.template).order_by(
            "section__number", "position")
        if kind == Template.Kind.CHECKLIST:
            answers = {q: {"narrative": f"The partnership board reviews {q.text.lower()} each quarter, and "
                                        "reports to the council's scrutiny committee once a year. " * 2,
                           "rating": ("assured", "partly", "not_assured")[q.position % 3]} for q in questions}
        else:
            answers = {q: ({"meets": "no", "action": f"Agree a plan for area {q.position} with the board."}
                           if q.position % 3 == 0 else {"meets": "yes"}) for q in questions}
        services.assessment_save_answers(assessment=assessment, answers=answers, version=assessment.version,
                                         user=author)
        assessment.refresh_from_db()
        services.assessment_submit(assessment=assessment, version=assessment.version, user=author)
        services.assessment_approve(assessment=assessment, version=assessment.version, user=approver, assurance="substantial")
        made.append(assessment)
    return made


def time_pdf(client, url: str) -> dict:
    for _ in range(WARM_UP):
        check(client.get(url), url)
    timings = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - started)
        check(response, url)
    return {"value": statistics.median(timings), "p90": statistics.quantiles(timings, n=10)[-1]}


def check(response, url: str) -> None:
    if response.status_code != 200 or response["Content-Type"] != "application/pdf":
        raise RuntimeError(f"GET {url} returned {response.status_code}")


def pdf_pages(content: bytes) -> int:
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(content)).pages)


def build_in_worker(pack):
    """Build a queued pack in `manage.py db_worker --batch`, in its own process, as in production.

    Returns the finished pack, the worker's wall time and the peak resident memory (MB) of
    this process's children so far.
    """
    from register.models import ScrutinyPack

    log(f"pack {pack.pk} queued; running db_worker --batch")
    started = time.perf_counter()
    worker = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-reload", "--no-startup-delay", "-v", "0"],
        capture_output=True, text=True,
    )
    wall = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    if worker.returncode != 0:
        raise RuntimeError(f"db_worker failed: {worker.stderr[-2000:]}")
    pack = ScrutinyPack.objects.get(pk=pack.pk)
    if pack.status != "ready":
        raise RuntimeError(f"pack ended {pack.status}: {pack.error}")
    return pack, wall, peak_mb


def main() -> int:
    import django

    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from register import packs

    log(f"making {PACK_SIZE} approved assessments")
    assessments = approved_assessments(PACK_SIZE)
    scrutiny = get_user_model().objects.get(username="scrutiny")
    client = Client()
    client.force_login(scrutiny)

    rows = []
    for assessment in assessments[:2]:
        url = f"/assessments/{assessment.pk}/pdf/"
        result = time_pdf(client, url)
        pages = pdf_pages(client.get(url).content)
        log(f"{url} ({assessment.template.name}): {result['value']:.2f} s median, {pages} pages")
        rows.append({"what": f"GET {url} ({assessment.template.name}, {pages} pages)", "unit": "s",
                     "target": PDF_TARGET_S, "informational": False, "value": result["value"],
                     "notes": f"p90 {result['p90']:.2f} s"})

    ids = [assessment.partnership_id for assessment in assessments]
    pack = packs.pack_request(partnership_ids=ids, title="Benchmark pack", filters="", filter_summary="",
                              user=scrutiny)  # autocommit: queued at once
    pack, wall, peak_mb = build_in_worker(pack)
    build = (pack.finished_at - pack.started_at).total_seconds()
    log(f"pack of {PACK_SIZE}: build {build:.1f} s, worker {wall:.1f} s, peak {peak_mb:.0f} MB, "
        f"{pack.page_count} pages, {pack.size / 1e6:.1f} MB")
    rows.append({"what": f"scrutiny pack, {PACK_SIZE} partnerships ({pack.page_count} pages), in db_worker",
                 "unit": "s", "target": PACK_TARGET_S, "informational": False, "value": build,
                 "notes": f"worker process {wall:.1f} s with start-up; {pack.page_count / build:.1f} pages/s; "
                          f"{pack.size / 1e6:.1f} MB"})
    rows.append({"what": "scrutiny pack, worker peak memory", "unit": "MB", "target": MEMORY_TARGET_MB,
                 "informational": False, "value": peak_mb, "notes": "peak resident set of the db_worker process"})
    print(json.dumps({"rows": rows}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
