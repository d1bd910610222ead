"""``full_clean`` in fewer queries, for the services' writes.

Django's ``Model.full_clean`` asks the database once per foreign key (does the
row exist?) and, inside a transaction, three times per check constraint (a
savepoint, the check, its release: ``Q.check``). A service that writes a duo
and its outcome would spend some thirty round trips on them, and the
spreadsheet import calls the services thousands of times. ``full_clean`` here
validates the same fields, the same unique rules and the same constraints,
with the same messages, but evaluates all the check constraints of a record
in one query, and skips the existence of the relations the caller read
itself (``known``: a row it just locked cannot have vanished; the database's
foreign keys remain the last word).
"""

from django.core.exceptions import FieldError, ValidationError
from django.db import router
from django.db.models import BooleanField, CheckConstraint, Q, Value
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
    """``instance.validate_constraints(exclude)``, the check constraints
    evaluated together in one query (the others, unique ones, one by one as
    Django does)."""
    using = router.db_for_write(type(instance), instance=instance)
    errors = {}
    for model, constraints in instance.get_constraints():
        checks = [constraint for constraint in constraints if isinstance(constraint, CheckConstraint)]
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


def _broken_checks(model, instance, checks, *, exclude, using):
    """The ``checks`` (``CheckConstraint``) that ``instance`` breaks, in one
    ``SELECT`` without a table: the record's values as parameters, each
    condition as a column (``NULL`` passes, as in ``Q.check``). A condition
    on an excluded field is skipped, as ``CheckConstraint.validate`` does."""
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
        try:
            query.add_annotation(
                Coalesce(Q(constraint.condition), Value(True), output_field=BooleanField()), f"_check_{index}"
            )
        except FieldError:  # the condition names an excluded field
            continue
        evaluated.append(constraint)
    if not evaluated:
        return []
    row = query.get_compiler(using=using).execute_sql(SINGLE)
    return [constraint for constraint, passed in zip(evaluated, row, strict=True) if not passed]
