"""The import direction: config > beispieldaten > angebote > netzwerke > akteure > atlas.

`make lint` runs the contracts; these tests show that they catch what they are for, and that the
project keeps them.
"""

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from scripts.schichten import Griff, erlaubnis_lesen, pruefen

WURZEL = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def vertraege():
    einstellungen = tomllib.loads((WURZEL / "pyproject.toml").read_text())["tool"]["importlinter"]
    return {v["id"]: v for v in einstellungen["contracts"]}


SCHICHTEN = vertraege()["schichten"]["layers"]


def test_both_contracts_name_the_same_layers():
    assert vertraege()["get_model"]["layers"] == SCHICHTEN
    assert SCHICHTEN[-1] == "atlas"


def test_get_model_upward_is_reported():
    quelle = 'from django.apps import apps\n\nAngebot = apps.get_model("angebote", "Angebot")\n'
    verstoesse, ungenutzt = pruefen({"akteure.neu": quelle}, SCHICHTEN, [])
    assert verstoesse == [Griff("akteure.neu", "angebote.Angebot", 3)]
    assert ungenutzt == []


def test_get_model_in_one_string_and_not_written_out_are_reported():
    quelle = (
        "from django.apps import apps\n"
        'apps.get_model("netzwerke.Netzwerk")\n'
        "def f(label):\n"
        "    return apps.get_model(label)\n"
    )
    verstoesse, _ = pruefen({"atlas.neu": quelle}, SCHICHTEN, [])
    assert verstoesse == [Griff("atlas.neu", "netzwerke.Netzwerk", 2), Griff("atlas.neu", "*", 4)]


def test_get_model_downward_sideways_and_outside_the_layers_is_fine():
    quellen = {
        "angebote.neu": 'apps.get_model("akteure", "Akteur")\napps.get_model("auth", "Group")\n',
        "akteure.migrations.0099_x": 'apps.get_model("akteure", "Sprache")\n',
        "tests.irgendwas": 'apps.get_model("angebote", "Angebot")\n',
    }
    assert pruefen(quellen, SCHICHTEN, []) == ([], [])


def test_a_listed_reach_passes_and_a_stale_one_is_reported():
    quelle = 'apps.get_model("netzwerke", "Netzwerk")\n'
    erlaubt = [
        "akteure.bereich -> netzwerke.Netzwerk: the scope is defined by networks",
        "akteure.alt -> angebote.Angebot: no longer needed",
    ]
    verstoesse, ungenutzt = pruefen({"akteure.bereich": quelle}, SCHICHTEN, erlaubt)
    assert verstoesse == []
    assert ungenutzt == [("akteure.alt", "angebote.Angebot")]


@pytest.mark.parametrize(
    "eintrag", ["akteure.bereich -> netzwerke.Netzwerk", "akteure.bereich -> netzwerke.Netzwerk: "]
)
def test_a_reach_without_reason_is_refused(eintrag):
    with pytest.raises(ValueError, match="the reason is required"):
        erlaubnis_lesen(eintrag)


def lint_imports(ordner):
    umgebung = {**os.environ, "PYTHONPATH": str(WURZEL)}  # for scripts.schichten
    ergebnis = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=ordner,
        env=umgebung,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return ergebnis.returncode, [zeile.strip() for zeile in ergebnis.stdout.splitlines()]


def test_lint_imports_breaks_on_an_upward_import_and_get_model(tmp_path):
    """The shipped configuration, run on a small tree with both kinds of reach upward."""
    shutil.copy(WURZEL / "pyproject.toml", tmp_path)
    for paket in SCHICHTEN:
        (tmp_path / paket).mkdir()
        (tmp_path / paket / "__init__.py").write_text("")
    (tmp_path / "atlas" / "listen.py").write_text("import akteure\n")
    (tmp_path / "akteure" / "bereich.py").write_text(
        "from django.apps import apps\n\n\n"
        "def angebote():\n"
        '    return apps.get_model("angebote", "Angebot")\n'
    )
    rc, zeilen = lint_imports(tmp_path)
    assert rc == 1
    assert "atlas is not allowed to import akteure:" in zeilen
    assert "- atlas.listen -> akteure (l.1)" in zeilen
    assert (
        "akteure.bereich -> angebote.Angebot (l.5): get_model() reaches a higher layer." in zeilen
    )
    assert "Contracts: 0 kept, 2 broken." in zeilen


def test_the_project_keeps_its_contracts():
    rc, zeilen = lint_imports(WURZEL)
    assert "Contracts: 2 kept, 0 broken." in zeilen, "\n".join(zeilen)
    assert rc == 0
