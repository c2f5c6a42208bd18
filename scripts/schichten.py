"""An import-linter contract for what import-linter cannot see: `apps.get_model("app", …)`.

Django lets code reach any model by name at run time. Such a reach is an import by another
name, so it has to follow the same layers as the imports (the `layers` contract beside it in
pyproject.toml). This contract reads every module of the layers with `ast`, finds each
`get_model(...)` call, and reports a call whose app sits in a higher layer than the calling
module — unless that exact reach is listed under `erlaubt` with a written reason:

    erlaubt = ["akteure.bereich -> netzwerke.Netzwerk: why this reach is needed"]

A listed reach that no longer occurs is reported too, so the list stays true. A call whose
target is not written out literally cannot be checked and is reported unless listed with `*`.
"""

import ast
import importlib.util
from dataclasses import dataclass
from pathlib import Path

from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck


@dataclass(frozen=True, order=True)
class Griff:
    """One `get_model` call: the calling module, the model named ("app.Model" or "*"), line."""

    modul: str
    ziel: str
    zeile: int

    @property
    def app(self):
        return self.ziel.split(".")[0]


def _text(knoten):
    ist_text = isinstance(knoten, ast.Constant) and isinstance(knoten.value, str)
    return knoten.value if ist_text else None


def griffe(quelltext, modul):
    """Every `get_model(...)` call of a module's source (`apps.get_model`, a bare `get_model`)."""
    gefunden = []
    for knoten in ast.walk(ast.parse(quelltext)):
        if not isinstance(knoten, ast.Call):
            continue
        name = getattr(knoten.func, "attr", None) or getattr(knoten.func, "id", None)
        if name != "get_model":
            continue
        argumente = [_text(a) for a in knoten.args]
        if len(argumente) >= 2 and argumente[0] and argumente[1]:
            ziel = f"{argumente[0]}.{argumente[1]}"
        elif len(argumente) == 1 and argumente[0] and "." in argumente[0]:
            ziel = argumente[0]  # get_model("app.Model")
        else:
            ziel = "*"  # not written out: cannot be checked
        gefunden.append(Griff(modul, ziel, knoten.lineno))
    return gefunden


def erlaubnis_lesen(eintrag):
    """("modul", "app.Model" or "*", reason) of an entry "modul -> app.Model: reason"."""
    reichweite, _, grund = eintrag.partition(":")
    modul, pfeil, ziel = reichweite.partition("->")
    if not (pfeil and modul.strip() and ziel.strip() and grund.strip()):
        raise ValueError(
            f"{eintrag!r}: expected 'module -> app.Model: reason' (the reason is required)"
        )
    return modul.strip(), ziel.strip(), grund.strip()


def pruefen(quellen, schichten, erlaubt):
    """(reaches upward not listed, listed reaches that no longer occur) of the given sources.

    `quellen`: {module name: source text}; `schichten`: the layers, top first, as root package
    names; `erlaubt`: entries "module -> app.Model: reason".
    """
    rang = {name: i for i, name in enumerate(schichten)}
    erlaubnisse = {erlaubnis_lesen(e)[:2] for e in erlaubt}
    verstoesse, benutzt = [], set()
    for modul, quelltext in sorted(quellen.items()):
        eigener_rang = rang.get(modul.split(".")[0])
        if eigener_rang is None:
            continue
        for griff in griffe(quelltext, modul):
            if griff.ziel != "*" and rang.get(griff.app, len(schichten)) >= eigener_rang:
                continue  # same or lower layer, or an app outside the layers (auth, …)
            if (modul, griff.ziel) in erlaubnisse:
                benutzt.add((modul, griff.ziel))
                continue
            verstoesse.append(griff)
    return verstoesse, sorted(erlaubnisse - benutzt)


def _datei(modul):
    """The source file of a module of one of the root packages."""
    wurzel, *rest = modul.split(".")
    ordner = Path(importlib.util.find_spec(wurzel).submodule_search_locations[0])
    pfad = ordner.joinpath(*rest)
    return pfad / "__init__.py" if pfad.is_dir() else pfad.with_suffix(".py")


class GetModelSchichtenContract(Contract):
    """`get_model` reaches follow the layers; each exception is listed with its reason."""

    layers = fields.ListField(subfield=fields.StringField())
    erlaubt = fields.ListField(subfield=fields.StringField(), required=False)

    def validate(self):
        from importlinter.domain.contract import InvalidContractOptions

        for eintrag in self.erlaubt or []:
            try:
                erlaubnis_lesen(eintrag)
            except ValueError as fehler:
                raise InvalidContractOptions({"erlaubt": str(fehler)}) from None

    def check(self, graph, verbose):
        schichten = list(self.layers)
        quellen = {
            modul: _datei(modul).read_text(encoding="utf-8")
            for modul in graph.modules
            if modul.split(".")[0] in schichten
        }
        verstoesse, ungenutzt = pruefen(quellen, schichten, self.erlaubt or [])
        return ContractCheck(
            kept=not (verstoesse or ungenutzt),
            metadata={
                "verstoesse": [(g.modul, g.ziel, g.zeile) for g in verstoesse],
                "ungenutzt": ungenutzt,
            },
        )

    def render_broken_contract(self, check):
        for modul, ziel, zeile in check.metadata["verstoesse"]:
            if ziel == "*":
                output.print_error(
                    f"{modul} (l.{zeile}) calls get_model() with a name that is not written "
                    "out; it cannot be checked against the layers.",
                    bold=False,
                )
            else:
                output.print_error(
                    f"{modul} -> {ziel} (l.{zeile}): get_model() reaches a higher layer.",
                    bold=False,
                )
        for modul, ziel in check.metadata["ungenutzt"]:
            output.print_error(
                f"{modul} -> {ziel} is listed under 'erlaubt' but no longer occurs: remove it.",
                bold=False,
            )
        output.new_line()
        output.print(
            "Move the code to the layer it belongs to or give the lower layer a hook; a reach "
            "that is truly needed goes under 'erlaubt' with its reason."
        )
