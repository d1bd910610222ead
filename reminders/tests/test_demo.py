"""On a fresh demo, ``send_reminders --dry-run`` prints a digest for both
coordinators, listing exactly the duos and follow-ups their home page lists;
and the demo's follow-ups are consistent with the duos they follow.

The demo is loaded once for the class (``setUpTestData``): it takes seconds.
"""

import re
from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import F
from django.test import TestCase
from django.urls import reverse

from duos.models import Duo
from followups.models import FollowUp
from programmes.models import Partner


class DemoRemindersTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo_data", stdout=StringIO())

    def test_dry_run_lists_what_the_home_page_lists(self):
        out = StringIO()
        call_command("send_reminders", "--dry-run", stdout=out)
        output = out.getvalue()
        digests = dict(
            re.findall(r"=== To: (\S+) <[^>]+> \(coordinator[^\n]*\n(.*?)(?=\n=== To:|\n= |\nDry run)", output, re.S)
        )
        self.assertEqual(set(digests), {"duo", "team4job"})
        for username, body in digests.items():
            self.client.force_login(get_user_model().objects.get(username=username))  # coordinators: no second factor
            home = self.client.get(reverse("home"))
            listed = {reminder.key: [f"#{row.pk}" for row in reminder.rows] for reminder in home.context["reminders"]}
            self.assertTrue(listed["follow_ups_due"], username)  # the demo has follow-ups due now
            in_digest = {}
            for title, rows in re.findall(r"== (.+?): \d+ ==\n(.*?)(?=\n== |\n--)", body, re.S):
                in_digest[title] = re.findall(r"\((#\d+)\)", rows)
            titles = {str(reminder.title): reminder.key for reminder in home.context["reminders"]}
            self.assertEqual(
                {titles[title]: ids for title, ids in in_digest.items()},
                {key: ids for key, ids in listed.items() if ids},
                username,
            )

    def test_follow_ups_follow_their_duos(self):
        self.assertTrue(FollowUp.objects.filter(duo__end_date__year=2018).exists())
        self.assertTrue(FollowUp.objects.filter(duo__end_date__year=2019).exists())
        self.assertFalse(FollowUp.objects.exclude(duo__status="closed").exists())
        self.assertFalse(FollowUp.objects.filter(date__lt=F("duo__end_date")).exists())
        self.assertFalse(FollowUp.objects.filter(situation="job", contract_type="").exists())
        for partner in Partner.objects.all():
            self.assertTrue(Duo.objects.filter(partner=partner, status="closed").exists())
