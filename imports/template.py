"""The import template, as an XLSX workbook in the user's language.

A "Read me" sheet, then one sheet per kind of record: the headers on the
first row, the rule of each column written under it (the reader skips that
line), drop-down lists of the allowed values (from a hidden sheet, so that
lists longer than Excel's 255-character limit for inline lists work), job-
seeker numbers formatted as text (leading zeros stay) and dates shown day
first.
"""

import io

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from .cells import ChoiceCell, DateCell, YesNoCell
from .reader import LISTS_SHEET
from .sheets import README_TITLE, SHEETS

VALIDATED_ROWS = 5000  # rows under the rules offered the drop-down lists
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
RULE_FONT = Font(italic=True, color="595959", size=9)
TEXT_COLUMNS = ("jobseeker_number", "mentee_jobseeker_number", "reference", "mentor_reference", "duo_reference")


def _readme_lines():
    return [
        _("Import template"),
        "",
        _(
            "Fill in one row per record under the headers and the line of rules of each sheet; leave a sheet empty "
            "if you have nothing of its kind. Do not rename the sheets nor the columns."
        ),
        _(
            "Mentees are matched by their Actiris job-seeker number; mentors, duos and meetings by your own "
            "reference. A row whose number or reference is already in the app updates that record; importing the "
            "same file again changes nothing."
        ),
        _(
            "Duos name their mentor by reference and their mentee by job-seeker number; meetings and outcomes name "
            "their duo by its reference. They may refer to records of the same file or already in the app."
        ),
        _(
            "An outcome closes its duo: give it once the duo has ended. Follow-ups (3, 6, 12 months after the "
            "closure) come after it. The import replays each duo in order: started, its meetings, its closure, "
            "then its follow-ups."
        ),
        _(
            "Dates: 31/12/2019 (day/month/year) or 2019-12-31. Lists: the values offered in each cell, in any of "
            "the app's languages."
        ),
        _(
            "Upload the file from the app (Import from a spreadsheet). You first see a preview: the rows to create, "
            "to update, and every error with its sheet, row and column. Nothing is written until you confirm, and "
            "then everything or nothing is."
        ),
        _("You may also upload one sheet as a CSV file (UTF-8 or Excel's CSV, separated by ; or ,)."),
    ]


def build_template(*, language, partner=None):
    """The template as XLSX bytes, in ``language``; with ``partner``, the
    programme column lists that partner's programmes."""
    with translation.override(language):
        workbook = Workbook()
        readme = workbook.active
        readme.title = str(README_TITLE)[:31]
        readme.column_dimensions["A"].width = 120
        for number, line in enumerate(_readme_lines(), start=1):
            cell = readme.cell(row=number, column=1, value=line)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if number == 1:
                cell.font = Font(bold=True, size=14)
        lists = workbook.create_sheet(LISTS_SHEET)
        lists.sheet_state = "hidden"
        list_column = 0
        for sheet in SHEETS.values():
            worksheet = workbook.create_sheet(str(sheet.title)[:31])
            for index, column in enumerate(sheet.columns, start=1):
                letter = get_column_letter(index)
                worksheet.column_dimensions[letter].width = 24
                header = worksheet.cell(row=1, column=index, value=str(column.label))
                header.font = Font(bold=True)
                header.fill = HEADER_FILL
                header.alignment = Alignment(wrap_text=True, vertical="top")
                rule = worksheet.cell(row=2, column=index, value=column.rule_text(partner))
                rule.font = RULE_FONT
                rule.alignment = Alignment(wrap_text=True, vertical="top")
                values = _choices(column, partner)
                if values:
                    list_column += 1
                    list_letter = get_column_letter(list_column)
                    for number, value in enumerate(values, start=1):
                        lists.cell(row=number, column=list_column, value=value)
                    validation = DataValidation(
                        type="list",
                        formula1=f"{quote_sheetname(LISTS_SHEET)}!${list_letter}$1:${list_letter}${len(values)}",
                        allow_blank=True,
                        showErrorMessage=False,
                    )
                    validation.add(f"{letter}3:{letter}{VALIDATED_ROWS + 2}")
                    worksheet.add_data_validation(validation)
                number_format = "@" if column.key in TEXT_COLUMNS else None
                if isinstance(column.cell, DateCell):
                    number_format = "DD/MM/YYYY"
                if number_format:  # the column's style: cells typed in it take this format
                    worksheet.column_dimensions[letter].number_format = number_format
            worksheet.row_dimensions[2].height = 96
            worksheet.freeze_panes = "A3"
        buffer = io.BytesIO()
        workbook.save(buffer)
    return buffer.getvalue()


def _choices(column, partner):
    if isinstance(column.cell, ChoiceCell):
        return [str(label) for _code, label in column.cell.choices]
    if isinstance(column.cell, YesNoCell):
        return [_("Yes"), _("No")]
    if column.key == "programme" and partner is not None:
        return [programme.name for programme in partner.programmes.filter(is_active=True).order_by("name")]
    return []
