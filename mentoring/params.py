"""Ids read from a query string or a form's raw value.

``str.isdigit()`` is true of "²" and of "٣" (Unicode digits that ``int()``
refuses or the database cannot compare), and a digit string may overflow a
64-bit primary key: such a value is "no id", never a server error.
"""

MAX_ID = 2**63 - 1  # PostgreSQL's bigint; SQLite's integer too


def is_id(value: object) -> bool:
    """True when ``value`` is a string of ASCII digits naming a possible
    primary key (1 to ``MAX_ID``)."""
    text = str(value)
    return text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ID


def id_or_none(value: object) -> int | None:
    """``int(value)`` when ``is_id(value)``, else None."""
    return int(str(value)) if is_id(value) else None
