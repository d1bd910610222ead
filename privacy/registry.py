"""Where a person's personal data lives, and what erasure does to each field.

Erasure (on request) and retention (after ``RETENTION_YEARS``) both walk this
list, on the live tables and on their django-simple-history tables. A model
that gains personal fields (a follow-up's note, say) is one more entry:

    PersonalFields("duos.FollowUp", people=BOTH, link=DUOS, scrub={"note": BLANK}),

Fields that figures read (dates, statuses, outcome types, contract types,
gender, education level) are never here: erasing must leave every figure as it was.
"""

from dataclasses import dataclass

from django.apps import apps
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Concat, TruncYear

from .models import PersonKind

MENTEE, MENTOR = PersonKind.MENTEE, PersonKind.MENTOR
BOTH = (MENTEE, MENTOR)

# How rows are linked to the person.
SELF = "self"  # the person's own row (Mentee, Mentor): id = person id
OWN_DUOS = "own_duos"  # the person's duos: id in the duo ids
DUOS = "duos"  # rows of the person's duos: duo_id in the duo ids


def BLANK():  # noqa: N802  (read as a constant in the registry)
    return Value("")


def ERASED():  # noqa: N802
    return Value("Erased")


def ERASED_REFERENCE():  # noqa: N802
    """``#<id>``: keeps erased people apart in lists, says nothing about them."""
    return Concat(Value("#"), Cast(F("id"), output_field=CharField()), output_field=CharField())


def ERASED_JOBSEEKER_NUMBER():  # noqa: N802
    """Unique per partner like the real number was (a constraint needs it)."""
    return Concat(Value("ERASED-"), Cast(F("id"), output_field=CharField()), output_field=CharField())


def YEAR_ONLY(field):  # noqa: N802
    """A birth date kept as its year (1 January)."""
    return TruncYear(field)


@dataclass(frozen=True)
class PersonalFields:
    model: str  # "app_label.Model"
    people: tuple  # whose erasure touches these rows
    link: str  # SELF, OWN_DUOS or DUOS
    scrub: dict  # field name -> expression factory (YEAR_ONLY takes the field name)

    def model_class(self):
        return apps.get_model(self.model)

    def values(self):
        return {name: factory(name) if factory is YEAR_ONLY else factory() for name, factory in self.scrub.items()}


PERSONAL_DATA = [
    PersonalFields(
        "duos.Mentee",
        people=(MENTEE,),
        link=SELF,
        scrub={
            "first_name": ERASED,
            "last_name": ERASED_REFERENCE,
            "jobseeker_number": ERASED_JOBSEEKER_NUMBER,
            "birth_date": YEAR_ONLY,
            "email": BLANK,
            "phone": BLANK,
            "languages": BLANK,
            "commune": BLANK,
        },
    ),
    PersonalFields(
        "duos.Mentor",
        people=(MENTOR,),
        link=SELF,
        scrub={
            "first_name": ERASED,
            "last_name": ERASED_REFERENCE,
            "birth_date": YEAR_ONLY,
            "email": BLANK,
            "phone": BLANK,
            "employer": BLANK,
            "job_title": BLANK,
            "commune": BLANK,
            # The partner's own reference points into their records of the person.
            "reference": BLANK,
        },
    ),
    PersonalFields("duos.Duo", people=BOTH, link=OWN_DUOS, scrub={"closure_note": BLANK}),
    PersonalFields("duos.Meeting", people=BOTH, link=DUOS, scrub={"note": BLANK}),
    PersonalFields("duos.Outcome", people=(MENTEE,), link=DUOS, scrub={"employer": BLANK}),
    PersonalFields("followups.FollowUp", people=BOTH, link=DUOS, scrub={"note": BLANK}),
]
