"""Pseudonymise the people whose last duo closed more than RETENTION_YEARS ago.

python manage.py apply_retention --dry-run     # list who would be affected
python manage.py apply_retention               # do it (the nightly task does the same)
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from privacy.services import retention_apply, retention_cutoff


class Command(BaseCommand):
    help = "Pseudonymise mentees and mentors past the retention period (RETENTION_YEARS)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List who would be affected; change nothing.")
        parser.add_argument(
            "--years", type=int, default=None, help=f"Instead of RETENTION_YEARS ({settings.RETENTION_YEARS})."
        )

    def handle(self, *args, dry_run, years, **options):
        cutoff = retention_cutoff(years=years)
        affected = retention_apply(years=years, dry_run=dry_run)
        verb = "Would pseudonymise" if dry_run else "Pseudonymised"
        self.stdout.write(f"Last duo closed before {cutoff.isoformat()}:")
        for kind, people in affected.items():
            self.stdout.write(f"{verb} {len(people)} {kind}(s)")
            if dry_run:
                for pk, partner_id in people:
                    self.stdout.write(f"  {kind} #{pk} (partner #{partner_id})")
