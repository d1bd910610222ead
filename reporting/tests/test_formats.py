"""The exporter registry (``reporting.exporters.EXPORTERS``) is the only list
of report formats: the request's field, the request form and the ``report``
command all read it, so a new exporter is one registered class."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from reporting.exporters import DEFAULT_FORMAT, EXPORTERS, Exporter, register
from reporting.forms import ReportRequestForm
from reporting.management.commands.report import Command as ReportCommand
from reporting.models import ReportRequest

REQUESTABLE = {identifier for identifier, exporter in EXPORTERS.items() if exporter.requestable}


@pytest.fixture
def ods_exporter():
    """A format registered for the length of one test."""

    @register
    class OdsExporter(Exporter):
        identifier = "ods"
        title = "OpenDocument spreadsheet"
        extension = "ods"

    yield EXPORTERS["ods"]
    del EXPORTERS["ods"]


def format_choices_of(form):
    return [value for value, _label in form.fields["format"].choices]


def test_the_request_field_offers_the_requestable_exporters():
    field = ReportRequest._meta.get_field("format")
    assert {value for value, _label in field.choices} == REQUESTABLE
    assert field.get_default() == DEFAULT_FORMAT
    assert "json" in EXPORTERS and "json" not in REQUESTABLE  # the command's format only


def test_the_form_offers_what_the_user_may_run(client, hand_counted, manager_user):
    client.force_login(manager_user)
    form = client.get(reverse("reporting:report_create")).context["form"]
    choices = format_choices_of(form)
    assert set(choices) == {identifier for identifier in REQUESTABLE if EXPORTERS[identifier].may_run(manager_user)}
    assert choices[0] == DEFAULT_FORMAT


def test_the_command_offers_every_exporter():
    parser = ReportCommand().create_parser("manage.py", "report")
    action = next(action for action in parser._actions if action.dest == "format")
    assert set(action.choices) == set(EXPORTERS)


def test_a_registered_exporter_is_offered_everywhere(db, manager_user, ods_exporter):
    assert "ods" in dict(ReportRequest._meta.get_field("format").choices)
    assert "ods" in format_choices_of(ReportRequestForm(user=manager_user))
    request = ReportRequest(format="ods")
    with pytest.raises(ValidationError) as caught:
        request.full_clean()
    assert "format" not in caught.value.error_dict  # a valid choice, unlike an unknown one
    request.format = "odt"
    with pytest.raises(ValidationError) as caught:
        request.full_clean()
    assert "format" in caught.value.error_dict
