"""The figure registry is the one home of every figure: its entries are
complete, ``docs/figures.md`` is written from them, and a new entry reaches
the figure set, the exports and the drill-down without touching them."""

import io
import json

import pytest
from django.core.management import call_command
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import Promise

from reporting import figures as f
from reporting.figures import REGISTRY, FigureContext, FigureDefinition, Period, Unit
from reporting.figures.docs import DOC_PATH, figures_markdown
from reporting.figures.families import FAMILIES
from reporting.figures.predicates import closed_duos, outcome_is
from reporting.figures.registry import DUO_ROWS, register

from .walk import walk_dashboard

Q1 = Period.quarter("2019Q1")


def test_the_committed_page_is_current():
    assert DOC_PATH.read_text(encoding="utf-8") == figures_markdown(), "run: python manage.py figures_doc"


def test_figures_doc_check(tmp_path):
    call_command("figures_doc", "--check", stderr=io.StringIO())


@pytest.mark.parametrize("definition", list(REGISTRY.values()), ids=list(REGISTRY))
def test_every_entry_is_complete(definition):
    assert definition.family in FAMILIES
    assert definition.version
    for text in (definition.label, definition.numerator_text, definition.denominator_text, *definition.choices):
        assert isinstance(text, Promise)  # translatable
    assert definition.unit in Unit.values
    for key in definition.quality:
        assert REGISTRY[key].is_count
    if definition.family == DUO_ROWS:
        context = FigureContext(period=Q1)
        assert isinstance(definition.numerator(context), Q)
        assert definition.is_count == (definition.denominator is None)


def test_a_key_is_registered_once():
    with pytest.raises(ValueError):
        register(REGISTRY["employment_rate"])


TRAINING_RATE = FigureDefinition(
    key="training_rate",
    label="Training rate",
    unit=Unit.PERCENT,
    numerator_text="closed duos whose primary outcome is a training",
    denominator_text="closed duos",
    family=DUO_ROWS,
    numerator=lambda context: closed_duos(context) & outcome_is("training"),
    denominator=closed_duos,
    version="1",
)


@pytest.mark.django_db
def test_one_entry_adds_a_figure_everywhere(client, hand_counted, manager_user, monkeypatch):
    monkeypatch.setitem(REGISTRY, TRAINING_RATE.key, TRAINING_RATE)
    client.force_login(manager_user)
    response = client.get(reverse("reporting:dashboard"), {"quarter": "2019Q1"})
    total = response.context["figures"].total["training_rate"]
    assert (total.numerator, total.denominator) == (1, 7)  # d4
    assert "Training rate" in response.content.decode()
    walked, mismatches = walk_dashboard(client, {"quarter": "2019Q1"})
    assert mismatches == []
    out = io.StringIO()
    call_command("report", "--quarter", "2019Q1", stdout=out, stderr=io.StringIO())
    payload = json.loads(out.getvalue())
    assert payload["total"]["training_rate"] == {"numerator": 1, "denominator": 7, "value": 14.3}
    assert payload["definitions"]["training_rate"] == "1"
    assert "training_rate" in f.figure_keys()
