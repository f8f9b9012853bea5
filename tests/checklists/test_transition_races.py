"""Two status changes sent at the same moment, from real threads with their own database
connections: exactly one wins, the other is told why, and the audit trail tells one story."""

import importlib
import threading

import pytest
from django.apps import apps as django_apps
from django.db import connection

from checklists import services
from checklists.models import Assessment, AuditEvent, Template
from partnerships.roles import ADMINISTRATOR
from tests.checklists.factories import complete, start, submitted
from tests.factories import PartnershipFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # SQLite's test database is one in-memory file shared by the threads, and it lets one
    # writer in at a time, so the race cannot happen there; PostgreSQL is where it did.
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a race needs concurrent writers (PostgreSQL)"),
]

TRIES = 5


def race(*calls):
    """Run each call in its own thread, released together; return what each raised (or None)."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            call()
        except services.WorkflowError as error:
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def fresh(assessment):
    return Assessment.objects.select_related("partnership__lead_officer", "template").get(pk=assessment.pk)


@pytest.fixture
def people(transactional_db):
    # Transactional tests empty every table afterwards, including the checklist templates a
    # data migration loaded (pytest-django runs them after the others); load them again.
    if not Template.objects.exists():
        importlib.import_module("checklists.migrations.0002_load_templates").load(django_apps, None)
    lead = UserFactory(username="race-lead", first_name="Lena", last_name="Lead", role="Officer")
    return {"lead": lead, "author": UserFactory(username="race-author", role="Officer"),
            "admin": UserFactory(username="race-admin", role=ADMINISTRATOR),
            "partnership": PartnershipFactory(lead_officer=lead)}


def test_approve_and_return_sent_together_end_in_one_state(people):
    for _ in range(TRIES):
        assessment = submitted(people["partnership"], people["author"])
        seen = [fresh(assessment), fresh(assessment)]
        outcomes = race(
            lambda: services.assessment_approve(assessment=seen[0], version=seen[0].version, user=people["lead"], assurance="substantial"),
            lambda: services.assessment_return(assessment=seen[1], version=seen[1].version, user=people["admin"],
                                               reason="Not yet"),
        )
        assert sum(outcome is None for outcome in outcomes) == 1
        final = fresh(assessment)
        kinds = set(final.events.values_list("kind", flat=True))
        if final.status == Assessment.Status.APPROVED:
            assert AuditEvent.Kind.RETURNED not in kinds
        else:
            assert final.status == Assessment.Status.DRAFT
            assert AuditEvent.Kind.APPROVED not in kinds


def test_two_approvals_sent_together_approve_once(people):
    for _ in range(TRIES):
        assessment = submitted(people["partnership"], people["author"])
        seen = [fresh(assessment), fresh(assessment)]
        outcomes = race(*(
            (lambda s=s, who=who: services.assessment_approve(assessment=s, version=s.version, user=who, assurance="substantial"))
            for s, who in zip(seen, (people["lead"], people["admin"]))
        ))
        assert sum(outcome is None for outcome in outcomes) == 1
        final = fresh(assessment)
        assert final.status == Assessment.Status.APPROVED
        assert final.events.filter(kind=AuditEvent.Kind.APPROVED).count() == 1


def test_two_submissions_sent_together_submit_once(people):
    for _ in range(TRIES):
        assessment = start(people["partnership"], people["author"])
        complete(assessment, people["author"])
        seen = [fresh(assessment), fresh(assessment)]
        outcomes = race(*(
            (lambda s=s: services.assessment_submit(assessment=s, version=s.version, user=people["author"]))
            for s in seen
        ))
        assert sum(outcome is None for outcome in outcomes) == 1
        final = fresh(assessment)
        assert final.status == Assessment.Status.SUBMITTED
        assert final.events.filter(kind=AuditEvent.Kind.SUBMITTED).count() == 1
