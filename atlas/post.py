"""Outgoing mail through a table: written in the transaction that decides to send, sent by
Django's e-mail backend (`EMAIL_BACKEND`, SMTP from the environment), retried when it fails.

A mail that cannot be sent (server down, refused) stays "wartet" with the error and a later
`naechster_versuch` (5 minutes, then doubling); after POST_MAX_VERSUCHE attempts it is
"aufgegeben" and shown as such in the admin. `manage.py postausgang_senden` (every few
minutes) and `erinnerungen_senden` (daily) send what is due; a new report's notification is
tried right after its transaction commits.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from .models import Postausgang

log = logging.getLogger(__name__)
ERSTE_PAUSE = timedelta(minutes=5)


def einreihen(*, an, betreff, text):
    """Put one mail per address into the outbox (inside the caller's transaction)."""
    adressen = [an] if isinstance(an, str) else list(dict.fromkeys(an))
    return [
        Postausgang.objects.create(an=adresse, betreff=betreff[:250], text=text)
        for adresse in adressen
        if adresse
    ]


def nach_commit_senden(mails):
    """Try these mails once the transaction has committed (the request does not wait long:
    EMAIL_TIMEOUT); what fails is retried by the commands."""
    ids = [m.pk for m in mails]
    if ids:
        transaction.on_commit(lambda: senden(ids=ids))


def senden(*, ids=None, jetzt=None):
    """Send the waiting mails that are due (or those of `ids`); (sent, failed) counts.

    Each row is locked while it is sent (SKIP LOCKED): two runs at once never send one twice.
    """
    jetzt = jetzt or timezone.now()
    gesendet = fehlgeschlagen = 0
    while True:
        with transaction.atomic():
            qs = Postausgang.objects.filter(
                zustand=Postausgang.Zustand.WARTET, naechster_versuch__lte=jetzt
            )
            if ids is not None:
                qs = qs.filter(pk__in=ids)
            mail = qs.order_by("naechster_versuch", "pk").select_for_update(skip_locked=True)
            mail = mail.first()
            if mail is None:
                return gesendet, fehlgeschlagen
            mail.versuche += 1
            try:
                EmailMessage(
                    subject=mail.betreff,
                    body=mail.text,
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    to=[mail.an],
                ).send()
            except Exception as fehler:  # any backend error: keep the mail and retry
                log.warning("Mail %s an %s nicht gesendet: %s", mail.pk, mail.an, fehler)
                mail.letzter_fehler = f"{type(fehler).__name__}: {fehler}"[:2000]
                if mail.versuche >= settings.POST_MAX_VERSUCHE:
                    mail.zustand = Postausgang.Zustand.AUFGEGEBEN
                mail.naechster_versuch = jetzt + ERSTE_PAUSE * 2 ** (mail.versuche - 1)
                fehlgeschlagen += 1
            else:
                mail.zustand = Postausgang.Zustand.GESENDET
                mail.gesendet_am = timezone.now()
                mail.letzter_fehler = ""
                gesendet += 1
            mail.save()
