"""`make load`: the whole stack under 20 people at once, on PostgreSQL holding the national register.

1. A database: LOAD_DATABASE_URL or BENCH_NATIONAL_DATABASE_URL if set (a register
   loaded already, used as it is), else a new one of its own name
   (`partnership_register_bench_<pid>_<time>`, benchmarks/databases.py), migrated and
   loaded with `load_demo --councils 317 --partnerships LOAD_PARTNERSHIPS` (100,000 by
   default, about seven minutes), dropped at the end.
2. The people the load plays, and what each does (benchmarks/load_plan.py prepare).
3. gunicorn with 3 workers on 127.0.0.1, DEBUG off, and two background workers
   (`manage.py run_worker`, the db_worker loop) building scrutiny packs.
4. locust, headless, three times for LOAD_SECONDS each (60 by default), 20 people at once
   (benchmarks/locustfile.py):
   - the sign-in page alone, with no pause between requests: the stack's ceiling;
   - the page mix, with no pause between requests: readers, officers saving answers,
     scrutiny members queueing packs;
   - the same mix at a person's pace: each pausing LOAD_PACE seconds (1) between requests,
     as people read a page before the next; what 20 people working at once meet.
   Requests per second, p50/p95/p99 and errors, of the whole mix, of its pages (HTML GETs,
   whose p99 has a target) and of each kind of request; the mix's rate as a ratio of the
   sign-in page's.
5. Once the workers have built every pack queued (at most LOAD_PACK_WAIT seconds), the
   database is checked: every answer a save reported is there, the last one saved; every
   pack was built exactly once (benchmarks/load_plan.py check).

Targets (issue 15): no errors; the mix at >= 0.15x the sign-in page's requests per
second; p99 of pages <= 300 ms on a quiet machine. Locust runs on the same machine as
the server, so it takes some of the CPUs it measures; the report says how many there
are and the load average. The table goes to docs/load.md. The exit status is 1 when
the database check finds a fault (a lost answer, a pack built twice), else 0: the
timings are a report, not a gate.
"""

import datetime
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from benchmarks import databases, machine
from benchmarks.run import PROJECT_DIR, child_env

USERS = 20
SECONDS = int(os.environ.get("LOAD_SECONDS", 60))
PARTNERSHIPS = int(os.environ.get("LOAD_PARTNERSHIPS", 100_000))
PACK_WAIT = int(os.environ.get("LOAD_PACK_WAIT", 300))
PACE = float(os.environ.get("LOAD_PACE", 1))
GUNICORN_WORKERS = 3
WORKER_NICENESS = 10
RATIO_TARGET = 0.15
P99_TARGET_MS = 300
REPORT = PROJECT_DIR / "docs" / "load.md"
BIN = Path(sys.executable).parent
NOT_PAGES = {"assessment PDF", "save answers", "queue a pack", "sign in"}


def log(message: str) -> None:
    print(f"[load] {message}", flush=True)


def django(env: dict, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=PROJECT_DIR, env=env, check=True, **kwargs)


def database() -> databases.Target:
    for name in ("LOAD_DATABASE_URL", "BENCH_NATIONAL_DATABASE_URL"):
        if os.environ.get(name):
            log(f"Using the register loaded already in {name}.")
            return databases.Target("PostgreSQL", os.environ[name], prepared=True)
    return databases.postgres()


def load_register(env: dict) -> float:
    log(f"Loading {PARTNERSHIPS:,} partnerships of 317 councils (about {PARTNERSHIPS * 4 // 1000} s) ...")
    started = time.perf_counter()
    django(env, "manage.py", "migrate", "--noinput", stdout=subprocess.DEVNULL)
    django(env, "manage.py", "load_demo", "--councils", "317", "--partnerships", str(PARTNERSHIPS),
           stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer {url} within {timeout:.0f} s") from None
            time.sleep(0.5)


def locust(env: dict, host: str, classes: list[str], record: Path) -> dict:
    """One headless locust run of SECONDS; what it recorded, with the measured window."""
    command = [str(BIN / "locust"), "-f", "benchmarks/locustfile.py", "--headless", "--only-summary",
               "-u", str(USERS), "-r", str(USERS), "-t", f"{SECONDS}s", "--host", host,
               "--loglevel", "WARNING", "--stop-timeout", "10", *classes]
    started = time.monotonic()
    subprocess.run(command, cwd=PROJECT_DIR, env={**env, "LOAD_RECORD": str(record)},
                   stdout=subprocess.DEVNULL, check=False)
    took = time.monotonic() - started
    result = json.loads(record.read_text())
    result["seconds"] = min(took, SECONDS)  # the measured window: locust's run time
    return result


def percentile(values: list[float], p: float) -> float:
    """The nearest-rank percentile of `values` (sorted here)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]


def figures(what: str, requests: list, seconds: float, server: list | None = None) -> dict:
    """Rate, percentiles and errors of `requests` as locust saw them, with the server's own
    mean time for them (`server`, from gunicorn's access log)."""
    times = [t for _name, t, _ok in requests]
    errors = sum(1 for *_rest, ok in requests if not ok)
    return {"what": what, "requests": len(requests), "rps": len(requests) / seconds if seconds else 0.0,
            "p50": percentile(times, 50), "p95": percentile(times, 95), "p99": percentile(times, 99),
            "errors": errors, "server": sum(server) / len(server) if server else 0.0, "share": None}


# gunicorn's access log: method, path, query, status and the time the server took (microseconds).
ACCESS_FORMAT = "%(m)s|%(U)s|%(q)s|%(s)s|%(D)s"
UNFILTERED = {"page", "sort"}  # the register's parameters that are not filters
KINDS = [  # (method, path pattern, the locustfile's name for such a request)
    ("GET", re.compile(r"^/accounts/login/$"), "sign-in page"),
    ("POST", re.compile(r"^/accounts/login/$"), "sign in"),
    ("GET", re.compile(r"^/register/packs/new/$"), "pack page"),
    ("POST", re.compile(r"^/register/packs/new/$"), "queue a pack"),
    ("GET", re.compile(r"^/register/$"), "register"),
    ("GET", re.compile(r"^/partnerships/\d+/$"), "partnership page"),
    ("GET", re.compile(r"^/assessments/\d+/pdf/$"), "assessment PDF"),
    ("GET", re.compile(r"^/assessments/\d+/sections/\d+/$"), "checklist section"),
    ("POST", re.compile(r"^/assessments/\d+/sections/\d+/$"), "save answers"),
    ("GET", re.compile(r"^/assessments/\d+/$"), "assessment page"),
]


def server_times(lines: list[str], *, phases: list[tuple[str, int | None]]) -> dict:
    """{(part, kind): [server ms, ...]} from the access log, named as the locustfile names
    each request; `phases`: each part of the run in order, with the size the log had at its
    end (None for the last)."""
    times, position = {}, 0
    for line in lines:
        phase = next(name for name, end in phases if end is None or position < end)
        position += len(line.encode()) + 1
        parts = line.split("|")
        if len(parts) != 5 or not parts[4].strip().isdigit():
            continue
        method, path, query, _status, micros = parts
        kind = next((name for m, pattern, name in KINDS if m == method and pattern.match(path)), None)
        if kind == "register" and {p.partition("=")[0] for p in query.split("&") if p} - UNFILTERED:
            kind = "register, filtered"
        if kind is not None:
            times.setdefault((phase, kind), []).append(int(micros) / 1000)
    return times


def stop(process: subprocess.Popen, timeout: float = 30) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def run(env: dict, work: Path) -> tuple[list[dict], dict, dict]:
    plan = work / "plan.json"
    log("Making the people the load plays ...")
    django(env, "-m", "benchmarks.load_plan", "prepare", str(plan))
    port = free_port()
    host = f"http://127.0.0.1:{port}"
    access_log = work / "access.log"
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "config.wsgi:application", "--workers", str(GUNICORN_WORKERS),
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--timeout", "60",
         "--access-logfile", str(access_log), "--access-logformat", ACCESS_FORMAT],
        cwd=PROJECT_DIR, env=env,
    )
    # The background workers run at a lower priority, as they should in production (docs/operations.md):
    # a pack is waited for in minutes, a page in milliseconds.
    workers = [subprocess.Popen([sys.executable, "manage.py", "run_worker", "--interval", "0.5"],
                                cwd=PROJECT_DIR, env=env, preexec_fn=lambda: os.nice(WORKER_NICENESS))
               for _ in range(2)]
    try:
        wait_until_up(f"{host}/accounts/login/")
        load_env = {**env, "LOAD_PLAN": str(plan)}
        log(f"The sign-in page alone, {USERS} people, {SECONDS} s ...")
        ceiling = locust(load_env, host, ["SignInPage"], work / "sign-in.json")
        ceiling_log = access_log.stat().st_size
        log(f"The page mix, {USERS} people, {SECONDS} s ...")
        mix = locust({**load_env, "LOAD_PART": "mix"}, host, ["Reader", "Officer", "Scrutiny"], work / "mix.json")
        mix_log = access_log.stat().st_size
        log(f"The page mix at a person's pace ({PACE:g} s between requests), {USERS} people, {SECONDS} s ...")
        paced = locust({**load_env, "LOAD_THINK": str(PACE), "LOAD_PART": "paced"}, host,
                       ["Reader", "Officer", "Scrutiny"], work / "paced.json")
    finally:
        stop(server)
    try:
        log(f"Waiting for the workers to build the {len(mix['packs']) + len(paced['packs'])} packs queued ...")
        deadline = time.monotonic() + PACK_WAIT
        while time.monotonic() < deadline:
            waiting = json.loads(django(env, "-m", "benchmarks.load_plan", "waiting", str(plan),
                                        stdout=subprocess.PIPE, text=True).stdout)["waiting"]
            if not waiting:
                break
            time.sleep(3)
    finally:
        for worker in workers:
            stop(worker)
    # Both mixes saved answers and queued packs: checked together, in the order they were made.
    done = work / "done.json"
    done.write_text(json.dumps({"saves": mix["saves"] + paced["saves"], "packs": mix["packs"] + paced["packs"]}))
    check = subprocess.run([sys.executable, "-m", "benchmarks.load_plan", "check", str(plan), str(done),
                            env["DJANGO_MEDIA_ROOT"]], cwd=PROJECT_DIR, env=env, stdout=subprocess.PIPE, text=True)
    checked = json.loads(check.stdout.strip().splitlines()[-1])

    with open(access_log, "rb") as log_file:
        server_ms = server_times(log_file.read().decode(errors="replace").splitlines(),
                                 phases=[("ceiling", ceiling_log), ("mix", mix_log), ("paced", None)])
    rows = [figures("sign-in page alone (the ceiling)", ceiling["requests"], ceiling["seconds"],
                    server_ms.get(("ceiling", "sign-in page")))]
    measured = [r for r in mix["requests"] if r[0] != "sign in"]
    mix_server = [t for (phase, name), times in server_ms.items() if phase == "mix" and name != "sign in"
                  for t in times]
    rows.append(figures("page mix, every request", measured, mix["seconds"], mix_server))
    rows.append(figures("page mix, pages (HTML GETs)", [r for r in measured if r[0] not in NOT_PAGES],
                        mix["seconds"], [t for (phase, name), times in server_ms.items()
                                         if phase == "mix" and name not in NOT_PAGES for t in times]))
    total_server = sum(mix_server) or 1
    for name in sorted({r[0] for r in measured}):
        row = figures(f"  {name}", [r for r in measured if r[0] == name], mix["seconds"],
                      server_ms.get(("mix", name)))
        row["share"] = sum(server_ms.get(("mix", name), [])) / total_server
        rows.append(row)
    paced_requests = [r for r in paced["requests"] if r[0] != "sign in"]
    paced_every = figures(f"page mix at a person's pace ({PACE:g} s between requests), every request",
                          paced_requests, paced["seconds"],
                          [t for (phase, name), times in server_ms.items() if phase == "paced" and name != "sign in"
                           for t in times])
    paced_pages = figures(f"page mix at a person's pace ({PACE:g} s between requests), pages (HTML GETs)",
                          [r for r in paced_requests if r[0] not in NOT_PAGES], paced["seconds"],
                          [t for (phase, name), times in server_ms.items()
                           if phase == "paced" and name not in NOT_PAGES for t in times])
    rows += [paced_every, paced_pages]
    ratio = rows[1]["rps"] / rows[0]["rps"] if rows[0]["rps"] else 0.0
    verdicts = {
        "errors": sum(r["errors"] for r in rows[:2]) + paced_every["errors"],
        "ratio": ratio,
        "pages_p99": rows[2]["p99"],
        "paced_pages_p99": paced_pages["p99"],
    }
    return rows, verdicts, checked


def report(rows: list[dict], verdicts: dict, checked: dict, loaded: float | None, target: databases.Target) -> list[str]:
    headers = ("What", "Requests", "Req/s", "p50 ms", "p95 ms", "p99 ms", "Errors", "Server ms, mean",
               "Share of the mix's server time")
    table = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    for r in rows:
        what = r["what"].strip() if not r["what"].startswith("  ") else "&nbsp;&nbsp;" + r["what"].strip()
        share = f"{r['share']:.0%}" if r["share"] is not None else ""
        table.append(f"| {what} | {r['requests']:,} | {r['rps']:.1f} | {r['p50']:.0f} | {r['p95']:.0f} "
                     f"| {r['p99']:.0f} | {r['errors']} | {r['server']:.1f} | {share} |")
    met = lambda ok: "PASS" if ok else "MISS"  # noqa: E731
    targets = [
        f"- Errors: {verdicts['errors']} (target 0): {met(verdicts['errors'] == 0)}",
        f"- The mix's rate as a ratio of the sign-in page's: {verdicts['ratio']:.2f}x "
        f"(target >= {RATIO_TARGET}x): {met(verdicts['ratio'] >= RATIO_TARGET)}",
        f"- p99 of pages, no pause between requests: {verdicts['pages_p99']:.0f} ms (target <= {P99_TARGET_MS} ms): "
        f"{met(verdicts['pages_p99'] <= P99_TARGET_MS)}",
        f"- p99 of pages, people pausing {PACE:g} s between requests: {verdicts['paced_pages_p99']:.0f} ms "
        f"(the same target): {met(verdicts['paced_pages_p99'] <= P99_TARGET_MS)}",
        f"- Saved answers: {checked['saves']:,} saves of {checked['questions']} questions; "
        f"{checked['answers_in_database']} of {checked['questions']} hold the last answer saved",
        f"- Scrutiny packs: {checked['packs_queued']} queued, {checked['packs_built_once']} built exactly once "
        "(ready, one worker claimed its task, one file)",
        *[f"- FAULT: {fault}" for fault in checked["faults"]],
    ]
    source = "a register loaded before the run" if target.prepared else (
        f"a fresh database, {PARTNERSHIPS:,} partnerships of 317 councils loaded in {loaded:.0f} s")
    return [
        "# Load", "",
        f"Written by `make load` (benchmarks/load.py) on {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC. "
        f"gunicorn with {GUNICORN_WORKERS} workers and two background workers on PostgreSQL ({source}); "
        f"locust on the same machine, {USERS} people at once, with no pause between requests and then "
        f"pausing {PACE:g} s between them, {SECONDS} s for each part. Times are as locust saw them, over loopback.", "",
        "Machine:", "", *[f"- {fact}" for fact in machine.describe()],
        f"- Load average (1, 5, 15 min) at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}", "",
        *table, "", *targets, "",
    ]


def main() -> int:
    sys.stdout.reconfigure(line_buffering=True)
    target = database()
    if target.url is None:
        log(f"No PostgreSQL database: {target.skipped}")
        return 1
    loaded = None
    try:
        with tempfile.TemporaryDirectory(prefix="partnership-register-load-") as folder:
            work = Path(folder)
            (work / "media").mkdir()
            # The server keeps PDFs as in production, in a folder of this run's own.
            env = {**child_env(target.url, str(work / "media")),
                   "DJANGO_PDF_KEEP": "true", "DJANGO_PDF_KEPT_DIR": str(work / "pdfs")}
            if not target.prepared:
                loaded = load_register(env)
            rows, verdicts, checked = run(env, work)
    finally:
        databases.drop(target)
    lines = report(rows, verdicts, checked, loaded, target)
    print("\n".join(lines))
    REPORT.write_text("\n".join(lines), encoding="utf-8")
    print(f"Written to {REPORT.relative_to(PROJECT_DIR)}.")
    return 1 if checked["faults"] else 0


if __name__ == "__main__":
    sys.exit(main())
