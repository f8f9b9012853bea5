"""`make bench`: how the register copes with 10,000 partnerships, on SQLite and PostgreSQL,
and how fast its PDFs are (benchmarks/pdf_bench.py: one assessment <= 1 s median; a
scrutiny pack of 50 partnerships <= 30 s in the worker, peak memory <= 500 MB), even
with every free-text field at its limit (benchmarks/pdf_worst_case.py: each profile
or assessment PDF <= 3 s, as one unbroken word and as prose).

What is measured, per database (each in its own child process,
benchmarks/register_bench.py, against a freshly created empty database):

  what                                             target
  load_demo --partnerships 10000 (after migrate)   < 60 s
  /register/ filtered, 50 rows a page, as `member`  median <= 50 ms (of 30 requests
      (four representative query strings)           after 3 warm-ups), with the
                                                    SQL query count per request
  /partnerships/<id>/                               median <= 50 ms (informational)

And at national scale (benchmarks/national_bench.py, issue 15): every English council's
register together, 317 councils and 100,000 partnerships on PostgreSQL, for a superuser
and a one-council user: the register (unfiltered, each filter, search, sorts, a deep
page) <= 25 ms median and <= 0.5x the Django admin changelist with the same filter, the
deep page <= 50 ms, partnership and assessment pages <= 15 ms, an assessment PDF <= 0.5 s;
and the whole register streamed as CSV and as XLSX (time and peak memory, informational).

Times are server time in process (django.test.Client, DEBUG off), not network.
SQLite uses a temporary file; PostgreSQL uses BENCH_DATABASE_URL or the local
server's Unix socket, with a database of its own name per run
(partnership_register_bench_<pid>_<time>, dropped at the end; see
benchmarks/databases.py, also for BENCH_NATIONAL_DATABASE_URL, a prepared national
database) and is reported as skipped when unreachable. BENCH_ONLY=national (or
sqlite, postgresql; comma-separated) runs only those parts. A missed target is
marked MISS but the exit status is 0: this is a report, not a gate. The table, with
the machine and the date, is written to docs/performance.md.
"""

import datetime
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import databases, machine

PROJECT_DIR = Path(__file__).resolve().parent.parent
CHILD_TIMEOUT_S = 900
NATIONAL_TIMEOUT_S = 3600
HEADERS = ("What", "Database", "Figure", "Target", "Result", "Notes")
REGISTER_MODULES = ("benchmarks.register_bench", "benchmarks.pdf_bench", "benchmarks.pdf_worst_case")
NATIONAL_MODULES = ("benchmarks.national_bench",)
REPORT = PROJECT_DIR / "docs" / "performance.md"
PARTS = ("sqlite", "postgresql", "national")


def child_env(url: str, media_root: str) -> dict:
    env = dict(os.environ)
    env.pop("DJANGO_DEBUG", None)  # DEBUG off: realistic timings
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": url,
        "DJANGO_MEDIA_ROOT": media_root,
        "DJANGO_ALLOWED_HOSTS": "testserver,localhost,127.0.0.1",
        "DJANGO_MANIFEST_STATIC": "false",  # no collectstatic needed
        "DJANGO_LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
        # Every PDF laid out afresh: the targets are WeasyPrint's time, not a kept copy's.
        "DJANGO_PDF_KEEP": "false",
    })
    # DEBUG is off, so the settings want a key: the benchmarks' own, unless one is set.
    env.setdefault("DJANGO_SECRET_KEY", "insecure-key-for-the-benchmarks-only-never-use-it-in-production")
    return env


def bench(target: databases.Target, modules=REGISTER_MODULES, timeout: int = CHILD_TIMEOUT_S) -> list[tuple]:
    """Table rows for one database: its results, or one row saying why there are none."""
    if target.url is None:
        return [("(all benchmarks)", target.label, "-", "-", "SKIPPED", target.skipped)]
    print(f"Benchmarking {target.label} ...", flush=True)
    rows, label = [], target.label
    # The register benchmark loads the database; the PDF benchmarks then use it. The
    # benchmark pack's PDF goes to a throwaway media folder, as the database is throwaway.
    with tempfile.TemporaryDirectory(prefix="register-bench-media-") as media_root:
        for module in modules:
            env = child_env(target.url, media_root)
            if target.prepared:
                env["NATIONAL_DATABASE_PREPARED"] = "1"
            try:
                child = subprocess.run(
                    [sys.executable, "-m", module],
                    cwd=PROJECT_DIR, env=env, stdout=subprocess.PIPE,
                    stderr=None, text=True, timeout=timeout,
                )
            except subprocess.TimeoutExpired:
                return [*rows, (module, target.label, "-", "-", "FAILED", f"timed out after {timeout} s")]
            lines = child.stdout.strip().splitlines()
            if child.returncode != 0 or not lines:
                return [*rows, (module, target.label, "-", "-", "FAILED",
                                f"child exited with status {child.returncode}; see its errors above")]
            result = json.loads(lines[-1])
            label = result.get("database", label)
            if target.label.endswith("national"):
                label = f"{label}, national"
            rows += [row(label, r) for r in result["rows"]]
    return rows


def national() -> list[tuple]:
    """The national-scale benchmark: PostgreSQL only (a prepared database when told, else a fresh one)."""
    label = "PostgreSQL, national"
    reason = ("the national targets are PostgreSQL's, the production engine; loading 100,000 partnerships "
              "into SQLite takes minutes more and says nothing about production")
    rows = [("(national scale)", "SQLite, national", "-", "-", "SKIPPED", reason)]
    target = databases.prepared_postgres(label) or databases.postgres(label)
    try:
        rows += bench(target, NATIONAL_MODULES, NATIONAL_TIMEOUT_S)
    finally:
        databases.drop(target)
    return rows


def row(database: str, r: dict) -> tuple:
    unit, value, target = r["unit"], r["value"], r["target"]
    figure = {"s": f"{value:.2f} s", "MB": f"{value:.0f} MB"}.get(unit, f"{value:.1f} ms median")
    if target is None:
        return (r["what"], database, figure, "-", "-", r["notes"])
    limit = f"<= {target:g} {unit}"
    met = value <= target
    if r.get("ratio_target") is not None:
        limit += f" and <= {r['ratio_target']:g}x admin"
        met = met and r["ratio"] <= r["ratio_target"]
    verdict = "PASS" if met else "MISS"
    if r["informational"]:
        limit, verdict = f"{limit} (info)", f"{verdict} (info)"
    return (r["what"], database, figure, limit, verdict, r["notes"])


def print_table(rows: list[tuple]) -> None:
    widths = [max(len(str(cells[i])) for cells in [HEADERS, *rows]) for i in range(len(HEADERS))]
    line = "  ".join("-" * w for w in widths)
    print(line)
    print("  ".join(h.ljust(w) for h, w in zip(HEADERS, widths)).rstrip())
    print(line)
    previous = None
    for cells in rows:
        if previous is not None and cells[1] != previous:
            print()
        previous = cells[1]
        print("  ".join(str(c).ljust(w) for c, w in zip(cells, widths)).rstrip())
    print(line)


def part_of(database: str) -> str:
    """The part of the run a row's Database cell belongs to: sqlite, postgresql or national."""
    if "national" in database:
        return "national"
    return "sqlite" if database.startswith("SQLite") else "postgresql"


def earlier_rows(parts: list[str]) -> tuple[list[str], str | None]:
    """The Markdown rows of docs/performance.md for the parts not run this time, and when they
    were written, so a run of one part (BENCH_ONLY) keeps the others' figures."""
    if not REPORT.exists() or set(parts) == set(PARTS):
        return [], None
    text = REPORT.read_text(encoding="utf-8")
    written = next((line.split(" on ", 1)[1].split(";")[0] for line in text.splitlines()
                    if line.startswith("Written by")), None)
    kept = []
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        if line.startswith("| ") and len(cells) == len(HEADERS) and cells[0] != HEADERS[0]:
            if part_of(cells[1]) not in parts:
                kept.append(line)
    return kept, written


def write_report(rows: list[tuple], summary: list[str], parts: list[str]) -> None:
    """docs/performance.md: the table as Markdown, with the machine and the date. A run of some
    parts keeps the rows of the others from the report it replaces, and says so."""
    def cell(value) -> str:
        return str(value).replace("|", "\\|")

    kept, written = earlier_rows(parts)
    if kept:
        summary = [*summary, f"Rows of the parts not run this time ({', '.join(p for p in PARTS if p not in parts)}) "
                             f"are kept from the run of {written}."]

    lines = [
        "# Performance", "",
        f"Written by `make bench` (benchmarks/run.py) on {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC; "
        f"parts run: {', '.join(parts)}. Server time in process (django.test.Client, DEBUG off), "
        "median of repeated requests; see benchmarks/ for what each row measures.", "",
        "Machine:", "", *[f"- {fact}" for fact in machine.describe()],
        f"- Load average (1, 5, 15 min) at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())} "
        "(other work on the machine slows every figure)", "",
        "| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS),
        *sorted([*("| " + " | ".join(cell(c) for c in cells) + " |" for cells in rows), *kept],
                key=lambda line: PARTS.index(part_of(line.strip("| ").split(" | ")[1]))),
        "", *summary, "",
    ]
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text("\n".join(lines), encoding="utf-8")


def main() -> int:
    started = time.perf_counter()
    sys.stdout.reconfigure(line_buffering=True)  # keep our lines in order with the children's stderr
    parts = [p.strip() for p in os.environ.get("BENCH_ONLY", ",".join(PARTS)).split(",") if p.strip() in PARTS]
    print("Partnership Register benchmarks")
    for fact in machine.describe():
        print(f"  {fact}")
    print()
    rows = []
    with tempfile.TemporaryDirectory(prefix="register-bench-") as directory:
        if "sqlite" in parts:
            rows += bench(databases.sqlite(directory))
        if "postgresql" in parts:
            target = databases.postgres()
            try:
                rows += bench(target)
            finally:
                databases.drop(target)
    if "national" in parts:
        rows += national()
    print()
    print_table(rows)
    scored = [r for r in rows if r[4] in ("PASS", "MISS")]
    misses = [f"{r[0]} on {r[1]}" for r in scored if r[4] == "MISS"]
    summary = [f"{len(scored) - len(misses)} of {len(scored)} targets met"
               + (f"; MISS: {'; '.join(misses)}" if misses else ".")]
    not_run = [r[1] for r in rows if r[4] in ("SKIPPED", "FAILED")]
    if not_run:
        summary.append(f"Not benchmarked: {', '.join(not_run)} (see the table).")
    summary.append(f"Total run time {time.perf_counter() - started:.0f} s.")
    print()
    print("\n".join(summary))
    write_report(rows, summary, parts)
    print(f"Written to {REPORT.relative_to(PROJECT_DIR)}.")
    return 0  # a report, not a gate: misses are marked, not fatal


if __name__ == "__main__":
    sys.exit(main())
