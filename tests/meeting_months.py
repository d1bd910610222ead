"""What ``reporting.MeetingMonth`` holds, beside what it should hold counted
from the meetings: for tests of every writer of meetings (services, bulk
loads, ``COPY``)."""

import datetime

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from duos.models import Meeting
from reporting.models import MeetingMonth


def kept():
    """``{(duo id, first day of month): held meetings}`` as the table holds them
    (and each row's ``month_end`` is its month's last day)."""
    rows = MeetingMonth.objects.values_list("duo_id", "month", "month_end", "held_meetings")
    for _duo, month, month_end, _held in rows:
        assert month.day == 1 and (month_end + datetime.timedelta(days=1)).day == 1 and month_end.month == month.month
    return {(duo, month): held for duo, month, _end, held in rows}


def counted():
    """The same, counted from the meetings: held ones, one per duo and day
    (``Meeting.objects.for_cadence``)."""
    rows = (
        Meeting.objects.for_cadence()
        .annotate(month=TruncMonth("date"))
        .values("duo_id", "month")
        .annotate(n=Count("pk"))
    )
    return {
        (row["duo_id"], row["month"].date() if hasattr(row["month"], "date") else row["month"]): row["n"]
        for row in rows
    }


def one_counting_meeting_per_held_day():
    """Whether each (duo, day) with a held meeting has exactly one that counts."""
    days = (
        Meeting.objects.held()
        .order_by()
        .values("duo_id", "date")
        .annotate(n=Count("pk", filter=Q(counts_for_cadence=True)))
    )
    return not days.exclude(n=1).exists()
