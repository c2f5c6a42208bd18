"""Database rules for what the forms already demand: a name, a five-digit PLZ, a value from the
field's choices. Used in the models' `Meta.constraints`; `vorher_pruefen` makes the migration that
adds them stop with a German list of the offending rows instead of changing data behind anyone's
back (README, "Rules the database enforces")."""

from django.db import migrations, models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def nicht_leer(feld, name):
    """`feld` holds at least one character that is not white space."""
    return models.CheckConstraint(
        condition=Q(**{f"{feld}__regex": r"\S"}),
        name=name,
        violation_error_message=_("Dieses Feld darf nicht leer sein."),
    )


def fuenfstellige_plz(feld, name):
    """Empty, or five digits."""
    return models.CheckConstraint(
        condition=Q(**{feld: ""}) | Q(**{f"{feld}__regex": r"^[0-9]{5}$"}),
        name=name,
        violation_error_message=_("Die Postleitzahl hat fünf Ziffern."),
    )


def aus_auswahl(feld, auswahl, name):
    """One of the values of `auswahl` (a TextChoices class)."""
    return models.CheckConstraint(
        condition=Q(**{f"{feld}__in": list(auswahl.values)}),
        name=name,
        violation_error_message=_("Dieser Wert steht nicht zur Auswahl."),
    )


def vorher_pruefen(modell, *constraints):
    """A migration step that stops, naming the rows, if existing data breaks these constraints.

    `modell(apps)` returns the historical model (`lambda apps: apps.get_model("app", "Model")`).

    AddConstraint would fail too, with PostgreSQL's "is violated by some row" and no row named;
    fixing the data silently (a placeholder name, a PLZ cut short) would publish nonsense. So
    the operator sees which rows to correct, corrects them in the admin, and migrates again.
    """

    def pruefen(apps, schema_editor):
        model = modell(apps)
        fehler = []
        for constraint in constraints:
            ids = list(
                model._default_manager.using(schema_editor.connection.alias)
                .exclude(constraint.condition)
                .order_by("pk")
                .values_list("pk", flat=True)[:21]
            )
            if ids:
                liste = ", ".join(map(str, ids[:20])) + (" …" if len(ids) > 20 else "")
                fehler.append(f"{constraint.name}: {model.__name__} mit id {liste}")
        if fehler:
            raise RuntimeError(
                "Migration angehalten: vorhandene Daten verletzen neue Regeln. Bitte diese "
                "Einträge in der Verwaltung korrigieren und die Migration wiederholen:\n  "
                + "\n  ".join(fehler)
            )

    return migrations.RunPython(pruefen, migrations.RunPython.noop, elidable=True)


def pruefung_davor(operationen, modelle):
    """The migration's AddConstraint operations, preceded by `vorher_pruefen` for each model.

    `modelle` maps the operations' model_name to `lambda apps: apps.get_model(...)`.
    """
    je_modell = {}
    for operation in operationen:
        if isinstance(operation, migrations.AddConstraint):
            je_modell.setdefault(operation.model_name, []).append(operation.constraint)
    pruefungen = [vorher_pruefen(modelle[name], *liste) for name, liste in je_modell.items()]
    return [*pruefungen, *operationen]
