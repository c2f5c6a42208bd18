"""Turn an admin add/change page into the POST data a browser would send back unchanged."""

import datetime

from django import forms
from django.contrib.gis.geos import GEOSGeometry
from django.db.models import Model


def _text(wert):
    if isinstance(wert, Model):
        return str(wert.pk)
    if isinstance(wert, GEOSGeometry):
        return wert.ewkt
    if isinstance(wert, datetime.datetime):
        return wert.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(wert, datetime.date):
        return wert.isoformat()
    return "" if wert is None else str(wert)


def _felder(form, daten):
    for name in form.fields:
        wert = form[name].value()
        if isinstance(
            form.fields[name], forms.MultipleChoiceField | forms.ModelMultipleChoiceField
        ):
            daten[form.add_prefix(name)] = [_text(w) for w in wert or []]
        elif isinstance(wert, bool):
            if wert:
                daten[form.add_prefix(name)] = "on"
        elif isinstance(wert, list | tuple):
            daten[form.add_prefix(name)] = [_text(w) for w in wert]
        elif hasattr(form.fields[name], "widget") and hasattr(form.fields[name].widget, "widgets"):
            # Split widgets (date + time) post one value per sub-widget.
            for i, teil in enumerate(form.fields[name].widget.decompress(wert)):
                daten[f"{form.add_prefix(name)}_{i}"] = _text(teil)
        else:
            daten[form.add_prefix(name)] = _text(wert)


def formulardaten(antwort, **aenderungen):
    """The form of an admin add/change response (with its inlines) as POST data."""
    daten = {}
    _felder(antwort.context["adminform"].form, daten)
    for inline in antwort.context.get("inline_admin_formsets", []):
        formset = inline.formset
        verwaltung = formset.management_form
        for name in verwaltung.fields:
            daten[verwaltung.add_prefix(name)] = _text(verwaltung[name].value())
        for form in formset.forms:
            _felder(form, daten)
    daten.update(aenderungen)
    return daten
