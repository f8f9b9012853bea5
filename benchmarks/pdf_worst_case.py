"""Child process: the slowest PDFs a form can ask for, on ONE database (DATABASE_URL), as JSON.

Run by benchmarks/run.py after register_bench.py (which loads the demo users), on the
same database. DESIGN.md: "no text that a form accepts makes any PDF take more than a
few seconds". Every free-text field is filled to its limit, read at run time from the
model (`max_length`, or FALLBACK_LIMIT when a field has none), in two shapes:

  word   one unbroken run of letters, no spaces (the shape that was slowest: WeasyPrint
         lays out a long run line by line from the rest of the run)
  prose  ordinary sentences, all in one paragraph

and these PDFs are timed (median of REPEATS requests, in process, as `admin`, who sees
drafts too):

1. the partnership profile (/partnerships/<id>/pdf/): name, purpose, lead member,
   council representative and performance notes at their limits, three partners and a
   sub-partnership with names at theirs, and the assessments below, so its tables of
   assessments and open actions are full too;
2. the assessment PDF (/assessments/<id>/pdf/) of a Partnership checklist and of an
   Improvement Template review, every question answered at the limit (narrative; or
   "No" with an action), approved, and of a draft review whose actions are proposed
   (a table) and a checklist returned with a reason at its limit;
3. a scrutiny pack (title at its limit) holding the approved word-shaped checklist and
   review, built by `manage.py db_worker --batch` like any other pack.

Stdout carries only the final JSON line; progress goes to stderr.
"""

import datetime
import json
import statistics
import string
import sys
import time
import warnings

FALLBACK_LIMIT = 10_000  # characters, for a text field without max_length
TARGET_S = 3.0  # "a few seconds"
PACK_TARGET_S = 10.0  # two assessments in the worker, with its start-up and the front matter
REPEATS = 3
SHAPES = ("word", "prose")
SENTENCE = ("The partnership board reviews its delivery plan every quarter, agrees what each partner "
            "will do next, and reports to the council’s scrutiny committee once a year. ")


def log(message: str) -> None:
    print(f"  [pdf worst case] {message}", file=sys.stderr, flush=True)


def limit(model, field: str) -> int:
    """The most characters the field accepts: its max_length, or FALLBACK_LIMIT without one."""
    return model._meta.get_field(field).max_length or FALLBACK_LIMIT


def text(shape: str, length: int, tag: str = "") -> str:
    """`length` characters of the shape, starting with `tag` (to keep unique names unique)."""
    if shape == "word":
        body = string.ascii_letters * (length // len(string.ascii_letters) + 1)
    else:
        body = SENTENCE * (length // len(SENTENCE) + 1)
    return (tag + body)[:length].rstrip() or "x"


def filled(model, fields, shape: str, tag: str = "") -> dict:
    return {field: text(shape, limit(model, field), tag) for field in fields}


def worst_partnership(shape: str, officer):
    """A partnership with every text field, its partners' and its sub-partnership's names, and three
    risks' words and mitigations at their limits."""
    from django.utils import timezone

    from partnerships import services
    from partnerships.models import Council, Organisation, Partnership, PartnershipMember, Risk

    def register(tag, **extra):
        data = {
            **filled(Partnership, ("name", "purpose", "lead_member", "council_representative", "performance_notes"),
                     shape, tag),
            "scope": Partnership.Scope.values[0], "basis": Partnership.Basis.values[0],
            "membership": Partnership.Membership.values[-1], "level": Partnership.Level.values[-1],
            "council_role": Partnership.CouncilRole.values[0], "legal_status": Partnership.LegalStatus.values[0],
            "performance_method": Partnership.PerformanceMethod.values[0], "lead_officer": officer,
            "next_review_due": datetime.date.today() + datetime.timedelta(days=365),  # required while open
            "councils": list(Council.objects.all()), **extra,
        }
        return services.partnership_register(data=data, user=officer)

    partnership = register(f"{shape} ")
    register(f"{shape} sub ", parent=partnership)
    for n, role in enumerate(PartnershipMember.Role.values[:3]):
        name = text(shape, limit(Organisation, "name"), f"{shape} {n} {time.time_ns()} ")
        organisation = Organisation.objects.create(name=name, sector=Organisation.Sector.values[n])
        services.partner_add(partnership=partnership, organisation=organisation, role=role, user=officer)
    for n in range(3):
        services.risk_create(partnership=partnership, user=officer, data={
            "standard": "", **filled(Risk, ("description", "mitigation"), shape, f"{shape} risk {n} "),
            "likelihood": 5 - n, "impact": 5, "owner": officer, "review_date": timezone.localdate(),
        })
    return partnership


def worst_assessment(partnership, kind: str, shape: str, *, author, approver, end: str):
    """An assessment of `partnership` with every question answered at the limit, taken to `end`:
    "approved", "draft" (never submitted: its actions are only proposed) or "returned"."""
    from checklists import services
    from checklists.models import Answer, Assessment, Question, Template

    title = text(shape, limit(Assessment, "title"))
    assessment = services.assessment_start(partnership=partnership, kind=kind, title=title, user=author)
    questions = Question.objects.filter(section__template=assessment.template)
    if kind == Template.Kind.CHECKLIST:
        answer = {"narrative": text(shape, limit(Answer, "narrative")), "rating": Answer.Rating.values[0]}
    else:
        answer = {"meets": "no", "action": text(shape, limit(Answer, "action"))}
    services.assessment_save_answers(assessment=assessment, answers={q: answer for q in questions},
                                     version=assessment.version, user=author)
    if end == "draft":
        return assessment
    assessment.refresh_from_db()
    services.assessment_submit(assessment=assessment, version=assessment.version, user=author)
    assessment.refresh_from_db()
    if end == "returned":
        reason = text(shape, limit(Assessment, "return_reason"))
        services.assessment_return(assessment=assessment, version=assessment.version, user=approver, reason=reason)
    else:
        services.assessment_approve(assessment=assessment, version=assessment.version, user=approver, assurance="substantial")
    return assessment


def time_pdf(client, url: str) -> tuple[list[float], int]:
    from benchmarks.pdf_bench import check, pdf_pages

    timings, content = [], b""
    for _ in range(REPEATS):
        started = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - started)
        check(response, url)
        content = response.content
    return timings, pdf_pages(content)


def row(what: str, timings: list[float], pages: int) -> dict:
    value = statistics.median(timings)
    log(f"{what}: {value:.2f} s median, slowest {max(timings):.2f} s, {pages} pages")
    return {"what": f"{what} ({pages} pages)", "unit": "s", "target": TARGET_S, "informational": False,
            "value": value, "notes": f"slowest of {REPEATS} {max(timings):.2f} s"}


def main() -> int:
    import django

    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from benchmarks.pdf_bench import build_in_worker
    from checklists.models import Template
    from partnerships.models import Partnership
    from register import packs
    from register.models import ScrutinyPack

    users = get_user_model().objects
    officer, admin = users.get(username="officer"), users.get(username="admin")
    client = Client()
    client.force_login(admin)
    limits = {f"{model.__name__}.{field}": limit(model, field) for model, field in (
        (Partnership, "purpose"), (Partnership, "performance_notes"), (Partnership, "name"))}
    log(f"limits read from the models: {limits} ...")

    rows = []
    for shape in SHAPES:
        log(f"making a partnership and its assessments with every text at its limit, as one {shape}")
        partnership = worst_partnership(shape, officer)
        checklist, review = (
            worst_assessment(partnership, kind, shape, author=officer, approver=admin, end="approved")
            for kind in (Template.Kind.CHECKLIST, Template.Kind.IMPROVEMENT))
        draft = worst_assessment(partnership, Template.Kind.IMPROVEMENT, shape, author=officer, approver=admin,
                                 end="draft")
        returned = worst_assessment(partnership, Template.Kind.CHECKLIST, shape, author=officer, approver=admin,
                                    end="returned")
        client.get(f"/partnerships/{partnership.pk}/pdf/")  # warm-up: fonts, templates
        rows.append(row(f"profile PDF, every text at its limit as one {shape}",
                        *time_pdf(client, f"/partnerships/{partnership.pk}/pdf/")))
        for label, assessment in (("Partnership checklist, approved", checklist),
                                  ("Improvement Template, approved", review),
                                  ("Improvement Template, draft with proposed actions", draft),
                                  ("Partnership checklist, returned with a reason", returned)):
            rows.append(row(f"assessment PDF, {label}, every answer at its limit as one {shape}",
                            *time_pdf(client, f"/assessments/{assessment.pk}/pdf/")))

    # A pack holds each partnership's latest approved assessment: one partnership for each tool.
    ids = []
    for kind in (Template.Kind.CHECKLIST, Template.Kind.IMPROVEMENT):
        partnership = worst_partnership("word", officer)
        worst_assessment(partnership, kind, "word", author=officer, approver=admin, end="approved")
        ids.append(partnership.pk)
    pack = packs.pack_request(partnership_ids=ids, title=text("word", limit(ScrutinyPack, "title")), filters="",
                              filter_summary="", user=users.get(username="scrutiny"))
    pack, wall, peak_mb = build_in_worker(pack)
    build = (pack.finished_at - pack.started_at).total_seconds()
    log(f"pack of the two word-shaped assessments: build {build:.2f} s, worker {wall:.1f} s, "
        f"{pack.page_count} pages, peak {peak_mb:.0f} MB")
    rows.append({"what": f"scrutiny pack of the checklist and review, every text at its limit as one word "
                         f"({pack.page_count} pages), in db_worker",
                 "unit": "s", "target": PACK_TARGET_S, "informational": False, "value": build,
                 "notes": f"worker process {wall:.1f} s with start-up; peak {peak_mb:.0f} MB"})
    print(json.dumps({"rows": rows}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
