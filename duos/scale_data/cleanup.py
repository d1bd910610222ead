"""Reset and statistics: whether scale data exist, the check that nothing else
refers to them, their deletion in plain SQL, ``ANALYZE``."""

from django.db import connection

from duos.models import Duo, Meeting, Mentee, Mentor, MigrationBackground, Outcome
from programmes.models import ConventionShare, FundingConvention, Partner, Programme

from .errors import ScaleDataError
from .weights import CONVENTION_SLUG_PREFIX, PARTNER_SLUG_PREFIX


def scale_data_exist():
    """Whether any scale partner or scale convention is in the database."""
    return (
        Partner.objects.filter(slug__startswith=PARTNER_SLUG_PREFIX).exists()
        or FundingConvention.objects.filter(slug__startswith=CONVENTION_SLUG_PREFIX).exists()
    )


def _scale_tables():
    return [Partner, Programme, FundingConvention, ConventionShare, Mentor, Mentee, MigrationBackground]


def refuse_if_referenced():
    """Stop before deleting when rows outside the scale data (a coordinator's
    membership, a report request...) refer to a scale partner or convention."""
    deleted = {Partner, Programme, FundingConvention, ConventionShare, Mentor, Mentee, MigrationBackground, Duo}
    targets = [
        (Partner, Partner.objects.filter(slug__startswith=PARTNER_SLUG_PREFIX).values("pk")),
        (
            FundingConvention,
            FundingConvention.objects.filter(slug__startswith=CONVENTION_SLUG_PREFIX).values("pk"),
        ),
    ]
    found = []
    for model, ids in targets:
        for relation in model._meta.related_objects:
            related = relation.related_model
            if related in deleted or not getattr(relation.field, "db_constraint", False):
                continue  # rows we delete anyway, or no constraint (audit history)
            count = related._base_manager.filter(**{f"{relation.field.name}__in": ids}).count()
            if count:
                found.append(f"{count} {related._meta.verbose_name_plural}")
    if found:
        raise ScaleDataError(
            "Cannot delete the previous scale data: other rows refer to it ("
            + ", ".join(found)
            + "). Delete those first. Nothing was changed."
        )


def delete_scale_data():
    """Delete the scale partners' rows and the scale conventions with plain
    SQL: the ORM's cascade would load millions of meetings into memory."""
    quote = connection.ops.quote_name

    def table(model):
        return quote(model._meta.db_table)

    partners = f"SELECT id FROM {table(Partner)} WHERE slug LIKE %s"
    duos = f"SELECT id FROM {table(Duo)} WHERE partner_id IN ({partners})"
    mentees = f"SELECT id FROM {table(Mentee)} WHERE partner_id IN ({partners})"
    conventions = f"SELECT id FROM {table(FundingConvention)} WHERE slug LIKE %s"
    partner_like = f"{PARTNER_SLUG_PREFIX}%"
    convention_like = f"{CONVENTION_SLUG_PREFIX}%"
    statements = [
        (f"DELETE FROM {table(Outcome)} WHERE duo_id IN ({duos})", [partner_like]),
        (f"DELETE FROM {table(Meeting)} WHERE duo_id IN ({duos})", [partner_like]),
        (f"DELETE FROM {table(Duo)} WHERE partner_id IN ({partners})", [partner_like]),
        (f"DELETE FROM {table(MigrationBackground)} WHERE mentee_id IN ({mentees})", [partner_like]),
        (f"DELETE FROM {table(Mentee)} WHERE partner_id IN ({partners})", [partner_like]),
        (f"DELETE FROM {table(Mentor)} WHERE partner_id IN ({partners})", [partner_like]),
        (
            f"DELETE FROM {table(ConventionShare)} WHERE partner_id IN ({partners}) "
            f"OR convention_id IN ({conventions})",
            [partner_like, convention_like],
        ),
        (f"DELETE FROM {table(FundingConvention)} WHERE slug LIKE %s", [convention_like]),
        (f"DELETE FROM {table(Programme)} WHERE partner_id IN ({partners})", [partner_like]),
        (f"DELETE FROM {table(Partner)} WHERE slug LIKE %s", [partner_like]),
    ]
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)


def analyze():
    from followups.models import FollowUp
    from reporting.models import MeetingMonth

    # MeetingMonth is written beside the meetings and was never analyzed: without
    # statistics the planner guessed a few thousand rows per quarter (48,000 at
    # 100,000 duos) and scanned the whole table for the cadence figure (62 ms,
    # 18 ms after ANALYZE).
    models = [*_scale_tables(), Duo, Meeting, Outcome, MeetingMonth, FollowUp]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
            # VACUUM also sets the visibility map (index-only scans); it
            # cannot run inside a transaction, e.g. in a test.
            verb = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            cursor.execute(f"{verb} {tables}")
        else:
            cursor.execute("ANALYZE")
