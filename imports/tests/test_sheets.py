"""The template's sheets: every header and sheet name tells one column or
sheet apart from the others in all three languages."""

from django.utils import translation

from imports.cells import normalise
from imports.sheets import SHEETS


def test_headers_are_unambiguous_in_every_language():
    for sheet in SHEETS.values():
        owners = {}
        for language in ("fr", "nl", "en"):
            with translation.override(language):
                for column in sheet.columns:
                    key = normalise(column.label)
                    assert owners.setdefault(key, column.key) == column.key, (sheet.kind, language, key)


def test_sheet_names_are_unambiguous_and_fit_excel():
    owners = {}
    for sheet in SHEETS.values():
        for name in sheet.names():
            assert owners.setdefault(name, sheet.kind) == sheet.kind
        for language in ("fr", "nl", "en"):
            with translation.override(language):
                assert len(str(sheet.title)) <= 31  # Excel's limit for a sheet name


def test_every_column_has_a_rule_in_every_language(db):
    for language in ("fr", "nl", "en"):
        with translation.override(language):
            for sheet in SHEETS.values():
                for column in sheet.columns:
                    assert len(column.rule_text()) > 10
