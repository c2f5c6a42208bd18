import shutil
import subprocess
from pathlib import Path

import pytest

KATALOG = Path(__file__).resolve().parent.parent / "locale" / "en" / "LC_MESSAGES" / "django.po"


@pytest.mark.skipif(not shutil.which("msgattrib"), reason="gettext (msgattrib) is not installed")
@pytest.mark.parametrize("art", ["--untranslated", "--only-fuzzy"])
def test_english_catalogue_is_complete(art):
    """Every German UI string has a checked English translation (the header aside)."""
    offen = subprocess.run(
        ["msgattrib", art, "--no-wrap", str(KATALOG)], capture_output=True, text=True, check=True
    ).stdout
    eintraege = [z for z in offen.splitlines() if z.startswith("msgid ")]
    assert eintraege in ([], ['msgid ""']), offen
