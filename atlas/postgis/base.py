"""GeoDjango's PostGIS backend whose connection health check costs no round trip.

With persistent connections and `CONN_HEALTH_CHECKS`, Django asks every request's first
statement to wait for a `SELECT 1` on the reused connection. On the offerings list that was a
fourth statement beside three: a round trip, a parse and a plan on the server, ~6 % of a
worker's time under load (bench/RESULTS-suchindex.md, session 11).

A connection the server has ended – restarted, `pg_terminate_backend`, the idle timeout – is
readable while it sits idle between requests: the server sent its last message and closed. An
idle connection with nothing to read is taken as usable without asking; one with something
to read gets Django's own check, which then fails for a closed one (the connection is thrown
away and a new one made). What this cannot see, a silent network drop, the `SELECT 1` would
only have found after its own timeout too; the statement timeout and `DB_CONNECT_TIMEOUT`
bound that case (config/settings/base.py).
"""

import select

from django.contrib.gis.db.backends.postgis.base import DatabaseWrapper as PostgisDatabaseWrapper


class DatabaseWrapper(PostgisDatabaseWrapper):
    def is_usable(self):
        verbindung = self.connection
        if verbindung is None or verbindung.closed or verbindung.broken:
            return False
        try:
            lesbar, _, _ = select.select([verbindung.fileno()], [], [], 0)
        except (OSError, ValueError):
            return False
        # Something waits on an idle connection: the server's goodbye, or a message to read
        # first. Django's check reads it and decides.
        return super().is_usable() if lesbar else True
