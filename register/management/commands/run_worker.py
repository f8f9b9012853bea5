from django.core.management.base import BaseCommand

from register import worker


class Command(BaseCommand):
    help = ("Run the background worker that builds scrutiny packs: django-tasks-db's db_worker, "
            "kept running through database errors, with a heartbeat, and failing tasks whose worker died.")

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0,
                            help="Seconds to wait between looks for queued tasks (default: 1).")
        parser.add_argument("--batch", action="store_true", help="Run what is queued, then stop.")

    def handle(self, *, interval, batch, verbosity, **options):
        worker.run(interval=max(interval, 0.0), batch=batch)
