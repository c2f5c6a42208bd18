import shutil
import subprocess
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parent.parent / "locale"
KATALOG = LOCALE / "en" / "LC_MESSAGES" / "django.po"
# Every language's catalogue (en, tr, uk, ru, …); German is the source and has none.
KATALOGE = sorted(LOCALE.glob("*/LC_MESSAGES/django.po"))


def sprache(katalog):
    return katalog.parent.parent.name


def test_the_catalogues_are_found():
    assert KATALOG in KATALOGE


@pytest.mark.skipif(not shutil.which("msgattrib"), reason="gettext (msgattrib) is not installed")
@pytest.mark.parametrize("katalog", KATALOGE, ids=sprache)
@pytest.mark.parametrize("art", ["--untranslated", "--only-fuzzy"])
def test_catalogue_is_complete(katalog, art):
    """Every German UI string has a checked translation in every catalogue (the header aside)."""
    offen = subprocess.run(
        ["msgattrib", art, "--no-wrap", str(katalog)], capture_output=True, text=True, check=True
    ).stdout
    eintraege = [z for z in offen.splitlines() if z.startswith("msgid ")]
    assert eintraege in ([], ['msgid ""']), offen


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="gettext (msgfmt) is not installed")
@pytest.mark.parametrize("katalog", KATALOGE, ids=sprache)
def test_catalogue_placeholders_and_header_are_valid(katalog):
    """Placeholders such as %(name)s match the German string, and the header (Plural-Forms)
    is well-formed: a translation that drops or renames one would fail at runtime."""
    pruefung = subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(katalog)], capture_output=True, text=True
    )
    assert (pruefung.returncode, pruefung.stderr) == (0, "")


def test_german_source_strings_are_not_reworded_by_other_catalogues():
    """German is the source, so our strings have no German catalogue – but an installed app's
    one still applies to a string it also uses: django-import-export turns "Format" into
    "Dateiformat". Such strings need a context (pgettext) to stay as written."""
    import gettext

    import django

    zeilen = KATALOG.read_text(encoding="utf-8").splitlines()
    # Entries with a context (a msgctxt line before the msgid) cannot collide. Strings used only
    # in our overrides of Django's admin templates (templates/admin/) are Django's own words on
    # purpose ("Delete?", "Date:"): there Django's German is the one wanted.
    eigene, fundstellen = set(), []
    for vorher, zeile in zip(zeilen, zeilen[1:], strict=False):
        if zeile.startswith("#: "):
            fundstellen += zeile[3:].split()
        elif zeile.startswith('msgid "') and zeile != 'msgid ""':
            nur_admin = fundstellen and all(f.startswith("templates/admin/") for f in fundstellen)
            if not vorher.startswith("msgctxt") and not nur_admin:
                eigene.add(zeile[len('msgid "') : -1])
        if not zeile.startswith("#"):
            fundstellen = []
    pakete = Path(django.__file__).resolve().parent.parent
    umgedeutet = {}
    for mo in pakete.glob("*/**/locale/de/LC_MESSAGES/django.mo"):
        with mo.open("rb") as datei:
            katalog = gettext.GNUTranslations(datei)._catalog
        for msgid in eigene:
            if katalog.get(msgid, msgid) != msgid:
                umgedeutet[msgid] = (katalog[msgid], str(mo.relative_to(pakete)))
    assert umgedeutet == {}
