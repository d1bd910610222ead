"""``python manage.py import_records``: the spreadsheet import from the command line.

    python manage.py import_records records-2019.xlsx --partner duo-for-a-job --dry-run
    python manage.py import_records mentees.csv --partner team4job --language fr

The same reading and the same run as the upload page: every row through the
services, in one transaction, all or nothing. ``--dry-run`` is the preview:
it prints what would be created and updated and every error, and writes
nothing. Without it the records are written if no row has an error. The
exit status is 1 when the file is refused or has errors, 0 otherwise.
The command runs with the server's rights: the history names no user unless
``--user`` gives one.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from programmes.models import Partner

from ...engine import import_rows
from ...reader import FileRejected, read_spreadsheet


class Command(BaseCommand):
    help = "Import mentors, mentees, duos, meetings and outcomes of a partner from the XLSX template or a CSV sheet."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The filled-in template (.xlsx) or one sheet as CSV.")
        parser.add_argument("--partner", required=True, help="Slug of the partner whose records these are.")
        parser.add_argument("--dry-run", action="store_true", help="Check and report; write nothing.")
        parser.add_argument("--language", default="en", help="Language of the messages: fr, nl or en.")
        parser.add_argument("--user", help="Username the history of the written records names.")

    def handle(self, *args, **options):
        try:
            partner = Partner.objects.get(slug=options["partner"])
        except Partner.DoesNotExist as exc:
            raise CommandError(f"No partner with the slug {options['partner']!r}.") from exc
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No user {options['user']!r}.")
        with translation.override(options["language"]):
            try:
                with open(options["file"], "rb") as file:
                    parsed = read_spreadsheet(file)
            except FileNotFoundError as exc:
                raise CommandError(f"No such file: {options['file']}") from exc
            except FileRejected as exc:
                for message in exc.messages:
                    self.stderr.write(message)
                raise CommandError("The file was refused; nothing was written.") from exc
            report = import_rows(
                partner=partner,
                parsed=parsed,
                commit=not options["dry_run"],
                user=user,
                progress=self._progress if options["verbosity"] > 1 else None,
            )
            self._print(report.as_dict())
        if report.has_errors:
            raise CommandError(f"{len(report.errors)} errors; nothing was written.")
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was written.")
        else:
            self.stdout.write(self.style.SUCCESS("Imported."))

    def _progress(self, done, total):
        self.stderr.write(f"{done}/{total} rows", ending="\r")

    def _print(self, result):
        for notice in result["notices"]:
            self.stdout.write(notice)
        for sheet in result["sheets"]:
            self.stdout.write(
                f"{sheet['name']}: {sheet['rows']} rows, {sheet['create']} to create, {sheet['update']} to update, "
                f"{sheet['unchanged']} unchanged, {sheet['error']} with errors"
            )
        for error in result["errors"]:
            column = f", {error['column']}" if error["column"] else ""
            self.stderr.write(f"{error['sheet']}, row {error['row']}{column}: {error['message']}")
