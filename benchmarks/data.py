"""What the benchmark ran on: the size of the data and of the measured quarter."""


def data_info(period=None):
    """Row counts of the big tables; with ``period``, the duos closed and
    started in it (all partners) and closed in it at scale-partner-01 (the
    coordinator of the speed and load rows)."""
    from django.db import connection

    counts = {}
    with connection.cursor() as cursor:
        for name, table in (
            ("partners", "programmes_partner"),
            ("duos", "duos_duo"),
            ("meetings", "duos_meeting"),
            ("outcomes", "duos_outcome"),
            ("mentees", "duos_mentee"),
        ):
            cursor.execute(f"SELECT count(*) FROM {table}")
            counts[name] = cursor.fetchone()[0]
        if period is not None:
            # The size of the measured quarter: what its costs should follow.
            cursor.execute(
                """
                SELECT count(*) FILTER (WHERE d.end_date BETWEEN %s AND %s),
                       count(*) FILTER (WHERE d.start_date BETWEEN %s AND %s),
                       count(*) FILTER (WHERE d.end_date BETWEEN %s AND %s AND p.slug = 'scale-partner-01')
                FROM duos_duo d JOIN programmes_partner p ON p.id = d.partner_id
                """,
                [period.date_from, period.date_to] * 3,
            )
            closed, started, closed_first = cursor.fetchone()
            counts.update(quarter_closed=closed, quarter_started=started, quarter_closed_partner_01=closed_first)
    return counts
