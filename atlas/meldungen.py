""" "Angaben falsch? Fehler melden": the public report form, its spam checks, the notification.

Spam protection without any third party: a honeypot field people do not see, a signed start
time (a form sent sooner than MELDUNG_MINDESTZEIT_SEKUNDEN after it was shown is refused),
and a rate limit per client address (MELDUNG_ANFRAGEN per MELDUNG_SEKUNDEN, atlas.drosselung).
"""

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import post
from .erinnerung import zustaendige
from .models import Meldung

ZEIT_SALZ = "atlas.meldung.zeit"
# The honeypot: a plausible name that form-filling bots fill in; people never see the field.
HONIGTOPF = "homepage"


class MeldungForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Was stimmt nicht?"),
        help_text=gettext_lazy(
            "Zum Beispiel: neue Adresse, andere Zeiten, das Angebot gibt es nicht mehr."
        ),
        min_length=5,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": gettext_lazy("Bitte beschreiben Sie kurz, was nicht stimmt."),
            "min_length": gettext_lazy("Bitte beschreiben Sie etwas genauer, was nicht stimmt."),
        },
    )
    kontakt = forms.CharField(
        label=gettext_lazy("Ihre E-Mail-Adresse oder Telefonnummer (freiwillig)"),
        help_text=gettext_lazy("Nur für Rückfragen; sie wird nicht veröffentlicht."),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "email"}),
    )
    homepage = forms.CharField(
        label=gettext_lazy("Bitte dieses Feld leer lassen"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    zeit = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A new start time each time the form is shown (again).
        self.initial["zeit"] = signing.dumps(time.time(), salt=ZEIT_SALZ)

    def clean_homepage(self):
        if self.cleaned_data.get(HONIGTOPF):
            raise forms.ValidationError(_("Bitte lassen Sie dieses Feld leer."))
        return ""

    def clean(self):
        daten = super().clean()
        try:
            gezeigt = float(signing.loads(self.data.get("zeit", ""), salt=ZEIT_SALZ))
        except (signing.BadSignature, TypeError, ValueError):
            raise forms.ValidationError(
                _("Das Formular ist unvollständig angekommen. Bitte senden Sie es noch einmal.")
            ) from None
        if time.time() - gezeigt < settings.MELDUNG_MINDESTZEIT_SEKUNDEN:
            raise forms.ValidationError(
                _("Das ging sehr schnell. Bitte prüfen Sie Ihre Angaben und senden Sie erneut.")
            )
        return daten


def melden(*, obj, art, text, kontakt, request):
    """Save a report about `obj` and tell its coordinators (through the outbox)."""
    with transaction.atomic():
        meldung = Meldung.objects.create(objekt=obj, art=art, text=text, kontakt=kontakt)
        kontext = {
            "meldung": meldung,
            "objekt": obj,
            "art": obj._meta.verbose_name,
            "seite_url": request.build_absolute_uri(obj.get_absolute_url()),
            "admin_url": request.build_absolute_uri(
                reverse("admin:atlas_meldung_change", args=[meldung.pk])
            ),
            "site_title": settings.SITE_TITLE,
        }
        mails = post.einreihen(
            an=[u.email for u in zustaendige(obj)],
            betreff=_("Neue Meldung zu „%(name)s“") % {"name": obj},
            text=render_to_string("atlas/mail/meldung.txt", kontext),
        )
        post.nach_commit_senden(mails)
    return meldung
