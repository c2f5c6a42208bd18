"""Two people editing one record: the second save is refused, not silently overwriting the first.

Every admin change form carries the record's *Fassung* (version): the id of its latest history
row, which every write path adds to (admin, actions, import, revert). Saving compares it with the
row's current one under a row lock, inside the admin's transaction; a difference means someone
else saved in between, and the form shows who and when and saves nothing.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

FELD = "atlas_fassung"


def fassung(obj):
    """The id of the record's latest history row, as text ("" for none or no history)."""
    if obj is None or obj.pk is None or not hasattr(type(obj), "history"):
        return ""
    letzte = _verlauf(obj).values_list("history_id", flat=True).first()
    return str(letzte or "")


def _verlauf(obj):
    """The record's history rows, newest first (the pk may be called `plz` rather than `id`)."""
    modell = type(obj)
    return modell.history.filter(**{modell._meta.pk.attname: obj.pk}).order_by("-history_id")


def _wer(zeile):
    user = zeile.history_user
    if user is None:
        return _("jemand anderem")
    return user.get_full_name() or user.get_username()


def versionsfeld():
    return forms.CharField(label=gettext_lazy("Fassung"), widget=forms.HiddenInput, required=False)


class FassungFormMixin:
    """A hidden field with the record's version, checked when the form is saved. Inline forms
    declare the field (`versionsfeld()`, so that their fieldsets can name it); a new row has
    no version to check."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None or not hasattr(type(self.instance), "history"):
            return
        if FELD not in self.fields:
            self.fields[FELD] = versionsfeld()
        self.fields[FELD].initial = fassung(self.instance)

    def clean(self):
        daten = super().clean()
        if FELD not in self.fields or self.instance.pk is None:
            return daten
        modell = type(self.instance)
        if transaction.get_connection().in_atomic_block:
            # Locks the row until the admin's transaction ends: two saves at once are serialised.
            modell._base_manager.select_for_update().filter(pk=self.instance.pk).exists()
        if (daten.get(FELD) or "") != fassung(self.instance):
            zeile = _verlauf(self.instance).first()
            raise ValidationError(
                _(
                    "„%(name)s“ wurde inzwischen von %(wer)s geändert (%(wann)s). Ihre "
                    "Änderungen wurden nicht gespeichert, damit sie diese Änderung nicht "
                    "überschreiben. Öffnen Sie den Eintrag neu (z. B. in einem neuen Tab), um die "
                    "aktuelle Fassung zu sehen, und tragen Sie Ihre Änderungen dort ein."
                )
                % {
                    "name": self.instance,
                    "wer": _wer(zeile),
                    "wann": date_format(
                        timezone.localtime(zeile.history_date), "SHORT_DATETIME_FORMAT"
                    ),
                },
                code="fassung",
            )
        return daten
