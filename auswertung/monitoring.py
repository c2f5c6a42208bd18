"""Monitoring per site (issue 14, point 5): a site's offerings by life phase and format, its
partners, the share verified in the last 12 months, and monthly snapshots for the change over
time (the Familiengrundschulzentren's "datenbasiertes Monitoring", seeds/003).

A site is a published actor that is a current partner of a published network. Everything is
computed from published records only; the snapshots keep the month's figures, written by the
idempotent command `python manage.py monitoring_schnappschuss` (schedule it monthly, e.g. cron
`0 3 1 * *`; a second run in the same month replaces that month's rows).
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from akteure.models import Akteur
from angebote.models import LEBENSPHASEN, Angebot, Format, lebensphase_q
from netzwerke.models import Partnerschaft

from .models import Schnappschuss


def standorte(programm=None):
    """The sites: published actors with a current public partnership (in `programm`)."""
    partnerschaften = Partnerschaft.objects.veroeffentlicht()
    if programm is not None:
        partnerschaften = partnerschaften.filter(netzwerk__programm=programm)
    return Akteur.objects.veroeffentlicht().filter(pk__in=partnerschaften.values("akteur_id"))


def monatserster(tag=None):
    tag = tag or timezone.localdate()
    return tag.replace(day=1)


def kennzahlen(akteure):
    """{actor id: figures} for the actors of the queryset `akteure` (a few queries in all)."""
    ids = list(akteure.values_list("pk", flat=True))
    grenze = timezone.localdate() - datetime.timedelta(days=365)
    oeffentlich = Angebot.objects.veroeffentlicht()
    zeilen = (
        oeffentlich.filter(anbieter_id__in=ids)
        .order_by()
        .values("anbieter_id")
        .annotate(
            n=Count("pk"),
            geprueft=Count("pk", filter=Q(geprueft_am__gte=grenze)),
            **{f"p{i}": Count("pk", filter=lebensphase_q(p)) for i, p in enumerate(LEBENSPHASEN)},
            **{f"f_{f.value}": Count("pk", filter=Q(format=f.value)) for f in Format},
        )
    )
    ergebnis = {
        pk: {
            "angebote": 0,
            "nach_lebensphase": {p.slug: 0 for p in LEBENSPHASEN},
            "nach_format": {f.value: 0 for f in Format},
            "partner": 0,
            "netzwerke": 0,
            "anteil_geprueft": Decimal("0.0"),
        }
        for pk in ids
    }
    for z in zeilen:
        werte = ergebnis[z["anbieter_id"]]
        werte["angebote"] = z["n"]
        werte["nach_lebensphase"] = {p.slug: z[f"p{i}"] for i, p in enumerate(LEBENSPHASEN)}
        werte["nach_format"] = {f.value: z[f"f_{f.value}"] for f in Format}
        werte["anteil_geprueft"] = (Decimal(z["geprueft"] * 100) / z["n"]).quantize(Decimal("0.1"))
    # Partners: the other actors of the site's published offerings, either way round.
    partner = defaultdict(set)
    durch = Angebot.kooperationspartner.through.objects.filter(angebot__in=oeffentlich.values("pk"))
    for anbieter, kooperation in durch.filter(angebot__anbieter_id__in=ids).values_list(
        "angebot__anbieter_id", "akteur_id"
    ):
        partner[anbieter].add(kooperation)
    for anbieter, kooperation in durch.filter(akteur_id__in=ids).values_list(
        "angebot__anbieter_id", "akteur_id"
    ):
        partner[kooperation].add(anbieter)
    for pk, andere in partner.items():
        ergebnis[pk]["partner"] = len(andere - {pk})
    for pk, n in (
        Partnerschaft.objects.veroeffentlicht()
        .filter(akteur_id__in=ids)
        .order_by()
        .values_list("akteur_id")
        .annotate(n=Count("pk"))
    ):
        ergebnis[pk]["netzwerke"] = n
    return ergebnis


def schnappschuesse_schreiben(monat=None):
    """This month's snapshot of every site; idempotent (the month's rows are replaced)."""
    monat = monatserster(monat)
    werte = kennzahlen(standorte())
    with transaction.atomic():
        Schnappschuss.objects.filter(monat=monat).delete()
        Schnappschuss.objects.bulk_create(
            Schnappschuss(akteur_id=pk, monat=monat, **figuren) for pk, figuren in werte.items()
        )
    return len(werte)
