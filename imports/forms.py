"""The upload form: the file is read here, so that a file that is not the
template (not a spreadsheet, a sheet or column renamed, empty, too large) is
a form error and nothing is stored."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from programmes.models import Partner
from programmes.permissions import coordinator_partner_id

from .reader import FileRejected, max_file_size, read_spreadsheet

ACCEPTED = ".xlsx,.csv,.txt,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"


class ImportUploadForm(forms.Form):
    partner = forms.ModelChoiceField(
        label=_("Partner"),
        queryset=Partner.objects.none(),
        help_text=_("The partner whose records the file holds."),
    )
    file = forms.FileField(
        label=_("Spreadsheet"),
        error_messages={"empty": _("The file is empty.")},
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.parsed = None
        self.fields["file"].help_text = _(
            "The template filled in (.xlsx), or one of its sheets as a CSV file; at most %(size)s MB. "
            "Nothing is written before you have seen the preview and confirmed."
        ) % {"size": settings.IMPORT_MAX_FILE_SIZE_MB}
        if coordinator_partner_id(user) is not None:
            del self.fields["partner"]  # a coordinator imports for their own partner
        else:
            self.fields["partner"].queryset = Partner.objects.visible_to(user).filter(is_active=True)

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > max_file_size():
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB, the most an import takes. Split it into smaller files.")
                % {"size": settings.IMPORT_MAX_FILE_SIZE_MB},
                code="too_large",
            )
        try:
            self.parsed = read_spreadsheet(uploaded)
        except FileRejected as exc:
            raise forms.ValidationError(exc.messages, code="rejected") from exc
        return uploaded
