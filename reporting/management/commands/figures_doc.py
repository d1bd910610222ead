"""``python manage.py figures_doc``: write ``docs/figures.md`` from the figure
registry (``--check``: exit 1 when the committed page is not current)."""

from django.core.management.base import BaseCommand, CommandError

from reporting.figures.docs import DOC_PATH, figures_markdown


class Command(BaseCommand):
    help = "Write docs/figures.md from the figure registry."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Only check that the page is current.")

    def handle(self, *args, **options):
        text = figures_markdown()
        current = DOC_PATH.read_text(encoding="utf-8") if DOC_PATH.exists() else ""
        if options["check"]:
            if current != text:
                raise CommandError(f"{DOC_PATH} is not current: run python manage.py figures_doc")
            return
        DOC_PATH.parent.mkdir(parents=True, exist_ok=True)
        DOC_PATH.write_text(text, encoding="utf-8")
        self.stderr.write(f"Wrote {DOC_PATH}.")
