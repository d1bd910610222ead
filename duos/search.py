"""Finding people by name, whatever the accents and the case.

Typing "liegeois" finds "Liégeois", "LIÉGEOIS" and "Liegeois": the names and
the typed words are compared *normalised*, lower case without accents
(``normalise``). A word that is a job-seeker number finds the mentee with
exactly that number (a partial number finds nobody: numbers are not names).

How the database normalises: the SQL function ``mentoring_search_text(text)``.

- PostgreSQL: ``lower(unaccent(...))`` from the ``unaccent`` extension, wrapped
  in an ``IMMUTABLE`` function (``unaccent`` itself is only ``STABLE``, because
  its dictionary could change, so it cannot be indexed directly). The names are
  indexed with trigram GIN indexes (``pg_trgm``) on that function, so that
  ``LIKE '%word%'`` reads the index instead of every row: see the migration
  ``duos.0009_search_without_accents``, which
  freezes the SQL of the function and of the indexes.
- SQLite (development, tests): the same function is registered on each new
  connection, in Python (``normalise``), with no index (small databases).

Both sides agree on Latin accents and the usual ligatures (œ, æ, ß, ø, ł).
"""

import unicodedata

from django.db.models import Func, Q, TextField

SQL_FUNCTION = "mentoring_search_text"

# What each kind of person is found by. The migration indexes exactly these
# expressions (the order and the separator matter: PostgreSQL uses an index
# only for the very expression it was built on).
MENTEE_SEARCH_FIELDS = ("first_name", "last_name")
MENTOR_SEARCH_FIELDS = ("first_name", "last_name", "employer")

# Letters that NFKD does not decompose but ``unaccent`` maps (its rules file).
_LIGATURES = str.maketrans(
    {
        "œ": "oe",
        "Œ": "OE",
        "æ": "ae",
        "Æ": "AE",
        "ß": "ss",
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
    }
)


def normalise(text):
    """``text`` in lower case without accents: "Élodie Liégeois" -> "elodie
    liegeois". ``None`` stays ``None`` (SQL NULL)."""
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


class SearchText(Func):
    """The normalised text of some text columns joined by spaces:
    ``mentoring_search_text(first_name || ' ' || last_name)``. The separator is
    written into the SQL (not a parameter) so that the expression is the one
    the PostgreSQL index was built on."""

    function = SQL_FUNCTION
    arg_joiner = " || ' ' || "
    output_field = TextField()


def words_of(text):
    """The words of a search box's text (empty for blank or ``None``)."""
    return (text or "").split()


def people_matching(queryset, text, *, fields, number_field=None):
    """``queryset`` (mentors or mentees) narrowed to the people that every word
    of ``text`` finds: a word is found in the normalised text of ``fields``
    (anywhere: "geo" finds "Liégeois"), or, with ``number_field``, is that
    field's whole value (a job-seeker number). Blank text returns
    ``queryset`` unchanged."""
    words = words_of(text)
    if not words:
        return queryset
    queryset = queryset.alias(search_text=SearchText(*fields))
    for word in words:
        condition = Q(search_text__contains=normalise(word))
        if number_field:
            condition |= Q(**{number_field: word})
        queryset = queryset.filter(condition)
    return queryset


def mentees_matching(queryset, text):
    """Mentees of ``queryset`` found by ``text``: names, or a job-seeker number exactly."""
    return people_matching(queryset, text, fields=MENTEE_SEARCH_FIELDS, number_field="jobseeker_number")


def mentors_matching(queryset, text):
    """Mentors of ``queryset`` found by ``text``: names and employer."""
    return people_matching(queryset, text, fields=MENTOR_SEARCH_FIELDS)


# Up to this many people found, their ids are read first and written into the
# duo query as a list (see ``duos_matching``); beyond, a subquery.
PEOPLE_IDS_MAX = 300


def _ids_or_subquery(people):
    """The ids of ``people`` as a list when there are at most ``PEOPLE_IDS_MAX``
    (one query now), else the subquery itself."""
    ids = list(people.values_list("pk", flat=True)[: PEOPLE_IDS_MAX + 1])
    return ids if len(ids) <= PEOPLE_IDS_MAX else people.values("pk")


def duos_matching(queryset, text):
    """Duos of ``queryset`` whose mentee or whose mentor ``text`` finds (every
    word in the same person).

    The people are looked up first, through their own indexes (two queries),
    and the duos are then read through their indexes on ``mentee_id`` and
    ``mentor_id`` with the ids as lists: PostgreSQL combines the two (a
    BitmapOr) instead of testing every duo one by one against two subqueries,
    as it must for ``mentee IN (subquery) OR mentor IN (subquery)`` (measured:
    ``benchmarks/SEARCH.md``).

    A word that finds many people (a single letter) would make lists of
    tens of thousands of ids; it is answered by the union of two queries,
    the duos of the mentees found and the duos of the mentors found, each of
    which PostgreSQL joins by hashing. Not the two subqueries joined by OR:
    PostgreSQL hashes such a subquery only while it fits in ``work_mem``, and
    beyond it tests each duo against the whole list: at 1,000,000 duos the
    count of a search for "a" ran for more than 15 minutes (the union: 7 s)."""
    from .models import Duo, Mentee, Mentor

    if not words_of(text):
        return queryset
    mentees = _ids_or_subquery(mentees_matching(Mentee.objects.all(), text))
    mentors = _ids_or_subquery(mentors_matching(Mentor.objects.all(), text))
    if isinstance(mentees, list) and isinstance(mentors, list):
        return queryset.filter(Q(mentee__in=mentees) | Q(mentor__in=mentors))
    # No ORDER BY inside a compound statement (the model's default ordering).
    of_mentees = Duo.objects.filter(mentee__in=mentees).order_by().values("pk")
    found = of_mentees.union(Duo.objects.filter(mentor__in=mentors).order_by().values("pk"))
    return queryset.filter(pk__in=found)


def register_sqlite_function(sender, connection, **kwargs):
    """``connection_created`` receiver: gives SQLite the SQL function that
    PostgreSQL gets from the migration."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQL_FUNCTION, 1, normalise, deterministic=True)
