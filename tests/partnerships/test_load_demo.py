import pytest
from django.contrib.auth import authenticate as django_authenticate
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import RequestFactory

from partnerships.models import Partnership
from partnerships.roles import ADMINISTRATOR, LEAD_MEMBER, OFFICER, SCRUTINY

pytestmark = pytest.mark.django_db


def authenticate(**credentials):
    """Signing in as the sign-in page does: django-axes counts attempts per request."""
    return django_authenticate(RequestFactory().post("/accounts/login/"), **credentials)


def load(**kwargs):
    kwargs.setdefault("packs", False)  # a few seconds each; built in their own test
    call_command("load_demo", stdout=open("/dev/null", "w"), **kwargs)


def test_it_makes_a_register_of_about_forty_partnerships_for_two_councils():
    load()
    assert Partnership.objects.count() == 40
    both = Partnership.objects.filter(councils__short_name="Harbourside").filter(councils__short_name="Wessex Vale")
    assert both.exists()


def test_it_covers_every_classification_and_status():
    load()
    for field in ["scope", "basis", "membership", "level", "status", "council_role"]:
        values = set(Partnership.objects.values_list(field, flat=True))
        assert values == set(dict(Partnership._meta.get_field(field).choices)), field


def test_it_includes_a_local_strategic_partnership_with_themed_sub_partnerships():
    load()
    lsp = Partnership.objects.get(name__contains="Local Strategic Partnership", parent=None)
    assert lsp.children.count() >= 5


def test_it_includes_overdue_reviews_and_partners():
    load()
    assert any(p.is_overdue for p in Partnership.objects.all())
    assert Partnership.objects.filter(memberships__isnull=False).distinct().count() > 30


@pytest.mark.parametrize(
    "username, role", [("officer", OFFICER), ("member", LEAD_MEMBER), ("scrutiny", SCRUTINY), ("admin", ADMINISTRATOR)]
)
def test_it_makes_one_demo_user_per_role(username, role):
    load()
    user = authenticate(username=username, password="register-demo")
    assert user is not None
    assert list(user.groups.values_list("name", flat=True)) == [role]
    assert not user.is_staff  # staff status is not a role: the Django admin is a superuser's


def test_it_uses_demo_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "another-secret-42")
    load()
    assert authenticate(username="officer", password="another-secret-42") is not None
    assert authenticate(username="officer", password="register-demo") is None


def test_it_can_run_twice_without_duplicating_anything():
    load()
    load()
    assert Partnership.objects.count() == 40
    assert get_user_model().objects.filter(username="officer").count() == 1


def test_it_generates_extra_partnerships_for_benchmarks():
    load(partnerships=150)
    assert Partnership.objects.count() == 190
    generated = Partnership.objects.filter(name__contains="Partnership 1")
    assert generated.exists()
    assert not Partnership.objects.filter(reference__isnull=True).exists()
    for partnership in Partnership.objects.all()[:50]:
        assert partnership.reference == f"P-{partnership.pk:04d}"
    assert not Partnership.objects.filter(councils__isnull=True).exists()


def test_running_again_keeps_a_changed_password_and_role():
    load()
    officer = get_user_model().objects.get(username="officer")
    officer.set_password("changed-by-the-council-1")
    officer.save()
    officer.groups.clear()
    load()
    assert authenticate(username="officer", password="changed-by-the-council-1") is not None
    assert not get_user_model().objects.get(username="officer").groups.exists()


def test_it_makes_assessments_in_every_state():
    from checklists.models import Assessment

    load()
    states = set(Assessment.objects.values_list("status", flat=True))
    assert states == {"draft", "submitted", "approved"}
    assert Assessment.objects.exclude(return_reason="").filter(status="draft").exists()
    assert set(Assessment.objects.values_list("template__kind", flat=True)) == {"checklist", "improvement"}
    load()
    assert Assessment.objects.count() == 14


def test_it_makes_actions_open_under_way_done_and_overdue():
    from checklists.models import Action

    load()
    assert set(Action.objects.values_list("status", flat=True)) == {"open", "in_progress", "done"}
    assert any(action.is_overdue for action in Action.objects.all())


def test_it_makes_risks_in_every_band_open_and_closed_standard_and_of_officers_own_once():
    from partnerships.history import partnership_history
    from partnerships.models import Risk, highest_open_risk

    load()
    load()
    risks = list(Risk.objects.all())
    assert len(risks) == 19
    assert {risk.band for risk in risks} == {"high", "medium", "low"}
    assert {risk.status for risk in risks} == {"open", "closed"}
    assert any(risk.standard for risk in risks) and any(not risk.standard for risk in risks)
    for risk in risks:
        assert risk.partnership.councils.filter(members=risk.owner).exists()  # an owner who can see it
    highest = Partnership.objects.annotate(top=highest_open_risk()).exclude(top=None).values_list("top", flat=True)
    assert {Risk.band_of(score) for score in highest} == {"high", "medium", "low"}
    safety = Partnership.objects.get(name="Community Safety Partnership")
    whats = [change.what for change in partnership_history(safety, user=get_user_model().objects.get(username="member"))]
    assert "Changed the risk “Trust breaks down”" in whats and "Added the risk “Trust breaks down”" in whats


def test_it_builds_finished_scrutiny_packs_once():
    from checklists.models import Assessment
    from register.models import ScrutinyPack

    load(packs=True)
    load(packs=True)
    assert ScrutinyPack.objects.count() == 2
    for pack in ScrutinyPack.objects.all():
        assert pack.status == "ready" and pack.page_count > 5 and pack.done == pack.total > 3
        assert pack.filter_summary
    assert set(ScrutinyPack.objects.values_list("requested_by__username", flat=True)) == {"scrutiny", "member"}
    last_year = Assessment.objects.filter(title__startswith="2025-26", status="approved")
    assert last_year.count() >= 4
    assert {assessment.review_period for assessment in last_year} == {"2025-26"}


def test_it_makes_a_superuser_for_the_operators_jobs_once(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "another-secret-42")
    load()
    operator = authenticate(username="operator", password="another-secret-42")
    assert operator is not None and operator.is_superuser and operator.is_staff
    assert not operator.groups.exists() and not operator.councils.exists()
    operator.set_password("changed-by-the-operator-1")
    operator.save()
    load()
    assert get_user_model().objects.filter(username="operator").count() == 1
    assert authenticate(username="operator", password="changed-by-the-operator-1") is not None


def test_it_prints_every_demo_login_and_the_password():
    from io import StringIO

    from partnerships.demo import data

    out = StringIO()
    call_command("load_demo", stdout=out, packs=False)
    printed = out.getvalue()
    assert "Demo logins (password: register-demo):" in printed
    usernames = [line.split()[0] for line in printed.split("Demo logins", 1)[1].splitlines()[1:]]
    assert usernames == [username for username, *_ in data.USERS] + ["operator"]
    assert {"cmorgan", "pnair", "operator"} <= set(usernames)


def test_the_readme_tells_a_new_user_every_demo_login():
    from pathlib import Path

    from django.conf import settings

    from partnerships.demo import data

    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    table = readme.split("### Demo logins", 1)[1].split("\n\n|", 1)[1].split("\n\n", 1)[0]
    listed = [row.split("`")[1] for row in ("|" + table).splitlines()[2:]]
    assert sorted(listed) == sorted([username for username, *_ in data.USERS] + [data.OPERATOR[0]])
