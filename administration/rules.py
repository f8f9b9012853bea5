"""Object rules of council administration (loaded by the rules package's autodiscovery)."""

import rules

from administration.people import may_change
from partnerships.permissions import is_administrator


@rules.predicate
def administers(user) -> bool:
    return is_administrator(user)


@rules.predicate
def may_change_person(user, person) -> bool:
    return person is not None and may_change(user, person)


rules.add_perm("administration.change_person", administers & may_change_person)
