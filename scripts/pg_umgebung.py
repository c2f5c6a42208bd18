"""Print libpq environment variables (PGHOST …) for DATABASE_URL, for the backup scripts.

Usage: eval "$(python scripts/pg_umgebung.py)". The password goes into PGPASSWORD, never onto a
command line where `ps` would show it. Without DATABASE_URL: the default of the settings.
"""

import os
import shlex
import sys
from urllib.parse import unquote, urlsplit

STANDARD = "postgis://netzwerkatlas@127.0.0.1:5432/netzwerkatlas"


def umgebung(url):
    teile = urlsplit(url)
    if teile.scheme not in {"postgis", "postgres", "postgresql", "pgsql"}:
        raise SystemExit(f"DATABASE_URL muss eine PostgreSQL-Adresse sein, nicht {teile.scheme}://")
    werte = {
        "PGHOST": teile.hostname or "",
        "PGPORT": str(teile.port or 5432),
        "PGUSER": unquote(teile.username or ""),
        "PGPASSWORD": unquote(teile.password or ""),
        "PGDATABASE": unquote(teile.path.lstrip("/")),
    }
    return {name: wert for name, wert in werte.items() if wert}


if __name__ == "__main__":
    url = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("DATABASE_URL") or STANDARD
    for name, wert in umgebung(url).items():
        print(f"export {name}={shlex.quote(wert)}")
