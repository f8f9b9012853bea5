"""The one guard against CSV injection (common.spreadsheets.neutralise), how values become cells,
and reading rows a chunk at a time."""

from datetime import date, datetime
from datetime import timezone as dt_timezone
from decimal import Decimal

import pytest

from common.spreadsheets import csv_value, in_chunks, neutralise, unneutralise, xlsx_value
from partnerships.models import Partnership
from tests.factories import PartnershipFactory


@pytest.mark.parametrize("text", ["=1+1", "+44 1202 123456", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1",
                                  "=HYPERLINK(\"http://evil.example\",\"Click\")"])
def test_text_a_spreadsheet_would_run_as_a_formula_gets_a_quote_before_it(text):
    assert neutralise(text) == f"'{text}"
    assert csv_value(text) == f"'{text}"
    assert xlsx_value(text) == f"'{text}"


@pytest.mark.parametrize("text", ["Community Safety Partnership", "P-0012", "", "'quoted", " =1", "£32,000"])
def test_other_text_is_left_as_it_is(text):
    assert neutralise(text) == text


def test_numbers_dates_and_lists_become_cells_of_their_kind():
    assert csv_value(Decimal("-5.50")) == "-5.50" and xlsx_value(Decimal("-5.50")) == Decimal("-5.50")
    assert csv_value(date(2026, 11, 24)) == "2026-11-24" and xlsx_value(date(2026, 11, 24)) == date(2026, 11, 24)
    assert csv_value(None) == "" and xlsx_value(None) is None
    assert csv_value("") == "" and xlsx_value("") is None and xlsx_value([]) is None  # an empty cell
    assert csv_value(True) == "Yes" and xlsx_value(False) == "No"
    assert csv_value(["Harbourside", "=Wessex"]) == "Harbourside; =Wessex"  # only a cell's start can run
    assert csv_value(["=Wessex", "Harbourside"]) == "'=Wessex; Harbourside"
    # A moment as the local time (London, in summer an hour ahead), which XLSX holds without a zone.
    moment = datetime(2026, 7, 1, 9, 30, 15, tzinfo=dt_timezone.utc)
    assert csv_value(moment) == "2026-07-01 10:30"
    assert xlsx_value(moment) == datetime(2026, 7, 1, 10, 30)


def test_control_characters_an_xlsx_cannot_hold_are_dropped_from_xlsx_only():
    assert xlsx_value("a\x00b\x0bc") == "abc"
    assert csv_value("a\x0bc") == "a\x0bc"


@pytest.mark.django_db
def test_rows_are_read_a_chunk_at_a_time_with_each_chunks_prefetches(django_assert_num_queries):
    for _ in range(12):
        PartnershipFactory()
    chunks = in_chunks(Partnership.objects.order_by("id").prefetch_related("councils"), chunk_size=5)
    sizes = []
    for chunk in chunks:
        with django_assert_num_queries(0):  # the chunk's councils came with it
            assert all(p.councils.all() for p in chunk)
        sizes.append(len(chunk))
    assert sizes == [5, 5, 2]


@pytest.mark.parametrize("text", ["=1+1", "'=1+1", "''=1+1", "'quoted", "plain", "", "'", "@", "'\t=x"])
def test_unneutralise_gives_back_exactly_what_neutralise_was_given(text):
    assert unneutralise(neutralise(text)) == text
