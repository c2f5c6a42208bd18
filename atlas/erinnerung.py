"""Reminders about due records, and the signed link "Angaben sind noch aktuell".

`erinnerungen_senden()` (daily, `manage.py erinnerungen_senden`) goes through the published
records of every `Pruefbar` model whose details are due (last confirmed — never confirmed:
created — PRUEFUNG_FAELLIG_MONATE months ago or earlier) and takes each one step further:

1. a mail to the provider's address (the model's `erinnerung_an()`) with a one-use link that
   confirms the details without a login, and a link to propose changes;
2. ERINNERUNG_ZWEITE_NACH_TAGE days later, a second one with a new link;
3. ERINNERUNG_KOORDINATION_NACH_TAGE days after that, a mail to the coordinators in whose scope
   the record lies (the models' own scope rule); at once when there is no provider address.

Each step is an `Erinnerung` row, unique per record, round and step: a second run sends
nothing twice. A confirmation sets `geprueft_am` (history row, reason given) and so starts a
new round; every link of the old round is then used up.
"""

from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce, TruncDate
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from . import post
from .models import Erinnerung, Pruefbar
from .pruefung import pruefung_stichtag
from .rollen import KOORDINATION, REDAKTION, ist_koordination


class LinkUngueltig(Exception):
    """The link was altered, belongs to another record, or its reminder no longer exists."""


class LinkAbgelaufen(Exception):
    pass


class LinkBenutzt(Exception):
    def __init__(self, erinnerung):
        self.erinnerung = erinnerung


def pruefbare_modelle():
    return [m for m in apps.get_models() if issubclass(m, Pruefbar)]


def modellschluessel(obj):
    """ "angebote.angebot": how URLs name a record's model."""
    return obj._meta.label_lower


def pruefbares_modell(schluessel):
    """The Pruefbar model a URL names ("angebote.angebot"), else 404."""
    try:
        app_label, name = schluessel.split(".")
        modell = ContentType.objects.get_by_natural_key(app_label, name).model_class()
    except (ValueError, ContentType.DoesNotExist):
        raise Http404 from None
    if modell is None or not issubclass(modell, Pruefbar):
        raise Http404
    return modell


def _salz(obj):
    # The record is part of the signature: a link shown at another record's URL is invalid.
    return f"atlas.erinnerung:{modellschluessel(obj)}:{obj.pk}"


def link_token(erinnerung, obj):
    return signing.dumps({"e": erinnerung.pk}, salt=_salz(obj))


def link_pruefen(obj, token):
    """The reminder a link belongs to; LinkUngueltig, LinkAbgelaufen or LinkBenutzt."""
    tage = settings.ERINNERUNG_LINK_GUELTIG_TAGE
    try:
        daten = signing.loads(token, salt=_salz(obj), max_age=tage * 24 * 60 * 60)
    except signing.SignatureExpired:
        raise LinkAbgelaufen from None
    except (signing.BadSignature, ValueError):
        raise LinkUngueltig from None
    if not isinstance(daten, dict) or not isinstance(daten.get("e"), int):
        raise LinkUngueltig
    typ = ContentType.objects.get_for_model(obj)
    erinnerung = Erinnerung.objects.filter(pk=daten["e"], inhalt_typ=typ, objekt_id=obj.pk).first()
    if erinnerung is None:
        raise LinkUngueltig
    if erinnerung.benutzt_am is not None or erinnerung.stand != obj.geprueft_am:
        raise LinkBenutzt(erinnerung)
    return erinnerung


def bestaetigen(obj, token):
    """Confirm `obj`'s details through a reminder's link: `geprueft_am` today, a history row
    that says how, and every link of this round used up. Raises what `link_pruefen` raises."""
    with transaction.atomic():
        obj = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
        erinnerung = link_pruefen(obj, token)
        jetzt = timezone.now()
        obj.geprueft_am, obj.geprueft_von = timezone.localdate(), None
        obj._change_reason = _(
            "Angaben als aktuell bestätigt (Link aus der Erinnerung an %(an)s)"
        ) % {"an": erinnerung.an}
        obj.save(update_fields=["geprueft_am", "geprueft_von"])
        Erinnerung.objects.filter(
            inhalt_typ=erinnerung.inhalt_typ, objekt_id=obj.pk, benutzt_am__isnull=True
        ).update(benutzt_am=jetzt)
    return obj


def zustaendige(obj):
    """The coordinators in whose scope `obj` lies (each model's scope rule); without any,
    the Redaktion. Only accounts with an e-mail address."""
    User = get_user_model()
    aktiv = User.objects.filter(is_active=True, is_staff=True).exclude(email="")
    manager = type(obj)._default_manager
    gefunden = [
        u
        for u in aktiv.filter(groups__name=KOORDINATION).distinct().order_by("pk")
        if ist_koordination(u) and manager.im_bereich_von(u).filter(pk=obj.pk).exists()
    ]
    if not gefunden:
        redaktion = Q(groups__name=REDAKTION) | Q(is_superuser=True)
        gefunden = list(aktiv.filter(redaktion).distinct().order_by("pk"))
    return gefunden


def _basis_url():
    return settings.SITE_URL.rstrip("/")


def _mail_kontext(obj, **extra):
    return {
        "objekt": obj,
        "art": obj._meta.verbose_name,
        "seite_url": _basis_url() + obj.get_absolute_url(),
        "aendern_url": _basis_url()
        + reverse("atlas:melden", args=[modellschluessel(obj), obj.pk])
        + "?art=aenderung",
        "site_title": settings.SITE_TITLE,
        "monate": settings.PRUEFUNG_FAELLIG_MONATE,
        "link_tage": settings.ERINNERUNG_LINK_GUELTIG_TAGE,
        **extra,
    }


def _an_anbieter(obj, erinnerung):
    token = link_token(erinnerung, obj)
    link = _basis_url() + reverse(
        "atlas:angaben_aktuell", args=[modellschluessel(obj), obj.pk, token]
    )
    kontext = _mail_kontext(obj, bestaetigen_url=link, zweite=erinnerung.stufe == 2)
    betreff = (
        _("Erinnerung: Sind die Angaben zu „%(name)s“ noch aktuell?")
        if erinnerung.stufe == 2
        else _("Sind die Angaben zu „%(name)s“ noch aktuell?")
    ) % {"name": obj}
    return post.einreihen(
        an=erinnerung.an,
        betreff=betreff,
        text=render_to_string("atlas/mail/erinnerung.txt", kontext),
    )


def _an_koordination(obj, ohne_adresse):
    kontext = _mail_kontext(
        obj,
        ohne_adresse=ohne_adresse,
        admin_url=_basis_url()
        + reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk]),
    )
    return post.einreihen(
        an=[u.email for u in zustaendige(obj)],
        betreff=_("Prüfung fällig: „%(name)s“") % {"name": obj},
        text=render_to_string("atlas/mail/koordination.txt", kontext),
    )


def _schritt(obj, vorhanden, jetzt):
    """The next reminder step for `obj`, if one is due: (stufe, address) or None."""
    if Erinnerung.Stufe.KOORDINATION in vorhanden:
        return None  # the round is with the coordinators now
    an = obj.erinnerung_an()
    if Erinnerung.Stufe.ERSTE not in vorhanden:
        return (Erinnerung.Stufe.ERSTE, an) if an else (Erinnerung.Stufe.KOORDINATION, "")
    erste = vorhanden[Erinnerung.Stufe.ERSTE]
    zweite_ab = jetzt - timedelta(days=settings.ERINNERUNG_ZWEITE_NACH_TAGE)
    if Erinnerung.Stufe.ZWEITE not in vorhanden:
        if erste.gesendet_am <= zweite_ab:
            return Erinnerung.Stufe.ZWEITE, an or erste.an
        return None
    zweite = vorhanden[Erinnerung.Stufe.ZWEITE]
    dritte_ab = jetzt - timedelta(days=settings.ERINNERUNG_KOORDINATION_NACH_TAGE)
    if zweite.gesendet_am <= dritte_ab:
        return Erinnerung.Stufe.KOORDINATION, ""
    return None


def faellige(modell):
    """The published records of `modell` whose reminder round is due."""
    stand = Coalesce(F("geprueft_am"), TruncDate("erstellt_am"))
    return (
        modell._default_manager.veroeffentlicht()
        .alias(angaben_stand=stand)
        .filter(angaben_stand__lte=pruefung_stichtag())
        .order_by("pk")
    )


def erinnerungen_senden(*, jetzt=None):
    """Take every due record one step further; {stufe: count} of the steps taken."""
    if not settings.SITE_URL:
        raise ValueError(
            _("SITE_URL fehlt: Die Links in den E-Mails brauchen die Adresse der Seite.")
        )
    jetzt = jetzt or timezone.now()
    gezaehlt = {stufe: 0 for stufe in Erinnerung.Stufe}
    # The mails go out in the site's language, whatever the shell's.
    with override(settings.LANGUAGE_CODE):
        for modell in pruefbare_modelle():
            typ = ContentType.objects.get_for_model(modell)
            for obj in faellige(modell).iterator(chunk_size=500):
                vorhanden = {
                    e.stufe: e
                    for e in Erinnerung.objects.filter(
                        inhalt_typ=typ, objekt_id=obj.pk, stand=obj.geprueft_am
                    )
                }
                schritt = _schritt(obj, vorhanden, jetzt)
                if schritt is None:
                    continue
                stufe, an = schritt
                try:
                    with transaction.atomic():
                        erinnerung = Erinnerung.objects.create(
                            inhalt_typ=typ,
                            objekt_id=obj.pk,
                            stand=obj.geprueft_am,
                            stufe=stufe,
                            an=an,
                            gesendet_am=jetzt,
                        )
                        if stufe == Erinnerung.Stufe.KOORDINATION:
                            _an_koordination(obj, ohne_adresse=not vorhanden)
                        else:
                            _an_anbieter(obj, erinnerung)
                except IntegrityError:
                    continue  # another run took this step at the same time
                gezaehlt[stufe] += 1
    return gezaehlt
