"""A register the size of every English council's together, for benchmarks (issue 15).

`load_demo --councils 317 --partnerships 100000` makes councils (each with four
officers and a few local partner organisations) up to 317 in all, then 100,000
partnerships spread over them, about one in seven joint (two or three councils), each
led by an officer of a council taking part, with partners, themes, a baseline history
record, and an assessment with every answer: an approved Partnership checklist for a
third of them, an approved Improvement Template review for another third, and of the
rest some submitted, some drafts and some none; the reviews' "No" areas have tracked
actions; every assessment has its audit events.

Everything is inserted with bulk_create, CHUNK partnerships at a time (generated, each
chunk in its own transaction), so memory stays the same whatever the number: nothing
is kept from one chunk to the next but the ids of councils, officers, organisations,
themes and questions. No save() is called, so no signal or service runs: rows are
written as the services would leave them.

Each generated officer belongs to one council (Council.members), and their username
says which: `officer-<council slug>-<n>` (officer_username, council_slug_of).
"""

import random
import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from common.people import display_name
from partnerships.demo import data
from partnerships.models import Council, Organisation, Partnership, PartnershipMember, Theme, reference_for
from partnerships.roles import OFFICER

CHUNK = 1000  # partnerships per transaction; memory is bounded by this, not by the total
BATCH = 2000  # rows per INSERT
OFFICERS_PER_COUNCIL = 4

# Place names from two halves (24 × 14 = 336 places; more councils get a number).
_FIRST = ["Ash", "Bar", "Brad", "Brom", "Chel", "Dar", "East", "Elm", "Fair", "Glen", "Hart", "Kings",
          "Lang", "Mar", "North", "Oak", "Red", "Rich", "South", "Stan", "Thorn", "West", "Whit", "Wood"]
_SECOND = ["bury", "field", "ford", "ham", "ley", "mouth", "ton", "wick", "worth", "dale", "combe", "stead",
           "bridge", "minster"]
_KINDS = ["District Council", "Borough Council", "City Council", "County Council", "Metropolitan Borough Council"]
_FIRST_NAMES = ["Alex", "Bethan", "Chris", "Deepa", "Emeka", "Fiona", "Gareth", "Hana", "Imran", "Jo", "Kofi",
                "Lowri", "Mei", "Niamh", "Owen", "Rhys", "Sian", "Tariq", "Una", "Yusuf"]
_LAST_NAMES = ["Ahmed", "Brown", "Davies", "Evans", "Green", "Hughes", "Jones", "Khan", "Lewis", "Morgan",
               "Patel", "Roberts", "Singh", "Taylor", "Thomas", "Walker", "Williams", "Wright"]
_LOCAL_PARTNERS = [("Citizens Advice", "voluntary"), ("Community and Voluntary Service", "voluntary"),
                   ("Housing Trust", "voluntary"), ("Chamber of Commerce", "private")]
TOPICS = ["Community Safety", "Youth", "Housing", "Health", "Economy", "Climate", "Arts", "Transport", "Skills",
          "Heritage", "Sport", "Advice", "Flood", "Tourism", "Waste"]
_OFFICER_NAME = re.compile(r"^officer-(?P<council>.+)-(?P<n>\d+)$")


def officer_username(council: Council, n: int) -> str:
    """The generated officer `n` (1, 2, …) of `council`: the username says which council they belong to."""
    return f"officer-{slugify(council.short_name)}-{n}"


def council_slug_of(username: str) -> str | None:
    """The council a generated officer belongs to, as slugify(Council.short_name), or None for anyone else."""
    match = _OFFICER_NAME.match(username)
    return match["council"] if match else None


def officer_councils() -> dict[int, int]:
    """{user id: council id} for every generated officer, as their usernames say."""
    by_slug = {slugify(short): pk for pk, short in Council.objects.values_list("pk", "short_name")}
    users = get_user_model().objects.filter(username__startswith="officer-").values_list("pk", "username")
    return {pk: by_slug[slug] for pk, username in users if (slug := council_slug_of(username)) in by_slug}


def place_name(index: int) -> str:
    first, second = _FIRST[index % len(_FIRST)], _SECOND[(index // len(_FIRST)) % len(_SECOND)]
    rounds = index // (len(_FIRST) * len(_SECOND))
    return f"{first}{second}" + (f" {rounds + 1}" if rounds else "")


@transaction.atomic
def load_councils(total: int) -> int:
    """Generated councils until there are `total`, each with its local partner organisations; returns how many were added."""
    missing = total - Council.objects.count()
    if missing <= 0:
        return 0
    taken = set(Council.objects.values_list("short_name", flat=True))
    places, index = [], 0
    while len(places) < missing:
        place = place_name(index)
        if place not in taken:
            places.append(place)
        index += 1
    Council.objects.bulk_create(
        [Council(name=f"{place} {_KINDS[n % len(_KINDS)]}", short_name=place) for n, place in enumerate(places)],
        batch_size=BATCH,
    )
    Organisation.objects.bulk_create(
        [Organisation(name=f"{place} {what}", sector=sector) for place in places for what, sector in _LOCAL_PARTNERS],
        batch_size=BATCH, ignore_conflicts=True,
    )
    return len(places)


@transaction.atomic
def load_officers(per_council: int = OFFICERS_PER_COUNCIL) -> dict[int, list[int]]:
    """`per_council` officers for every council (those already there are kept); {council id: [user ids]}."""
    User = get_user_model()
    rng = random.Random(15)
    password = make_password(_password())  # hashed once, not once per officer
    councils = list(Council.objects.order_by("pk"))
    wanted = {officer_username(c, n): c for c in councils for n in range(1, per_council + 1)}
    existing = set(User.objects.filter(username__in=wanted).values_list("username", flat=True))
    User.objects.bulk_create(
        [User(username=name, first_name=rng.choice(_FIRST_NAMES), last_name=rng.choice(_LAST_NAMES),
              email=f"{name}@example.org", password=password) for name in wanted if name not in existing],
        batch_size=BATCH,
    )
    ids = dict(User.objects.filter(username__in=wanted).values_list("username", "pk"))
    officer = Group.objects.get(name=OFFICER)
    Through = User.groups.through
    Through.objects.bulk_create(
        [Through(user_id=ids[name], group_id=officer.pk) for name in wanted if name not in existing],
        batch_size=BATCH,
    )
    Member = Council.members.through
    Member.objects.bulk_create(
        [Member(user_id=ids[name], council_id=council.pk) for name, council in wanted.items() if name not in existing],
        batch_size=BATCH, ignore_conflicts=True,
    )
    by_council: dict[int, list[int]] = {}
    for name, council in wanted.items():
        by_council.setdefault(council.pk, []).append(ids[name])
    return by_council


def _password() -> str:
    from partnerships.demo.loader import demo_password

    return demo_password()


@dataclass
class _Reference:
    """What every chunk reads: small, and the same for the whole load."""

    councils: dict  # id -> (name, short name)
    officers: dict  # council id -> [user ids]
    names: dict  # user id -> full name
    local_partners: dict  # council id -> [organisation ids]
    shared_partners: list
    themes: list
    questions: dict  # kind -> (template id, [question ids])


def load_partnerships(count: int, *, seed: int = 2026, officers: dict[int, list[int]]) -> int:
    """`count` generated partnerships with their assessments, in chunks; returns how many were added."""
    from checklists.models import Question, Template

    councils = {pk: (name, short) for pk, name, short in Council.objects.values_list("pk", "name", "short_name")}
    organisations = dict(Organisation.objects.values_list("name", "pk"))
    local = {pk: [organisations[f"{short} {what}"] for what, _ in _LOCAL_PARTNERS
                  if f"{short} {what}" in organisations] for pk, (_, short) in councils.items()}
    shared = [organisations[name] for name, _ in data.ORGANISATIONS if name in organisations]
    questions = {}
    for kind in Template.Kind.values:
        template = Template.objects.get(kind=kind, is_current=True)
        questions[kind] = (template.pk, list(Question.objects.filter(section__template=template).order_by(
            "section__number", "position").values_list("pk", flat=True)))
    user_ids = [pk for ids in officers.values() for pk in ids]
    names = {u.pk: display_name(u) for u in get_user_model().objects.filter(pk__in=user_ids)}
    reference = _Reference(councils, officers, names, local, shared or list(organisations.values()),
                           list(Theme.objects.values_list("pk", flat=True)), questions)
    rng = random.Random(seed)
    start = Partnership.objects.count()
    for first in range(0, count, CHUNK):
        _load_chunk(rng, reference, numbers=range(start + first + 1, start + min(first + CHUNK, count) + 1))
    return count


# An assessment for each partnership by its position: a third approved checklists, a third
# approved reviews, then submitted ones, drafts and none (12 positions).
_PLAN = ["approved checklist"] * 4 + ["approved improvement"] * 4 + ["submitted"] * 2 + ["draft", None]
# The overall assurance of an approved one: mostly reasonable or substantial, as audit opinions go.
_ASSURANCES = ["substantial", "reasonable", "limited", "none"]
_ASSURANCE_WEIGHTS = [30, 45, 20, 5]


def _plan_of(partnership: Partnership) -> str | None:
    return _PLAN[(int(partnership.reference[2:]) - 1) % len(_PLAN)]


@transaction.atomic
def _load_chunk(rng: random.Random, ref: _Reference, *, numbers: range) -> None:
    from checklists.models import Action, Answer, Assessment, AuditEvent, SectionRatingCount

    today = timezone.localdate()
    now = timezone.now()
    council_ids = list(ref.councils)
    partnerships, taking_part = [], []
    for number in numbers:
        home = rng.choice(council_ids)
        joint = rng.random() < 0.15
        others = [c for c in council_ids if c != home] if joint else []
        councils = [home, *rng.sample(others, min(len(others), rng.choice((1, 2))))]
        colleagues = ref.officers[home]
        lead, author = rng.sample(colleagues, 2) if len(colleagues) > 1 else (colleagues[0], colleagues[0])
        place, topic = ref.councils[home][1], rng.choice(TOPICS)
        method = rng.choice(Partnership.PerformanceMethod.values)
        partnerships.append(Partnership(
            name=f"{place} {topic} Partnership {number}",
            purpose=f"Generated partnership for benchmarks: {topic.lower()} work in {place} with its partners.",
            status=rng.choice(Partnership.Status.values),
            scope=rng.choice(Partnership.Scope.values), basis=rng.choice(Partnership.Basis.values),
            membership=rng.choice(Partnership.Membership.values), level=rng.choice(Partnership.Level.values),
            council_role=rng.choice(Partnership.CouncilRole.values), lead_officer_id=lead,
            lead_member=f"Cllr {rng.choice(_FIRST_NAMES)} {rng.choice(_LAST_NAMES)}",
            council_representative=ref.names[lead],
            legal_status=rng.choice(Partnership.LegalStatus.values),
            annual_contribution=Decimal(rng.randrange(0, 200000)),
            officer_days=Decimal(rng.randrange(0, 60)),
            performance_method=method,
            start_date=today - timedelta(days=rng.randrange(30, 3650)),
            review_frequency=rng.choice(Partnership.ReviewFrequency.values),
            next_review_due=today + timedelta(days=rng.randrange(-365, 365)),
            created_by_id=author,
        ))
        taking_part.append(councils)
    # Ids first, so each reference (reference_for, as Partnership.save() gives it) goes in
    # with its row: an UPDATE afterwards would leave every row written twice.
    for partnership, pk in zip(partnerships, _next_ids(Partnership, len(partnerships))):
        partnership.pk, partnership.reference = pk, reference_for(pk)
        # The overall assurance its approved assessment (below) gives, carried as its latest.
        if (_plan_of(partnership) or "").startswith("approved"):
            partnership.latest_assurance = rng.choices(_ASSURANCES, weights=_ASSURANCE_WEIGHTS)[0]
    Partnership.objects.bulk_create(partnerships, batch_size=BATCH)
    ids = [p.pk for p in partnerships]

    Through = Partnership.councils.through
    Through.objects.bulk_create([Through(partnership_id=p.pk, council_id=c)
                                 for p, councils in zip(partnerships, taking_part) for c in councils], batch_size=BATCH)
    ThemeThrough = Partnership.themes.through
    ThemeThrough.objects.bulk_create([ThemeThrough(partnership_id=pk, theme_id=t)
                                      for pk in ids for t in rng.sample(ref.themes, rng.choice((1, 2)))],
                                     batch_size=BATCH)
    members = []
    for pk, councils in zip(ids, taking_part):
        chosen = {rng.choice(ref.local_partners[c]) for c in councils if ref.local_partners[c]}
        chosen.update(rng.sample(ref.shared_partners, 2))
        members += [PartnershipMember(partnership_id=pk, organisation_id=org, role=rng.choice(PartnershipMember.Role.values))
                    for org in chosen]
    PartnershipMember.objects.bulk_create(members, batch_size=BATCH)
    _history(Partnership, partnerships, now, user_of=lambda p: p.created_by_id)
    _history(PartnershipMember, members, now, user_of=lambda m: None)

    # Assessments: one per partnership by its position in _PLAN, answered in full.
    assessments, plans = [], []
    for partnership, councils in zip(partnerships, taking_part):
        plan = _plan_of(partnership)
        if plan is None:
            continue
        state, _, kind = plan.partition(" ")
        kind = kind or rng.choice(("checklist", "improvement"))
        author, lead = partnership.created_by_id, partnership.lead_officer_id
        submitted = state in ("approved", "submitted")
        assessment = Assessment(
            partnership_id=partnership.pk, template_id=ref.questions[kind][0], status=state,
            title="Checklist on establishment" if kind == "checklist" else "2026-27 annual review",
            version=3 if state == "approved" else 2, started_by_id=author,
            submitted_by_id=author if submitted else None, submitted_at=now if submitted else None,
            lead_officer_at_submission_id=lead if submitted else None,
            approved_by_id=lead if state == "approved" else None, approved_at=now if state == "approved" else None,
            assurance=partnership.latest_assurance,
        )
        if state == "approved":
            assessment.approved_entry = _entry(partnership, councils, ref)
        assessments.append(assessment)
        plans.append(kind)
    Assessment.objects.bulk_create(assessments, batch_size=BATCH)

    answers, events = [], []
    for assessment, kind in zip(assessments, plans):
        question_ids = ref.questions[kind][1]
        if kind == "checklist":
            answers += [Answer(assessment_id=assessment.pk, question_id=q, narrative=text, rating=rating)
                        for q, (text, rating) in zip(question_ids, data.CHECKLIST_ANSWERS)]
        else:
            answers += [Answer(assessment_id=assessment.pk, question_id=q, meets=meets, action=action)
                        for q, (meets, action) in zip(question_ids, data.IMPROVEMENT_ANSWERS)]
        author = assessment.started_by_id
        events.append(AuditEvent(assessment_id=assessment.pk, kind=AuditEvent.Kind.STARTED, actor_id=author,
                                 description="Started the assessment"))
        events.append(AuditEvent(assessment_id=assessment.pk, kind=AuditEvent.Kind.ANSWERS, actor_id=author,
                                 description=f"Changed {len(question_ids)} answers"))
        if assessment.submitted_by_id:
            events.append(AuditEvent(assessment_id=assessment.pk, kind=AuditEvent.Kind.SUBMITTED, actor_id=author,
                                     description="Submitted for approval"))
        if assessment.approved_by_id:
            events.append(AuditEvent(assessment_id=assessment.pk, kind=AuditEvent.Kind.APPROVED,
                                     actor_id=assessment.approved_by_id, description="Approved"))
    Answer.objects.bulk_create(answers, batch_size=BATCH)
    # The counts an approval keeps for the dashboard, as assessment_approve keeps them.
    approved_checklists = [a.pk for a, kind in zip(assessments, plans) if kind == "checklist" and a.approved_by_id]
    SectionRatingCount.objects.bulk_create(SectionRatingCount.counts_for(approved_checklists), batch_size=BATCH)

    # Submitting a review tracks an action for each "No"; owned by the lead officer.
    by_id = {a.pk: a for a in assessments}
    actions = []
    for answer in answers:
        assessment = by_id[answer.assessment_id]
        if answer.action and assessment.submitted_by_id:
            actions.append(Action(
                partnership_id=assessment.partnership_id, assessment_id=assessment.pk, answer_id=answer.pk,
                description=answer.action, owner_id=assessment.lead_officer_at_submission_id,
                due_date=today + timedelta(days=rng.randrange(-60, 120)),
                status=rng.choice(Action.Status.values),
            ))
            events.append(AuditEvent(assessment_id=assessment.pk, kind=AuditEvent.Kind.ACTION,
                                     actor_id=assessment.submitted_by_id,
                                     description=f"Added an action: {answer.action[:150]}"))
    Action.objects.bulk_create(actions, batch_size=BATCH)
    _history(Action, actions, now, user_of=lambda a: a.owner_id)
    AuditEvent.objects.bulk_create(events, batch_size=BATCH)


def _next_ids(model, count: int) -> list[int]:
    """`count` primary keys for new rows of `model`, taken as the database would give them."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                           [table, count])
            return [row[0] for row in cursor.fetchall()]
    # SQLite (one writer at a time, as the loader runs): after the highest id yet.
    first = (model.objects.aggregate(Max("pk"))["pk__max"] or 0) + 1
    return list(range(first, first + count))


def _entry(partnership: Partnership, councils: list[int], ref: _Reference) -> dict:
    """Partnership.entry_snapshot(), from what the loader already holds."""
    return {
        "name": partnership.name, "reference": partnership.reference,
        "scope": partnership.get_scope_display(), "basis": partnership.get_basis_display(),
        "membership": partnership.get_membership_display(), "level": partnership.get_level_display(),
        "lead_officer": ref.names[partnership.lead_officer_id],
        "councils": sorted(ref.councils[c][0] for c in councils),
    }


def _history(model, objects, when, *, user_of) -> None:
    """The first history record of each generated object, as if saved when the loader ran.

    Many-to-many history (a partnership's councils and themes) is left out: the
    partnership's page reads them from the partnership itself.
    """
    History = model.history.model
    tracked = [field.attname for field in History.tracked_fields]
    History.objects.bulk_create(
        [History(history_date=when, history_type="+", history_user_id=user_of(obj),
                 history_change_reason="Generated for benchmarks",
                 **{name: getattr(obj, name) for name in tracked}) for obj in objects],
        batch_size=BATCH,
    )
