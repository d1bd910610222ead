import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from reporting.figures import Period
from reporting.models import ReportRequest, ReportStatus

pytestmark = pytest.mark.django_db


def make(user, **kwargs):
    defaults = {
        "requested_by": user,
        "date_from": datetime.date(2019, 4, 1),
        "date_to": datetime.date(2019, 6, 30),
        "language": "en",
    }
    return ReportRequest(**{**defaults, **kwargs})


def test_period_and_string(manager_user):
    request = make(manager_user)
    assert request.period == Period.quarter("2019Q2")
    assert str(request) == "2019Q2 (Excel workbook (XLSX))"


def test_period_must_be_ordered(manager_user):
    with pytest.raises(ValidationError):
        make(manager_user, date_to=datetime.date(2019, 3, 1)).full_clean()


def test_downloadable_only_when_done_with_a_file_not_expired(manager_user):
    request = make(manager_user, status=ReportStatus.DONE, file="reports/x.xlsx")
    assert request.is_downloadable
    request.expires_at = timezone.now() - datetime.timedelta(seconds=1)
    assert request.is_expired and not request.is_downloadable
    assert not make(manager_user, status=ReportStatus.RUNNING, file="reports/x.xlsx").is_downloadable


def test_expired_queryset(manager_user):
    now = timezone.now()
    make(manager_user, expires_at=now - datetime.timedelta(hours=1)).save()
    make(manager_user, expires_at=now + datetime.timedelta(hours=1)).save()
    make(manager_user).save()
    assert ReportRequest.objects.expired(now).count() == 1
