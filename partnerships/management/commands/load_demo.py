from django.core.management.base import BaseCommand

from partnerships.demo import data, loader
from partnerships.demo.assessments import load_assessments
from partnerships.demo.packs import load_packs


class Command(BaseCommand):
    help = "Load the fictional demo register and one demo user per role (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--partnerships", type=int, default=0, metavar="N",
            help="Also generate N synthetic partnerships, for benchmarks.",
        )
        parser.add_argument(
            "--no-packs", action="store_false", dest="packs",
            help="Skip building the demo scrutiny packs (they take a few seconds).",
        )

    def handle(self, *args, partnerships, packs, **options):
        councils, themes, organisations = loader.load_reference_data()
        users = loader.load_users(councils)
        added = loader.load_partnerships(councils, themes, organisations, users)
        assessments = load_assessments(users)
        built = load_packs(users) if packs else 0
        if partnerships:
            added += loader.load_synthetic(partnerships, councils, themes, organisations, users)
        self.stdout.write(self.style.SUCCESS(
            f"Demo register ready: {added} partnership(s), {assessments} assessment(s) "
            f"and {built} scrutiny pack(s) added."
        ))
        self.stdout.write("Demo logins (password: %s):" % loader.demo_password())
        names = {"H": "Harbourside", "W": "Wessex Vale", "HW": "both councils"}
        for username, _first, _last, role, belongs_to in data.USERS:
            self.stdout.write(f"  {username:<10} {role:<14} {names[belongs_to]}")
