import resource
import time

from django.core.management.base import BaseCommand

from administration.demo import load_administration, lock_out_for_the_demo
from partnerships.demo import data, loader
from partnerships.demo.assessments import load_assessments
from partnerships.demo.packs import load_packs


class Command(BaseCommand):
    help = "Load the fictional demo register, one demo user per role and a superuser (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--partnerships", type=int, default=0, metavar="N",
            help="Also generate N synthetic partnerships with their assessments, for benchmarks.",
        )
        parser.add_argument(
            "--councils", type=int, default=0, metavar="N",
            help="Generate councils until there are N in all (317: every English council), each with four "
                 "officers named officer-<council>-<n>; the synthetic partnerships are spread over them.",
        )
        parser.add_argument(
            "--no-packs", action="store_false", dest="packs",
            help="Skip building the demo scrutiny packs (they take a few seconds).",
        )

    def handle(self, *args, partnerships, councils, packs, **options):
        councils_by_name, themes, organisations = loader.load_reference_data()
        users = loader.load_users(councils_by_name)
        loader.load_operator()
        added = loader.load_partnerships(councils_by_name, themes, organisations, users)
        assessments = load_assessments(users)
        risks = loader.load_risks(users)
        built = load_packs(users) if packs else 0
        load_administration(users)
        lock_out_for_the_demo()
        if partnerships or councils:
            started = time.perf_counter()
            made = loader.load_synthetic(partnerships, councils=councils)
            added += made["partnerships"]
            peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            self.stdout.write(
                f"Generated {made['councils']} council(s), {made['officers']} council officer(s) in all and "
                f"{made['partnerships']} partnership(s) with their assessments in "
                f"{time.perf_counter() - started:.1f} s (peak memory {peak_mb:.0f} MB)."
            )
        self.stdout.write(self.style.SUCCESS(
            f"Demo register ready: {added} partnership(s), {assessments} assessment(s), {risks} risk(s) "
            f"and {built} scrutiny pack(s) added."
        ))
        self.stdout.write("Demo logins (password: %s):" % loader.demo_password())
        names = {"H": "Harbourside", "W": "Wessex Vale", "HW": "both councils"}
        for username, _first, _last, role, belongs_to in data.USERS:
            self.stdout.write(f"  {username:<10} {role:<14} {names[belongs_to]}")
        self.stdout.write(f"  {data.OPERATOR[0]:<10} {'Superuser':<14} every council, and the Django admin")
