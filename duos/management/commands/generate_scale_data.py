"""``python manage.py generate_scale_data --duos 100000 [--partners 10] [--seed N] [--reset]``:
synthetic data at the size the application must hold. What it writes, and
how, is described in ``duos.scale_data``."""

import datetime
import time

from django.core.management.base import BaseCommand, CommandError

from duos.scale_data import ScaleDataError, ScaleDataGenerator


class Command(BaseCommand):
    help = (
        "Generate synthetic partners, programmes, conventions, mentors, mentees, duos, meetings and "
        "outcomes at scale (default 100,000 duos over 2016-2025, about 25 meetings each). Deterministic "
        "for a given --seed. Uses COPY on PostgreSQL, bulk_create elsewhere. Refuses to run when scale "
        "data exist unless --reset is given, which deletes them first. Bulk inserts write no "
        "django-simple-history rows (no audit trail for synthetic data). Runs ANALYZE at the end."
    )

    def add_arguments(self, parser):
        parser.add_argument("--duos", type=int, default=100_000, help="Number of duos (default 100000).")
        parser.add_argument("--partners", type=int, default=10, help="Number of partners (default 10).")
        parser.add_argument("--seed", type=int, default=42, help="Random seed (default 42).")
        parser.add_argument(
            "--start", type=datetime.date.fromisoformat, default=datetime.date(2016, 1, 1), help="First start date."
        )
        parser.add_argument(
            "--end",
            type=datetime.date.fromisoformat,
            default=datetime.date(2025, 12, 31),
            help="Last start date; the data describe the world as of this day.",
        )
        parser.add_argument(
            "--reset", action="store_true", help="Delete previously generated scale data first, then generate."
        )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]
        started = time.monotonic()
        try:
            generator = ScaleDataGenerator(
                seed=options["seed"],
                first_day=options["start"],
                as_of=options["end"],
                log=self.stdout.write if verbosity >= 1 else None,
                progress=verbosity > 0,
            )
            counts = generator.run(n_duos=options["duos"], n_partners=options["partners"], reset=options["reset"])
        except ScaleDataError as exc:
            raise CommandError(str(exc)) from exc
        elapsed = time.monotonic() - started
        summary = ", ".join(f"{count:,} {name}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Generated {summary} in {elapsed:.1f} s."))
