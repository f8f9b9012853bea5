"""`manage.py set_councils USERNAME COUNCIL…`: the councils a person belongs to.

Councils are named by name or short name, in any case ("Harbourside", "wessex vale").
The person then belongs to exactly those (or, with --add, to those as well).
`manage.py set_councils USERNAME` alone lists their councils.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q

from partnerships.models import Council


class Command(BaseCommand):
    help = "Set the councils a person belongs to: they see the partnerships those councils take part in."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("councils", nargs="*", metavar="COUNCIL", help="A council's name or short name.")
        parser.add_argument("--add", action="store_true", help="Add these councils to the person's, keeping theirs.")

    @transaction.atomic
    def handle(self, username, councils, add=False, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no account with the username {username!r}.")
        if councils:
            chosen = [self._council(name) for name in councils]
            if add:
                user.councils.add(*chosen)
            else:
                user.councils.set(chosen)
        names = [council.name for council in user.councils.order_by("name")]
        belongs = ", ".join(names) if names else "no council"
        note = " (a superuser sees every council's partnerships)" if user.is_superuser else ""
        self.stdout.write(f"{username} belongs to {belongs}{note}.")

    def _council(self, name: str) -> Council:
        found = Council.objects.filter(Q(name__iexact=name) | Q(short_name__iexact=name)).first()
        if found is None:
            known = "; ".join(f"{c.name} ({c.short_name})" for c in Council.objects.order_by("name"))
            raise CommandError(f"There is no council called {name!r}. The councils are: {known or 'none yet'}.")
        return found
