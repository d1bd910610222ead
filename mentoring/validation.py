"""``full_clean`` in fewer queries, for the services' writes.

Django's ``Model.full_clean`` asks the database once per foreign key (does the
row exist?) and, inside a transaction, three times per check constraint (a
savepoint, the check, its release: ``Q.check``). A service that writes a duo
and its outcome would spend some thirty round trips on them, and the
spreadsheet import calls the services thousands of times. ``full_clean`` here
validates the same fields, the same unique rules and the same constraints,
with the same messages, but evaluates all the check constraints of a record
(and the unique ones that hold under a condition: a savepoint each too) in
one query, and skips the existence of the relations the caller read
itself (``known``: a row it just locked cannot have vanished; the database's
foreign keys remain the last word).
"""

from django.core.exceptions import FieldError, ValidationError
from django.db import connections, router
from django.db.models import BooleanField, CheckConstraint, Exists, Q, UniqueConstraint, Value
from django.db.models.functions import Coalesce
from django.db.models.sql import Query
from django.db.models.sql.constants import SINGLE


def full_clean(instance, *, known=()):
    """Validate ``instance`` as ``instance.full_clean()`` does (fields,
    ``clean()``, unique fields, constraints) and raise one
    ``ValidationError`` keyed by field; the foreign keys named in ``known``
    are not looked up (their rows were read by the caller)."""
    errors = {}
    invalid = set()
    try:
        instance.clean_fields(exclude=set(known))
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
        invalid = set(errors)
    try:
        instance.clean()
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    try:
        instance.validate_unique(exclude=invalid)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    try:
        validate_constraints(instance, exclude=invalid)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def validate_constraints(instance, *, exclude=()):
    """``instance.validate_constraints(exclude)``, the check constraints and
    the conditional unique constraints on plain fields evaluated together in
    one query (the other unique ones one by one, as Django does)."""
    using = router.db_for_write(type(instance), instance=instance)
    errors = {}
    for model, constraints in instance.get_constraints():
        checks = [
            constraint
            for constraint in constraints
            if isinstance(constraint, CheckConstraint) or _conditional_unique(model, constraint)
        ]
        for constraint in constraints:
            if constraint in checks:
                continue
            try:
                constraint.validate(model, instance, exclude=exclude, using=using)
            except ValidationError as exc:
                if getattr(exc, "code", None) == "unique" and len(constraint.fields) == 1:
                    errors.setdefault(constraint.fields[0], []).append(exc)
                else:
                    errors = exc.update_error_dict(errors)
        for constraint in _broken_checks(model, instance, checks, exclude=exclude, using=using):
            errors = ValidationError(
                constraint.get_violation_error_message(), code=constraint.violation_error_code
            ).update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def _conditional_unique(model, constraint):
    """A ``UniqueConstraint`` with a condition, on plain (not generated) fields."""
    return (
        isinstance(constraint, UniqueConstraint)
        and constraint.condition is not None
        and constraint.fields
        and not any(model._meta.get_field(name).generated for name in constraint.fields)
    )


def _unique_clash(model, instance, constraint, *, exclude, using):
    """The condition under which ``instance`` breaks the conditional unique
    ``constraint``: it meets the condition and another row with its values
    does too (``UniqueConstraint.validate``); ``None`` when it cannot (an
    excluded or a null field)."""
    lookups = {}
    for name in constraint.fields:
        if name in exclude:
            return None
        field = model._meta.get_field(name)
        value = getattr(instance, field.attname)
        empty_is_null = value == "" and connections[using].features.interprets_empty_strings_as_nulls
        if (constraint.nulls_distinct is not False and value is None) or empty_is_null:
            return None
        lookups[field.name] = value
    others = model._default_manager.using(using).filter(**lookups)
    if not instance._state.adding and instance._is_pk_set(model._meta):
        others = others.exclude(pk=instance._get_pk_val(model._meta))
    return constraint.condition & Exists(others.filter(constraint.condition))


def _broken_checks(model, instance, checks, *, exclude, using):
    """The ``checks`` that ``instance`` breaks, in one ``SELECT`` without a
    table: the record's values as parameters, each condition as a column.
    A ``CheckConstraint`` is broken when its condition is false (``NULL``
    passes, as in ``Q.check``), a conditional unique one when its clash
    (``_unique_clash``) is not false, as ``UniqueConstraint.validate`` reads
    ``Q.check``. A condition on an excluded field is skipped, as Django does."""
    if not checks:
        return []
    against = instance._get_field_expression_map(meta=model._meta, exclude=exclude)
    query = Query(None)
    for name, value in against.items():
        if not hasattr(value, "resolve_expression"):
            value = Value(value)
        query.add_annotation(value, name, select=False)
    evaluated = []
    for index, constraint in enumerate(checks):
        unique = isinstance(constraint, UniqueConstraint)
        condition = _unique_clash(model, instance, constraint, exclude=exclude, using=using) if unique else None
        if unique and condition is None:
            continue
        try:
            query.add_annotation(
                Coalesce(Q(condition if unique else constraint.condition), Value(True), output_field=BooleanField()),
                f"_check_{index}",
            )
        except FieldError:  # the condition names an excluded field
            continue
        evaluated.append((constraint, unique))
    if not evaluated:
        return []
    row = query.get_compiler(using=using).execute_sql(SINGLE)
    return [constraint for (constraint, unique), value in zip(evaluated, row, strict=True) if bool(value) == unique]
