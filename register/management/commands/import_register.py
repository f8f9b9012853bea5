"""`manage.py import_register FILE --user USERNAME [--dry-run]`: the register import from the
command line (issue 16), as the import page does it.

It prints the same preview — partnerships to register, to update (with each change) and
unchanged, what would be added, every problem by row and column — then, unless --dry-run,
writes it: every row or none, in the history as imported by USERNAME, within their
councils. It exits with status 1 when the file has problems (nothing is written), so a
script can tell. The command takes up to 10,000 partnerships a file (the page, 2,000).
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from register.import_files import MAX_BYTES
from register.imports import can_import_register, import_register


class Command(BaseCommand):
    help = "Import partnerships from a CSV or XLSX file in the layout of the register's download."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The CSV or XLSX file.")
        parser.add_argument("--user", dest="username", metavar="USERNAME",
                            help="The administrator the import is made as: only their councils' partnerships "
                                 "are imported, and the history records them.")
        parser.add_argument("--dry-run", action="store_true", help="Show what the import would do; write nothing.")

    def handle(self, *, file, username, dry_run, **options):
        user = self._administrator(username)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"There is no file {file!r}.")
        with path.open("rb") as opened:
            content = opened.read(MAX_BYTES + 1)
        plan, written = import_register(filename=path.name, content=content, user=user, dry_run=dry_run)
        self._preview(plan.summary())
        if plan.problems:
            raise CommandError(f"{len(plan.problems)} problem{'s' if len(plan.problems) != 1 else ''}: nothing has "
                               "been written.")
        if dry_run:
            self.stdout.write("Dry run: nothing has been written.")
        elif written:
            self.stdout.write(self.style.SUCCESS(f"Imported {path.name}."))
        else:  # the register changed between planning and writing: never, as one transaction does both
            raise CommandError("Nothing has been written: run the command again.")

    def _administrator(self, username):
        if not username:
            raise CommandError("Name the administrator the import is made as, with --user USERNAME: only their "
                               "councils' partnerships are imported, and the history records them.")
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None or not can_import_register(user):
            raise CommandError(f"{username!r} is not the username of an active administrator.")
        return user

    def _preview(self, summary: dict):
        out = self.stdout.write
        out(f"{summary['filename']}: {len(summary['create']):,} to register, {len(summary['update']):,} to update, "
            f"{len(summary['unchanged']):,} unchanged.")
        for kind, names in summary["new"].items():
            if names:
                out(f"New {kind}{'s' if len(names) != 1 else ''} to add: {', '.join(names)}.")
        for row in summary["create"]:
            out(f"  Row {row['row']}: register {row['name']}" + (f" as {row['reference']}" if row["reference"] else ""))
        for row in summary["update"]:
            out(f"  Row {row['row']}: update {row['name']} ({row['reference']})")
            for heading, before, after in row["changes"]:
                out(f"      {heading}: “{before}” to “{after}”")
        for problem in summary["problems"]:
            self.stderr.write(problem["text"])
