"""Rows written in batches: ``COPY`` on PostgreSQL, ``bulk_create`` elsewhere."""

import io
import json

from django.db import connection
from django.db.models.expressions import DatabaseDefault

from .weights import BULK_BATCH


class TableWriter:
    """Rows for one table, buffered and written in batches.

    On PostgreSQL a batch is one ``COPY ... FROM STDIN`` of a tab-separated
    buffer; on other databases it is ``bulk_create``. ``columns`` are attribute
    names (``partner_id``); a row is a tuple in that order. A column the
    caller leaves out but the model gives a default (a partner's ``reference``,
    say) is written with that default: ``COPY`` knows nothing of Django's
    defaults, and a field added later must not break the generator.
    """

    def __init__(self, cursor, model, columns, *, use_copy):
        self.cursor = cursor
        self.model = model
        defaulted = {
            field.attname: field.get_default()
            for field in model._meta.concrete_fields
            if field.attname not in columns and not field.primary_key
        }
        # None: NULL by leaving the column out; a DatabaseDefault: the table's own.
        defaulted = {
            name: value
            for name, value in defaulted.items()
            if value is not None and not isinstance(value, DatabaseDefault)
        }
        self.columns = [*columns, *defaulted]
        if use_copy:
            # COPY reads text: a JSON field's default (a list, a dict) as its JSON.
            defaulted = {
                name: json.dumps(value) if isinstance(value, list | dict) else value
                for name, value in defaulted.items()
            }
        self.defaults = tuple(defaulted.values())
        self.use_copy = use_copy
        self.rows = []
        self.written = 0
        self._text_cache = {}
        if use_copy:
            quote = connection.ops.quote_name
            fields = {f.attname: f.column for f in model._meta.concrete_fields}
            self.copy_sql = "COPY {} ({}) FROM STDIN".format(
                quote(model._meta.db_table), ", ".join(quote(fields[c]) for c in self.columns)
            )

    def add(self, row):
        self.rows.append(row)

    def flush(self):
        if not self.rows:
            return
        if self.defaults:
            defaults = self.defaults
            self.rows = [row + defaults for row in self.rows]
        if self.use_copy:
            text = self._tsv(self.rows)
            self.cursor.copy_expert(self.copy_sql, io.StringIO(text))
        else:
            objects = [self.model(**dict(zip(self.columns, row, strict=True))) for row in self.rows]
            self.model.objects.bulk_create(objects, batch_size=BULK_BATCH)
        self.written += len(self.rows)
        self.rows = []

    def _tsv(self, rows):
        cache = self._text_cache
        lines = []
        append = lines.append
        for row in rows:
            values = []
            for value in row:
                if value is None:
                    values.append("\\N")
                elif value.__class__ is str:
                    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
                        value = (
                            value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
                        )
                    values.append(value)
                elif value.__class__ is int:
                    values.append(str(value))
                elif value is True:
                    values.append("t")
                elif value is False:
                    values.append("f")
                else:  # dates, datetimes, decimals: few distinct values, cache their text
                    text = cache.get(value)
                    if text is None:
                        text = cache[value] = value.isoformat() if hasattr(value, "isoformat") else str(value)
                    values.append(text)
            append("\t".join(values))
        append("")
        return "\n".join(lines)
