"""`make load`'s part inside Django (benchmarks/load.py runs it in a child process).

    python -m benchmarks.load_plan prepare PLAN.json
        Makes the people the load signs in as, in a database holding the national-scale
        register (`load_demo --councils 317 ...`), and writes what each will do:
        - readers: lead members of one council each, and joint scrutiny members of three;
        - officers of one council each, each with a draft Partnership checklist of their own
          to save answers into (nobody else edits it, so every save must land);
        - scrutiny members of one council each, with register filters that select a small
          pack (up to PACK_SIZE partnerships) of their council's.
        Every page and id in the plan is one that person may see. Run again, it reuses the
        people and replaces their drafts and packs.

    python -m benchmarks.load_plan check PLAN.json RECORD.json MEDIA_ROOT
        After the load: every answer a save reported as saved is in the database, the last
        one saved for each question; every pack queued was built exactly once (ready, its
        task succeeded after one worker claimed it, one file). Prints JSON; exits 1 on a fault.

    python -m benchmarks.load_plan waiting PLAN.json
        How many of the load's packs are still waiting to be built (JSON).
"""

import json
import random
import sys
from pathlib import Path

MEMBERS, JOINT_MEMBERS, OFFICERS, SCRUTINY_MEMBERS = 8, 2, 6, 4  # 20 people
SAMPLE = 40  # partnerships and assessments per person, chosen at random among those they may see
PACK_SIZE = 12
PASSWORD = "load-test-only-password"  # a throwaway database's throwaway people
PREFIX = "load-"


def _setup():
    import django

    django.setup()


def _people(role: str, name: str, councils, count: int):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    User = get_user_model()
    group = Group.objects.get(name=role)
    password = make_password(PASSWORD)
    people = []
    for n in range(1, count + 1):
        user, _ = User.objects.update_or_create(
            username=f"{PREFIX}{name}-{n}",
            defaults={"password": password, "is_active": True, "first_name": "Load", "last_name": f"{name} {n}"},
        )
        user.groups.set([group])
        user.councils.set(councils(n))
        people.append(User.objects.get(pk=user.pk))  # fresh: no cached councils
    return people


def _reading(user, rng: random.Random) -> dict:
    """What a reader opens: register pages (with filters that occur in their register), their
    partnerships' pages and their published assessments' pages and PDFs."""
    from checklists.models import Assessment
    from partnerships.models import Partnership

    visible = Partnership.objects.visible_to(user)
    ids = list(visible.order_by("?").values_list("pk", flat=True)[:SAMPLE])
    theme = visible.filter(themes__isnull=False).values_list("themes", flat=True).first()
    lead = visible.values_list("lead_officer_id", flat=True).first()
    council = user.councils.order_by("pk").values_list("pk", flat=True).first()
    approved = list(
        Assessment.objects.visible_to(user).filter(status=Assessment.Status.APPROVED)
        .order_by("?").values_list("pk", flat=True)[:SAMPLE]
    )
    rng.shuffle(ids)
    return {
        "register": ["", "?page=2", "?sort=-next_review", "?sort=lead_officer"],
        "filtered": [
            "?scope=strategic", "?basis=statutory", "?status=active", "?level=local", "?overdue=yes",
            "?approved_checklist=yes", "?q=housing", "?scope=strategic&status=active&sort=-contribution",
            f"?council={council}", f"?theme={theme}", f"?lead_officer={lead}",
        ],
        "partnerships": ids,
        "assessments": approved,
    }


def _pack_filters(user) -> str:
    """Register filters selecting at most PACK_SIZE of the person's partnerships (at least one)."""
    from django.http import QueryDict

    from register.selectors import register_partnerships

    council = user.councils.values_list("pk", flat=True).first()
    narrowing = ["scope=strategic", "status=active", "level=local", "basis=statutory", "membership=single"]
    query = f"council={council}"
    for step in narrowing:
        count = register_partnerships(filters=QueryDict(query), user=user).qs.count()
        if count <= PACK_SIZE:
            break
        narrower = f"{query}&{step}"
        if register_partnerships(filters=QueryDict(narrower), user=user).qs.count() == 0:
            continue
        query = narrower
    return query


def prepare(path: str) -> None:
    from checklists.models import Assessment, Template
    from checklists.services import assessment_start
    from partnerships.models import Council, Partnership
    from partnerships.roles import LEAD_MEMBER, OFFICER, SCRUTINY
    from register.models import ScrutinyPack

    rng = random.Random(15)
    councils = list(Council.objects.order_by("pk").values_list("pk", flat=True))
    if len(councils) < MEMBERS + OFFICERS + SCRUTINY_MEMBERS:
        raise SystemExit("Load the national-scale register first: load_demo --councils 317 --partnerships N")
    spread = councils[:: max(1, len(councils) // (MEMBERS + OFFICERS + SCRUTINY_MEMBERS))]
    one = iter(spread)
    plan = {"password": PASSWORD, "readers": [], "officers": [], "scrutiny": []}

    readers = _people(LEAD_MEMBER, "member", lambda n: [next(one)], MEMBERS)
    readers += _people(SCRUTINY, "joint", lambda n: rng.sample(councils, 3), JOINT_MEMBERS)
    officers = _people(OFFICER, "officer", lambda n: [next(one)], OFFICERS)
    scrutiny = _people(SCRUTINY, "scrutiny", lambda n: [next(one)], SCRUTINY_MEMBERS)
    everyone = [*readers, *officers, *scrutiny]

    # A run again starts clean: the last run's packs and drafts go.
    ScrutinyPack.objects.filter(requested_by__in=everyone).delete()
    Assessment.objects.filter(started_by__in=officers, status=Assessment.Status.DRAFT).delete()

    for user in readers:
        plan["readers"].append({"username": user.username, **_reading(user, rng)})
    checklist = Template.objects.get(kind=Template.Kind.CHECKLIST, is_current=True)
    sections = list(checklist.sections.order_by("number").values_list("number", flat=True))
    for user in officers:
        partnership = Partnership.objects.visible_to(user).order_by("pk").first()
        draft = assessment_start(partnership=partnership, kind=Template.Kind.CHECKLIST,
                                 title="Load test checklist", user=user)
        plan["officers"].append({"username": user.username, "draft": draft.pk, "sections": sections,
                                 **_reading(user, rng)})
    for user in scrutiny:
        plan["scrutiny"].append({"username": user.username, "pack_filters": _pack_filters(user),
                                 **_reading(user, rng)})
    Path(path).write_text(json.dumps(plan, indent=1))


def _load_packs(plan: dict):
    from register.models import ScrutinyPack

    return ScrutinyPack.objects.filter(requested_by__username__in=[p["username"] for p in plan["scrutiny"]])


def waiting(plan_path: str) -> None:
    from register.models import ScrutinyPack

    plan = json.loads(Path(plan_path).read_text())
    print(json.dumps({"waiting": _load_packs(plan).filter(status__in=ScrutinyPack.WAITING).count()}))


def check(plan_path: str, record_path: str, media_root: str) -> int:
    """Compare what the load said it did with what the database holds."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult
    from django_tasks_db.utils import normalize_uuid

    from checklists.models import Answer
    from register.models import ScrutinyPack

    plan = json.loads(Path(plan_path).read_text())
    record = json.loads(Path(record_path).read_text())
    faults = []

    # Answers: the last text each question was saved with (a save is reported in order, per person).
    expected = {}
    for save in record["saves"]:
        for question, text in save["answers"].items():
            expected[(save["assessment"], int(question))] = text
    stored = {
        (a, q): text for a, q, text in Answer.objects.filter(
            assessment_id__in={a for a, _ in expected}).values_list("assessment_id", "question_id", "narrative")
    }
    missing = [key for key, text in expected.items() if stored.get(key) != text]
    faults += [f"answer to question {q} of assessment {a} is not the last one saved" for a, q in missing[:10]]

    # Packs: each queued one built exactly once.
    queued = set(record["packs"])
    packs = {pack.pk: pack for pack in _load_packs(plan)}
    unknown = queued - set(packs)
    faults += [f"pack {pk} was queued but is not in the database" for pk in sorted(unknown)]
    tasks = {normalize_uuid(str(t.id)): t
             for t in DBTaskResult.objects.filter(id__in=[p.task_id for p in packs.values() if p.task_id])}
    files = {}
    for path in Path(media_root).rglob("*.pdf"):
        files.setdefault(path.name, []).append(path)
    built_once = 0
    for pk, pack in sorted(packs.items()):
        task = tasks.get(normalize_uuid(pack.task_id)) if pack.task_id else None
        if pack.status != ScrutinyPack.Status.READY:
            faults.append(f"pack {pk} is {pack.status}, not ready ({pack.error or 'no error recorded'})")
        elif task is None or task.status != TaskResultStatus.SUCCESSFUL:
            faults.append(f"pack {pk}'s task did not succeed")
        elif len(task.worker_ids) != 1:
            faults.append(f"pack {pk}'s task was claimed by {len(task.worker_ids)} workers: {task.worker_ids}")
        elif not pack.file.name or not Path(media_root, pack.file.name).is_file():
            faults.append(f"pack {pk}'s file is missing")
        else:
            stem = f"scrutiny-pack-{pk}"
            copies = [name for name in files if name == f"{stem}.pdf" or name.startswith(f"{stem}_")]
            if len(copies) != 1:
                faults.append(f"pack {pk} has {len(copies)} files: {copies}")
            else:
                built_once += 1
    result = {
        "saves": len(record["saves"]), "questions": len(expected), "answers_in_database": len(expected) - len(missing),
        "packs_queued": len(queued), "packs_in_database": len(packs), "packs_built_once": built_once,
        "faults": faults,
    }
    print(json.dumps(result))
    return 1 if faults else 0


def main(argv: list[str]) -> int:
    _setup()
    command, *args = argv
    if command == "prepare":
        prepare(*args)
    elif command == "waiting":
        waiting(*args)
    elif command == "check":
        return check(*args)
    else:
        raise SystemExit(f"unknown command {command!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
