from django.core.management.base import BaseCommand

from duos.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, DemoBuilder, demo_delete, demo_loaded
from duos.models import Duo


class Command(BaseCommand):
    help = (
        "Load the synthetic demo data that reproduces the 2018 press release's counts, and one demo "
        "account per role. Idempotent: does nothing when the demo partners exist (use --reset to reload)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="Delete the demo data first, then load it again.")

    def handle(self, *args, reset=False, **options):
        if reset and demo_loaded():
            demo_delete()
            self.stdout.write("Deleted the previous demo data.")
        if demo_loaded():
            self.stdout.write(f"Demo data already loaded ({Duo.objects.count()} duos); nothing to do.")
        else:
            counts = DemoBuilder(stdout=self.stdout).build()
            self.stdout.write(
                self.style.SUCCESS(
                    "Loaded demo data: {partners} partners, {duos} duos, {meetings} meetings, "
                    "{mentors} mentors, {mentees} mentees.".format(**counts)
                )
            )
        self.stdout.write(f"Demo accounts (password: {DEMO_PASSWORD}):")
        for username, role, partner, superuser in DEMO_ACCOUNTS:
            what = "administrator (Django admin)" if superuser else (f"{role} of {partner}" if partner else role)
            self.stdout.write(f"  {username:<10} {what}")
