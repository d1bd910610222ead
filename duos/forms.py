"""Forms of the workspace. Each form that offers records to choose from takes
the requesting ``user`` and limits every choice to ``visible_to(user)``: a
posted foreign id is an "invalid choice" form error, never an attachment."""

import datetime
import uuid

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from mentoring.params import is_id
from mentoring.widgets import DateInput
from programmes.models import FundingConvention, MeetingPlaceRule, Programme
from programmes.permissions import can_view_migration_background

from . import bounds
from .models import (
    ClosureReason,
    ContractType,
    Duo,
    Meeting,
    MeetingPlace,
    Mentee,
    Mentor,
    MigrationBackground,
    OutcomeSource,
    OutcomeType,
)
from .services import DUPLICATE_CODE, SAME_DAY_CODE


def record_version(record):
    """What a form carries to tell, on save, whether ``record`` changed since
    it was shown (``services.common.check_unchanged``): its ``updated_at``."""
    return record.updated_at.isoformat() if record is not None and record.updated_at else ""


class OpenedVersionField(forms.CharField):
    """A hidden field with the version of the record as the form showed it;
    cleaned to a timezone-aware ``datetime`` (``None`` for a new record)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return datetime.datetime.fromisoformat(value)
        except ValueError:
            raise forms.ValidationError(_("This form is damaged; reload the page.")) from None


class VersionedFormMixin:
    """Forms that edit a record carry ``opened_version``; after a refused save
    (``STALE_CODE``) ``refresh_version`` moves it to the record's current
    version, so that saving again replaces the newer changes knowingly."""

    versioned_record = None

    def set_version(self, record):
        self.versioned_record = record
        if record is not None and record.pk and not self.is_bound:
            self.fields["opened_version"].initial = record_version(record)

    def current_record(self):
        """The record as it is now in the database."""
        record = self.versioned_record
        return type(record)._default_manager.get(pk=record.pk)

    def refresh_version(self, record):
        data = self.data.copy()
        data[self.add_prefix("opened_version")] = record_version(record)
        self.data = data


class VersionedModelForm(VersionedFormMixin, forms.ModelForm):
    opened_version = OpenedVersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_version(self.instance)


def _ticked(form, name):
    return form.is_bound and form.data.get(form.add_prefix(name)) in ("on", "True", "true", "1")


class DuplicateConfirmationMixin:
    """A new person's form carries ``confirm_duplicate``, hidden until the
    service refuses the person as a possible duplicate (``DUPLICATE_CODE``);
    then it shows as a checkbox the coordinator ticks to save anyway (as
    ``MeetingForm.confirm_same_day``). An existing person's form has none."""

    def add_duplicate_confirmation(self):
        if self.instance.pk:
            return
        self.fields["confirm_duplicate"] = forms.BooleanField(
            label=_("Yes, this is another person: save anyway"), required=False, widget=forms.HiddenInput
        )
        if _ticked(self, "confirm_duplicate"):
            self.ask_duplicate_confirmation()

    def add_error(self, field, error):
        super().add_error(field, error)
        if "confirm_duplicate" in self.fields and self.has_error(NON_FIELD_ERRORS, code=DUPLICATE_CODE):
            self.ask_duplicate_confirmation()

    def ask_duplicate_confirmation(self):
        self.fields["confirm_duplicate"].widget = forms.CheckboxInput()

    @property
    def asks_duplicate_confirmation(self):
        field = self.fields.get("confirm_duplicate")
        return field is not None and not field.widget.is_hidden

    @property
    def confirm_duplicate(self):
        """What the service gets: ``True`` (ticked) or ``False`` (ask)."""
        return bool(self.cleaned_data.get("confirm_duplicate")) if "confirm_duplicate" in self.fields else None


# What matching compares (``matching``), last on both forms.
MATCHING_FIELDS = ["spoken_languages", "sector", "commune", "availability"]


class MentorForm(DuplicateConfirmationMixin, VersionedModelForm):
    class Meta:
        model = Mentor
        fields = ["first_name", "last_name", "birth_date", "gender", "email", "phone", "employer", "job_title"]
        fields += MATCHING_FIELDS
        widgets = {"birth_date": DateInput()}
        help_texts = {"sector": _("The sector of the mentor's professional experience.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_duplicate_confirmation()


class MenteeForm(DuplicateConfirmationMixin, VersionedModelForm):
    """A mentee. The migration background (kept in its own table) is a field of
    this form only for users who may see it."""

    BACKGROUND_UNKNOWN = ""
    BACKGROUND_YES = "yes"
    BACKGROUND_NO = "no"

    migration_background = forms.ChoiceField(
        label=_("Migration background"),
        required=False,
        choices=[
            (BACKGROUND_UNKNOWN, _("Not recorded")),
            (BACKGROUND_YES, _("Yes")),
            (BACKGROUND_NO, _("No")),
        ],
        help_text=_("Special-category personal data: record it only when the programme needs it."),
    )

    class Meta:
        model = Mentee
        fields = [
            "first_name",
            "last_name",
            "jobseeker_number",
            "birth_date",
            "gender",
            "education_level",
            "email",
            "phone",
            "registered_on",
            "spoken_languages",
            "languages",
            "sector",
            "commune",
            "availability",
        ]
        widgets = {"birth_date": DateInput(), "registered_on": DateInput()}
        help_texts = {"sector": _("The sector the mentee looks for work in.")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Left empty: the day of the record (new) or the date it had.
        self.fields["registered_on"].required = False
        _pattern, description = bounds.jobseeker_number_format()
        self.fields["jobseeker_number"].help_text = _(
            "The number on the job seeker's Actiris registration: %(format)s."
        ) % {"format": description}
        if not can_view_migration_background(user):
            del self.fields["migration_background"]
        elif self.instance.pk:
            background = MigrationBackground.objects.filter(mentee=self.instance).first()
            if background is not None:
                self.fields["migration_background"].initial = (
                    self.BACKGROUND_YES if background.has_migration_background else self.BACKGROUND_NO
                )
        self.add_duplicate_confirmation()

    def clean_registered_on(self):
        return self.cleaned_data["registered_on"] or self.instance.registered_on or timezone.localdate()

    @property
    def has_migration_background(self):
        """``True``, ``False`` or ``None`` (not recorded) from the cleaned form."""
        value = self.cleaned_data.get("migration_background", self.BACKGROUND_UNKNOWN)
        return {self.BACKGROUND_YES: True, self.BACKGROUND_NO: False}.get(value)

    @property
    def shows_migration_background(self):
        return "migration_background" in self.fields


class MenteeChoiceField(forms.ModelChoiceField):
    """Mentees by name and job-seeker number: two job seekers may share a name."""

    def label_from_instance(self, obj):
        return f"{obj.first_name} {obj.last_name} ({obj.jobseeker_number})"


class DuoCreateForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.none())
    mentor = forms.ModelChoiceField(label=_("Mentor"), queryset=Mentor.objects.none())
    mentee = MenteeChoiceField(label=_("Mentee"), queryset=Mentee.objects.none())
    start_date = forms.DateField(label=_("Start date"), widget=DateInput(), validators=[bounds.validate_record_date])
    convention = forms.ModelChoiceField(
        label=_("Funding convention"), queryset=FundingConvention.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.visible_to(user).filter(is_active=True)
        self.fields["mentor"].queryset = Mentor.objects.visible_to(user).only("first_name", "last_name")
        self.fields["mentee"].queryset = Mentee.objects.visible_to(user).only(
            "first_name", "last_name", "jobseeker_number"
        )
        self._offer_available_people(user)
        self.fields["convention"].queryset = FundingConvention.objects.visible_to(user)
        self.fields["start_date"].initial = timezone.localdate()
        self.fields["start_date"].help_text = ngettext(
            "The planned end follows from the programme's duration. A duo is recorded at most %(days)d day "
            "before it starts.",
            "The planned end follows from the programme's duration. A duo is recorded at most %(days)d days "
            "before it starts.",
            bounds.duo_start_max_days_ahead(),
        ) % {"days": bounds.duo_start_max_days_ahead()}

    def _offer_available_people(self, user):
        """The selects offer the people available for the chosen programme
        (``duos.pickers``), the first ``PICKER_SIZE`` by name; the search box
        above each finds the others. Any visible person is still accepted on
        submit: ``services.duo_create`` says, in words, why one cannot start."""
        from .pickers import mentee_label, mentor_label, picker_people

        programme = self._chosen("programme", Programme.objects.visible_to(user))
        start_date = self._chosen_date()
        for kind in ("mentor", "mentee"):
            field = self.fields[kind]
            people, _more = picker_people(
                kind, user, programme=programme, start_date=start_date, chosen=self._value(kind)
            )
            label = mentee_label if kind == "mentee" else mentor_label
            field.widget.choices = [("", "---------"), *((person.pk, label(person)) for person in people)]
            field.widget.attrs.update({"size": 8, "aria-describedby": f"{kind}-picker-status"})

    def _value(self, name):
        value = self.data.get(self.add_prefix(name)) if self.is_bound else self.initial.get(name)
        return str(getattr(value, "pk", value) or "")

    def _chosen(self, name, queryset):
        value = self._value(name)
        return queryset.filter(pk=value).first() if is_id(value) else None

    def _chosen_date(self):
        value = self._value("start_date")
        try:
            return datetime.date.fromisoformat(value) if value else None
        except ValueError:
            return None


class DuoUpdateForm(VersionedModelForm):
    class Meta:
        model = Duo
        fields = ["convention", "planned_end_date"]
        widgets = {"planned_end_date": DateInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["convention"].queryset = FundingConvention.objects.visible_to(user)
        self.fields["planned_end_date"].validators.append(bounds.validate_record_date)

    def _post_clean(self):
        # The rules live in ``duo_update``; the form only parses the input and
        # must not copy it onto the instance before the service has checked it.
        pass


class MeetingForm(VersionedModelForm):
    """A meeting. ``confirm_same_day`` stays hidden until the service refuses a
    second meeting on one day (``services.SAME_DAY_CODE``); then it shows as a
    checkbox the coordinator ticks to record it anyway. A new meeting's form
    carries a one-time ``form_token``: sent twice, it stores one meeting."""

    confirm_same_day = forms.BooleanField(
        label=_("Yes, record a second meeting on this day"), required=False, widget=forms.HiddenInput
    )
    form_token = forms.UUIDField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Meeting
        fields = ["date", "duration_minutes", "place", "status", "note"]
        widgets = {"date": DateInput(), "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, duo=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].validators.append(bounds.validate_record_date)
        self.fields["duration_minutes"].validators.append(bounds.validate_meeting_duration)
        self.fields["duration_minutes"].help_text = _("From %(min)s to %(max)s minutes.") % {
            "min": bounds.MEETING_MIN_MINUTES,
            "max": bounds.MEETING_MAX_MINUTES,
        }
        if _ticked(self, "confirm_same_day"):
            self.ask_same_day_confirmation()
        if self.instance.pk:
            del self.fields["form_token"]
        else:
            del self.fields["opened_version"]
            self.fields["form_token"].initial = uuid.uuid4()
        if not self.instance.pk:
            self.fields["date"].initial = timezone.localdate()
            self.fields["duration_minutes"].initial = 60
            if duo is not None and duo.programme.meeting_place == MeetingPlaceRule.MENTOR_WORKPLACE:
                self.fields["place"].initial = MeetingPlace.MENTOR_WORKPLACE

    def _post_clean(self):
        # ``meeting_log`` / ``meeting_update`` apply the rules and write.
        pass

    def add_error(self, field, error):
        super().add_error(field, error)
        if self.has_error("date", code=SAME_DAY_CODE):
            self.ask_same_day_confirmation()

    def ask_same_day_confirmation(self):
        self.fields["confirm_same_day"].widget = forms.CheckboxInput()

    @property
    def asks_same_day_confirmation(self):
        return not self.fields["confirm_same_day"].widget.is_hidden


class DuoCloseForm(forms.Form):
    """The closure and its outcome. Nothing is pre-selected: the coordinator
    chooses the reason and the outcome."""

    end_date = forms.DateField(label=_("Closure date"), widget=DateInput(), validators=[bounds.validate_record_date])
    reason = forms.ChoiceField(label=_("Reason"), choices=[("", "---------"), *ClosureReason.choices])
    note = forms.CharField(
        label=_("Closure note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=bounds.NOTE_MAX_LENGTH,
    )
    outcome_type = forms.ChoiceField(label=_("Outcome"), choices=[("", "---------"), *OutcomeType.choices])
    contract_type = forms.ChoiceField(
        label=_("Contract type"), choices=[("", "---------"), *ContractType.choices], required=False
    )
    outcome_start_date = forms.DateField(
        label=_("Job start date"),
        widget=DateInput(),
        required=False,
        validators=[bounds.validate_record_date],
        help_text=_("From a month before the duo started to 12 months after its closure."),
    )
    contract_months = forms.IntegerField(
        label=_("Contract length (months)"),
        required=False,
        validators=[bounds.validate_contract_months],
        help_text=_("From 1 to 60 months; leave empty for a permanent contract (CDI)."),
    )
    employer = forms.CharField(label=_("Employer"), max_length=200, required=False)
    source = forms.ChoiceField(label=_("Source"), choices=OutcomeSource.choices, initial=OutcomeSource.MENTEE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["end_date"].initial = timezone.localdate()


class DuoClosureCorrectForm(VersionedFormMixin, DuoCloseForm):
    """The closure of a closed duo, to correct: the closure form filled with
    what was recorded, and the reason of the correction."""

    correction_reason = forms.CharField(
        label=_("Reason for the correction"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=bounds.CORRECTION_REASON_MAX_LENGTH,
        help_text=_("Kept with the change, in the duo's history."),
    )
    opened_version = OpenedVersionField()

    def __init__(self, *args, duo, outcome=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_version(duo)
        if not self.is_bound:
            self.initial.update({"end_date": duo.end_date, "reason": duo.closure_reason, "note": duo.closure_note})
            if outcome is not None:
                self.initial.update(
                    {
                        "outcome_type": outcome.type,
                        "contract_type": outcome.contract_type,
                        "outcome_start_date": outcome.start_date,
                        "contract_months": outcome.contract_months,
                        "employer": outcome.employer,
                        "source": outcome.source,
                    }
                )


class CorrectionReasonForm(forms.Form):
    """Why a duo is reopened or cancelled."""

    correction_reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=bounds.CORRECTION_REASON_MAX_LENGTH,
        help_text=_("Kept with the change, in the duo's history."),
    )
