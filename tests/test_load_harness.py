"""`make load`'s own arithmetic and its check of the database afterwards (benchmarks/load.py,
benchmarks/load_plan.py): a lost answer or a pack built twice must be reported, never missed."""

import json

import pytest
from django_tasks_db.models import DBTaskResult

from benchmarks import load, load_plan
from checklists.models import Answer
from register.models import ScrutinyPack
from tests.checklists.factories import questions_of, start
from tests.factories import PartnershipFactory
from tests.register.test_packs import approved, ask_for_pack, run_worker  # noqa: F401 - a fixture


def test_percentiles_are_the_nearest_rank():
    values = list(range(1, 101))
    assert [load.percentile(values, p) for p in (50, 95, 99, 100)] == [50, 95, 99, 100]
    assert load.percentile([7.0], 99) == 7.0
    assert load.percentile([], 50) == 0.0


def test_figures_count_rate_errors_and_the_servers_own_time():
    requests = [("register", 10.0, True), ("register", 30.0, True), ("register", 500.0, False)]
    row = load.figures("register", requests, seconds=2.0, server=[4.0, 6.0])
    assert (row["requests"], row["rps"], row["errors"], row["p50"], row["server"]) == (3, 1.5, 1, 30.0, 5.0)


def test_the_access_log_is_read_by_kind_and_part():
    ceiling = "GET|/accounts/login/||200|1500\n"
    mix = [
        "GET|/register/||200|40000",
        "GET|/register/|page=2&sort=-next_review|200|42000",  # paging and sorting are not filters
        "GET|/register/|scope=strategic|200|50000",
        "GET|/assessments/7/pdf/||200|300000",
        "POST|/assessments/7/sections/2/||302|20000",
        "GET|/static/app.css||200|100",  # not a kind the load asks for
        "a line that is not the log's format",
    ]
    paced = ["GET|/partnerships/12/||200|15000", "GET|/register/|q=housing|200|30000"]
    mix_end = len(ceiling.encode()) + sum(len(line.encode()) + 1 for line in mix)
    times = load.server_times([ceiling.strip(), *mix, *paced],
                              phases=[("ceiling", len(ceiling.encode())), ("mix", mix_end), ("paced", None)])
    assert times == {
        ("ceiling", "sign-in page"): [1.5],
        ("mix", "register"): [40.0, 42.0],
        ("mix", "register, filtered"): [50.0],
        ("mix", "assessment PDF"): [300.0],
        ("mix", "save answers"): [20.0],
        ("paced", "partnership page"): [15.0],
        ("paced", "register, filtered"): [30.0],
    }


@pytest.fixture
def files(tmp_path):
    def write(plan, record):
        (tmp_path / "plan.json").write_text(json.dumps(plan))
        (tmp_path / "record.json").write_text(json.dumps(record))
        return str(tmp_path / "plan.json"), str(tmp_path / "record.json")
    return write


def checked(capsys, files, plan, record, media_root):
    status = load_plan.check(*files(plan, record), str(media_root))
    return status, json.loads(capsys.readouterr().out)


@pytest.mark.django_db
def test_the_check_finds_every_saved_answer_and_reports_one_lost(capsys, files, officer, media_root):
    draft = start(PartnershipFactory(), officer)
    first, second = questions_of(draft)[:2]
    for question, text in ((first, "the last text saved"), (second, "kept")):
        Answer.objects.create(assessment=draft, question=question, narrative=text)
    record = {"saves": [
        {"assessment": draft.pk, "answers": {str(first.pk): "an earlier text", str(second.pk): "kept"}},
        {"assessment": draft.pk, "answers": {str(first.pk): "the last text saved"}},
    ], "packs": []}
    plan = {"scrutiny": []}
    status, result = checked(capsys, files, plan, record, media_root)
    assert status == 0 and result["faults"] == []
    assert (result["saves"], result["questions"], result["answers_in_database"]) == (2, 2, 2)

    Answer.objects.filter(assessment=draft, question=first).update(narrative="an earlier text")  # the last save lost
    status, result = checked(capsys, files, plan, record, media_root)
    assert status == 1 and result["answers_in_database"] == 1
    assert result["faults"] == [f"answer to question {first.pk} of assessment {draft.pk} is not the last one saved"]


@pytest.mark.django_db
def test_the_check_passes_a_pack_built_once_and_reports_one_claimed_twice(
        capsys, files, client, scrutiny, officer, administrator, media_root, run_worker):  # noqa: F811 - a fixture
    approved(PartnershipFactory(name="Coastal Flood Board", scope="strategic"), officer, administrator)
    client.force_login(scrutiny)
    pack, _page = ask_for_pack(client, query="scope=strategic")
    run_worker()
    plan, record = {"scrutiny": [{"username": scrutiny.username}]}, {"saves": [], "packs": [pack.pk]}
    status, result = checked(capsys, files, plan, record, media_root)
    assert status == 0 and result["faults"] == [] and result["packs_built_once"] == 1

    DBTaskResult.objects.filter(id=pack.task_id).update(worker_ids=["worker-a", "worker-b"])
    status, result = checked(capsys, files, plan, record, media_root)
    assert status == 1 and result["packs_built_once"] == 0
    assert "claimed by 2 workers" in result["faults"][0]


@pytest.mark.django_db
def test_the_check_reports_a_pack_that_failed_or_never_reached_the_database(
        capsys, files, client, scrutiny, officer, administrator, media_root):
    approved(PartnershipFactory(name="Coastal Flood Board", scope="strategic"), officer, administrator)
    client.force_login(scrutiny)
    pack, _page = ask_for_pack(client, query="scope=strategic")
    ScrutinyPack.objects.filter(pk=pack.pk).update(status=ScrutinyPack.Status.FAILED, error="It stopped")
    plan, record = {"scrutiny": [{"username": scrutiny.username}]}, {"saves": [], "packs": [pack.pk, 999999]}
    status, result = checked(capsys, files, plan, record, media_root)
    assert status == 1
    assert result["faults"] == ["pack 999999 was queued but is not in the database",
                                f"pack {pack.pk} is failed, not ready (It stopped)"]
