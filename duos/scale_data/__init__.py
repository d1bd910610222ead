"""Synthetic data at the size the application must hold.

``python manage.py generate_scale_data --duos 100000 [--partners 10] [--seed N] [--reset]``

Writes partners ``scale-partner-01``..``NN``, one or two programmes each (rules
as data, modelled on the real schemes), yearly funding conventions (some per
partner, some shared between partners with per-partner shares), mentors,
mentees (with a recorded migration background for most), the duos spread over
ten years, about 25 meetings per duo and a primary outcome for every closed duo.

Everything is derived from ``--seed`` and from the period (``--start`` to
``--end``), never from today's date: the same arguments give the same data.
The data describe the world as of ``--end``: duos whose term runs past it are
still active, and no meeting or outcome lies after it.

On PostgreSQL the large tables are written with ``COPY``, in batches, inside
one transaction, as a bulk load (``bulk_load``: secondary indexes, foreign keys
and the triggers that derive data dropped for the load and put back after it,
each index built in one pass) by a background thread while Python makes the
next batch (``writer.Copier``); elsewhere (SQLite, for the tests) with
``bulk_create`` in batches. Either way no django-simple-history rows are
written: bulk inserts bypass the signals the audit trail listens to, which is
what we want for synthetic data. ``ANALYZE`` runs at the end so the planner
knows the new sizes.

Re-running refuses while scale data exist; ``--reset`` first deletes every row
that belongs to the scale partners and conventions (and only those), then
generates a fresh set.
"""

from .errors import ScaleDataError
from .generator import ScaleDataGenerator

__all__ = ["ScaleDataError", "ScaleDataGenerator"]
