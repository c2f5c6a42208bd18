import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


def basis_umgebung():
    """A process environment without what the test settings put into os.environ."""
    return {k: os.environ[k] for k in ("PATH", "HOME", "DATABASE_URL") if k in os.environ}


@pytest.mark.django_db
def test_no_missing_migrations():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_check_deploy_with_production_environment():
    """Production-like settings report nothing but the silenced GDAL warning."""
    umgebung = {
        **basis_umgebung(),
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "SECRET_KEY": "x" * 30 + "-production-like-secret-with-enough-entropy-1234567890",
        "ALLOWED_HOSTS": "familienwegweiser.example.de",
        "DEBUG": "false",
    }
    ergebnis = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=umgebung,
        capture_output=True,
        text=True,
    )
    assert ergebnis.returncode == 0, ergebnis.stdout + ergebnis.stderr
    assert "no issues (1 silenced)" in ergebnis.stdout


def test_missing_secret_key_is_refused():
    umgebung = {**basis_umgebung(), "DJANGO_SETTINGS_MODULE": "config.settings.base"}
    ergebnis = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=umgebung,
        capture_output=True,
        text=True,
    )
    assert ergebnis.returncode != 0
    assert "SECRET_KEY fehlt" in ergebnis.stderr
