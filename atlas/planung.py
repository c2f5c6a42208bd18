"""Planner settings for single statements."""

from django.db import connections, transaction


def mit_zufallszugriff(queryset):
    """The rows of `queryset`, planned with random_page_cost 1.1 (cached data or SSD, as on any
    current server) instead of PostgreSQL's default 4 (spinning disks), for this statement only.

    For statements that need a few thousand rows of a large table by key (an offering's
    provider, a partnership's actor): at the default the planner reads the whole table and
    hashes it rather than look the few concerned up – several times slower on the bench data
    (bench/RESULTS-auswertung.md)."""
    verbindung = connections[queryset.db]
    with transaction.atomic(using=queryset.db), verbindung.cursor() as cursor:
        cursor.execute("SET LOCAL random_page_cost = 1.1")
        zeilen = list(queryset)
        # Back to the connection's value for the rest of an enclosing transaction.
        cursor.execute("SET LOCAL random_page_cost TO DEFAULT")
    return zeilen
