"""A person is named one way everywhere (common.people.display_name and its filter)."""

from django.contrib.auth import get_user_model
from django.template import Context, Template

from common.people import display_name, name_from_parts

User = get_user_model()


def _rendered(text, **context):
    return Template("{% load people %}" + text).render(Context(context))


def test_it_gives_the_full_name():
    assert display_name(User(username="apatel", first_name="Ada", last_name="Patel")) == "Ada Patel"


def test_it_gives_the_username_of_a_person_with_no_name():
    assert display_name(User(username="apatel")) == "apatel"


def test_it_gives_the_one_name_a_person_has():
    assert display_name(User(username="apatel", last_name="Patel")) == "Patel"


def test_it_gives_the_placeholder_for_nobody():
    assert display_name(None) == ""
    assert display_name(None, "Not recorded") == "Not recorded"


def test_it_names_from_columns_as_from_a_person():
    assert name_from_parts("Ada", "Patel", "apatel") == "Ada Patel"
    assert name_from_parts("", "", "apatel") == "apatel"


def test_the_filter_names_a_person_as_the_function_does():
    assert _rendered("{{ p|display_name }}", p=User(username="apatel", first_name="Ada", last_name="Patel")) == "Ada Patel"
    assert _rendered("{{ p|display_name }}", p=User(username="apatel")) == "apatel"


def test_the_filter_gives_its_placeholder_for_nobody_or_a_missing_variable():
    assert _rendered('{{ p|display_name:"Not recorded" }}', p=None) == "Not recorded"
    assert _rendered('{{ missing|display_name:"Not recorded" }}') == "Not recorded"
    assert _rendered("{{ missing|display_name }}") == ""
