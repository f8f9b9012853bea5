"""`manage.py import_register` (issue 16): the same preview as the page, written unless
--dry-run, a non-zero exit when the file has problems."""

import io

import pytest
from django.core.management import CommandError, call_command

from partnerships.models import Partnership
from register.import_files import MAX_ROWS
from tests.factories import CouncilFactory, PartnershipFactory, UserFactory
from tests.register.test_imports import a_row, csv_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada():
    harbourside = CouncilFactory(name="Harbourside Borough Council", short_name="Harbourside")
    UserFactory(username="olivia", first_name="Olivia", last_name="Okafor", role="Officer", councils=[harbourside])
    return UserFactory(username="ada", first_name="Ada", last_name="Patel", role="Administrator",
                       councils=[harbourside])


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_register", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_writes_the_file_as_that_administrator(ada, tmp_path):
    existing = PartnershipFactory(name="Harbour Board")
    path = tmp_path / "register.csv"
    path.write_bytes(csv_file(a_row(), a_row(Reference=existing.reference, Name="Harbour Board renamed",
                                             Partners="", Themes="", **{"Lead officer": existing.lead_officer.username})))
    out, err = run(str(path), "--user", "ada")
    assert "register.csv: 1 to register, 1 to update, 0 unchanged." in out
    assert "Name: “Harbour Board” to “Harbour Board renamed”" in out
    assert "New organisation to add: Coastguard." in out
    assert "Imported register.csv." in out and err == ""
    assert Partnership.objects.get(pk=existing.pk).name == "Harbour Board renamed"
    record = Partnership.objects.get(name="Coastal Forum").history.first()
    assert record.history_user == ada and record.history_change_reason == "Imported from register.csv by Ada Patel"


def test_a_dry_run_writes_nothing(ada, tmp_path):
    path = tmp_path / "register.csv"
    path.write_bytes(csv_file(a_row()))
    out, _err = run(str(path), "--user", "ada", "--dry-run")
    assert "1 to register" in out and "Dry run: nothing has been written." in out
    assert not Partnership.objects.exists()


def test_problems_are_printed_and_the_command_fails(ada, tmp_path):
    path = tmp_path / "register.csv"
    path.write_bytes(csv_file(a_row(), a_row(**{"End date": "someday"})))
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 problem: nothing has been written."):
        call_command("import_register", str(path), "--user", "ada", stdout=io.StringIO(), stderr=err)
    assert "Row 3, End date: “someday” is not a date: write it as 31/03/2027 or 2027-03-31" in err.getvalue()
    assert not Partnership.objects.exists()


def test_a_bad_file_fails_in_words(ada, tmp_path):
    path = tmp_path / "register.xlsx"
    path.write_bytes(b"not a spreadsheet")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_register", str(path), "--user", "ada", stdout=io.StringIO(), stderr=err)
    assert "The file is not an XLSX spreadsheet" in err.getvalue()


def test_it_exits_non_zero_from_the_shell(ada, tmp_path):
    """As a script sees it: CommandError is status 1."""
    path = tmp_path / "register.csv"
    path.write_bytes(b"nonsense")
    with pytest.raises(SystemExit) as exited:
        from django.core.management import ManagementUtility
        ManagementUtility(["manage.py", "import_register", str(path), "--user", "ada"]).execute()
    assert exited.value.code == 1


@pytest.mark.parametrize("username, message", [(None, "Name the administrator the import is made as"),
                                               ("olivia", "'olivia' is not the username of an active administrator"),
                                               ("nobody", "'nobody' is not the username of an active administrator")])
def test_it_needs_an_administrator(ada, tmp_path, username, message):
    path = tmp_path / "register.csv"
    path.write_bytes(csv_file(a_row()))
    with pytest.raises(CommandError, match=message):
        run(str(path), *(["--user", username] if username else []))


def test_ten_thousand_rows_are_checked_from_the_command_line(ada, tmp_path):
    path = tmp_path / "register.csv"
    path.write_bytes(csv_file(*(a_row(Name=f"Partnership {n}") for n in range(MAX_ROWS))))
    out, err = run(str(path), "--user", "ada", "--dry-run")
    assert "register.csv: 10,000 to register, 0 to update, 0 unchanged." in out and err == ""
