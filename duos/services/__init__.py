"""Writes that carry business rules. Each function takes keyword-only
arguments, validates every rule it knows about, and raises one
``ValidationError`` (keyed by form field where there is one) with messages a
coordinator understands; nothing is written when a rule is broken.

Concurrency: a write that reads a duo's state and then changes the duo, its
meetings or its outcome locks the duo's row first (``common.lock_duo``) and
re-reads it inside its transaction, so two such writes never interleave. A
write of a record the user opened in a form takes ``opened_version`` (the
record's ``updated_at`` when the form was shown) and is refused with
``STALE_CODE`` when the record changed since. Unique rules answer a
concurrent double submit with the form's message, not a server error.

The modules: ``people`` (mentors, mentees), ``lifecycle`` (start, edit and
close a duo), ``meetings``, ``corrections`` (correct a closure, reopen, cancel).
"""

from ..bounds import age_on
from .common import STALE_CODE, planned_end_for
from .corrections import duo_cancel, duo_closure_correct, duo_reopen
from .lifecycle import (
    duo_close,
    duo_create,
    duo_eligibility_errors,
    duo_update,
    mentee_eligibility_errors,
    mentor_capacity_errors,
    mentor_eligibility_errors,
)
from .meetings import (
    SAME_DAY_CODE,
    meeting_cadence_days_sync,
    meeting_delete,
    meeting_log,
    meeting_log_many,
    meeting_update,
)
from .people import DUPLICATE_CODE, mentee_save, mentor_save, people_create_many, possible_duplicates

__all__ = [
    "DUPLICATE_CODE",
    "SAME_DAY_CODE",
    "STALE_CODE",
    "age_on",
    "duo_cancel",
    "duo_close",
    "duo_closure_correct",
    "duo_create",
    "duo_eligibility_errors",
    "duo_reopen",
    "duo_update",
    "meeting_cadence_days_sync",
    "meeting_delete",
    "meeting_log",
    "meeting_log_many",
    "meeting_update",
    "mentee_eligibility_errors",
    "mentor_capacity_errors",
    "mentor_eligibility_errors",
    "mentee_save",
    "mentor_save",
    "people_create_many",
    "planned_end_for",
    "possible_duplicates",
]
