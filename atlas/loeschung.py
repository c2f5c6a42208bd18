"""Erasing a person's data where copies of it live: history tables, the admin log, reasons.

The domain command (`manage.py person_loeschen`, angebote) decides *which* rows and texts belong
to the person; these functions know only models, fields and strings. Every function returns the
number of rows it changed, and nothing here keeps the erased values.
"""

import json
from urllib.parse import quote, quote_plus

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Value
from django.db.models.functions import Replace

from .models import Exportprotokoll, Loeschprotokoll, Meldung, Postausgang

GELOESCHT = "[gelöscht]"
# Shorter strings (a phone "1", a name "Al") would hit unrelated text in the logs.
MINDESTLAENGE = 4


def _schreibweisen(text):
    """`text` as it stands in a text field, inside JSON (the admin log escapes non-ASCII) and in
    a URL's query (the export protocol's addresses)."""
    return {text, json.dumps(text)[1:-1], quote_plus(text), quote(text)}


def texte_ersetzen(queryset, feld, texte):
    """Replace each of `texte` inside `feld` by GELOESCHT; rows changed (per text)."""
    anzahl = 0
    for text in texte:
        if len(text or "") < MINDESTLAENGE:
            continue
        for form in _schreibweisen(text):
            anzahl += queryset.filter(**{f"{feld}__contains": form}).update(
                **{feld: Replace(feld, Value(form), Value(GELOESCHT))}
            )
    return anzahl


def verlauf_bereinigen(model, pk, werte):
    """Overwrite `werte` ({field: value}) in every history row of the record `pk`."""
    verlauf = model.history.model._default_manager
    return verlauf.filter(**{model._meta.pk.attname: pk}).update(**werte)


def historien():
    """The history models of every model with django-simple-history."""
    return [
        model.history.model
        for model in apps.get_models()
        if hasattr(model._meta, "simple_history_manager_attribute")
    ]


def gruende_bereinigen(texte):
    """The reasons history rows give (e.g. "… „Name“ wurde gelöscht") without `texte`."""
    return sum(
        texte_ersetzen(h._default_manager.all(), "history_change_reason", texte)
        for h in historien()
    )


def adminlog_bereinigen(texte, *, objekte=()):
    """The admin log: entries about `objekte` ((model, pk)) lose their name, and `texte` are
    cut out of every entry's name and change message."""
    anzahl = 0
    for model, pk in objekte:
        typ = ContentType.objects.get_for_model(model, for_concrete_model=False)
        anzahl += (
            LogEntry.objects.filter(content_type=typ, object_id=str(pk))
            .exclude(object_repr=GELOESCHT)
            .update(object_repr=GELOESCHT)
        )
    anzahl += texte_ersetzen(LogEntry.objects.all(), "object_repr", texte)
    anzahl += texte_ersetzen(LogEntry.objects.all(), "change_message", texte)
    return anzahl


def exportprotokoll_bereinigen(texte):
    """A search for the person (filters, addresses) in the protocol of staff exports."""
    qs = Exportprotokoll.objects.all()
    return texte_ersetzen(qs, "filter", texte) + texte_ersetzen(qs, "adresse", texte)


def post_und_meldungen_bereinigen(texte, mails):
    """Mails to the person leave the outbox; reports lose the person's name, address or phone
    in their contact and text."""
    geloescht, _ = Postausgang.objects.filter(an__in=[m for m in mails if m]).delete()
    qs = Meldung.objects.all()
    return geloescht + texte_ersetzen(qs, "kontakt", texte) + texte_ersetzen(qs, "text", texte)


def loeschung_festhalten(*, art, kennung, durch, zeilen):
    """That an erasure happened: kind, the record's number, who ran it, how many rows."""
    return Loeschprotokoll.objects.create(
        art=art, kennung=str(kennung), durch=durch[:150], geaenderte_zeilen=zeilen
    )
