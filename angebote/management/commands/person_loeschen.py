"""Erase a person's data: a contact person, or a staff account, with every copy the site keeps.

    python manage.py person_loeschen --kontaktperson 12 [--kontaktperson 13] --durch "R. Meier"
    python manage.py person_loeschen --konto erika.muster --durch "R. Meier"

Contact person: the record is deleted; its name, e-mail and phone are overwritten in all its
history rows; an offering's "Ansprechperson" fields that hold the person's e-mail (anywhere) or
name (at the same provider) are emptied, in the offering and its history; the admin log loses the
name, e-mail and phone, and so does the export protocol (a search for the person). Works also
when the record was deleted before (history only).

Staff account: kept as an anonymous, inactive row ("geloescht-<id>"), so that the history keeps
"who" as that row; name, e-mail, password, groups, networks, two-factor devices, sessions and
login records (django-axes) go, and the admin log loses the user name, names and e-mail.

Each run records that an erasure happened (atlas.Loeschprotokoll: kind, number, who ran it, how
many rows), never the erased data.
"""

from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q

from akteure.models import Kontaktperson
from angebote.models import Angebot
from atlas.loeschung import (
    GELOESCHT,
    adminlog_bereinigen,
    exportprotokoll_bereinigen,
    gruende_bereinigen,
    loeschung_festhalten,
    post_und_meldungen_bereinigen,
    verlauf_bereinigen,
)
from atlas.models import Loeschprotokoll


def kontaktperson_loeschen(pk, *, durch=""):
    """Erase contact person `pk` everywhere; the number of rows changed or deleted."""
    verlauf = Kontaktperson.history.filter(id=pk).order_by("-history_id")
    letzte = Kontaktperson.objects.filter(pk=pk).first() or verlauf.first()
    if letzte is None:
        raise CommandError(f"Kontaktperson {pk} gibt es nicht, auch nicht im Verlauf.")
    namen = set(verlauf.values_list("name", flat=True)) | {letzte.name}
    mails = set(verlauf.values_list("email", flat=True)) | {letzte.email}
    telefone = set(verlauf.values_list("telefon", flat=True)) | {letzte.telefon}
    namen, mails, telefone = (
        {t for t in menge if t and t != GELOESCHT} for menge in (namen, mails, telefone)
    )
    akteur_id = letzte.akteur_id
    zeilen = Kontaktperson.objects.filter(pk=pk).delete()[0]
    zeilen += verlauf_bereinigen(
        Kontaktperson, pk, {"name": GELOESCHT, "email": "", "telefon": "", "qualifikationen": ""}
    )
    # Offerings name their contact in three plain fields: the e-mail identifies the person
    # anywhere, the name only at the same provider (namesakes elsewhere are other people).
    mail_q = Q(kontakt_email__in=mails) if mails else Q(pk__in=[])
    name_q = Q(kontakt_name__in=namen, anbieter_id=akteur_id) if namen else Q(pk__in=[])
    angebote = Angebot.objects.filter(mail_q | name_q)
    leer = {"kontakt_name": "", "kontakt_email": "", "kontakt_telefon": ""}
    zeilen += Angebot.history.filter(mail_q | name_q).update(**leer)
    zeilen += angebote.update(**leer)
    texte = namen | mails | telefone
    zeilen += adminlog_bereinigen(texte, objekte=[(Kontaktperson, pk)])
    zeilen += gruende_bereinigen(texte)
    zeilen += exportprotokoll_bereinigen(texte)
    zeilen += post_und_meldungen_bereinigen(texte, mails)
    loeschung_festhalten(
        art=Loeschprotokoll.Art.KONTAKTPERSON, kennung=pk, durch=durch, zeilen=zeilen
    )
    return zeilen


def konto_loeschen(kennung, *, durch=""):
    """Anonymise staff account `kennung` (user name or number); the number of rows changed."""
    User = get_user_model()
    user = User.objects.filter(
        Q(username=kennung) | Q(pk=int(kennung) if str(kennung).isdigit() else None)
    ).first()
    if user is None:
        raise CommandError(f"Ein Benutzerkonto „{kennung}“ gibt es nicht.")
    texte = {user.username, user.email, user.get_full_name(), user.first_name, user.last_name}
    texte = {t for t in texte if t}
    alter_name = user.username
    zeilen = 1
    user.username = f"geloescht-{user.pk}"
    user.first_name = user.last_name = user.email = ""
    user.set_unusable_password()
    user.is_active = user.is_staff = user.is_superuser = False
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    zeilen += _verbundenes_entfernen(user, alter_name)
    zeilen += adminlog_bereinigen(texte, objekte=[(User, user.pk)])
    zeilen += gruende_bereinigen(texte)
    zeilen += exportprotokoll_bereinigen(texte)
    zeilen += post_und_meldungen_bereinigen(texte, texte)
    loeschung_festhalten(art=Loeschprotokoll.Art.KONTO, kennung=user.pk, durch=durch, zeilen=zeilen)
    return zeilen


def _verbundenes_entfernen(user, username):
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_otp import devices_for_user

    zeilen = user.koordinierte_netzwerke.count()
    user.koordinierte_netzwerke.clear()
    for geraet in devices_for_user(user, confirmed=None):
        geraet.delete()
        zeilen += 1
    for modell in (AccessAttempt, AccessLog, AccessFailureLog):
        zeilen += modell.objects.filter(username=username).delete()[0]
    for sitzung in Session.objects.iterator():
        if sitzung.get_decoded().get("_auth_user_id") == str(user.pk):
            sitzung.delete()
            zeilen += 1
    return zeilen


class Command(BaseCommand):
    help = "Löscht die Daten einer Person (Kontaktperson oder Benutzerkonto) samt Verlauf und Log."

    def add_arguments(self, parser):
        parser.add_argument("--kontaktperson", type=int, action="append", default=[])
        parser.add_argument("--konto", action="append", default=[])
        parser.add_argument(
            "--durch", default="", help="Wer die Löschung veranlasst (für das Protokoll)."
        )

    def handle(self, *args, kontaktperson, konto, durch, **options):
        if not kontaktperson and not konto:
            raise CommandError("Bitte --kontaktperson NUMMER oder --konto NAME angeben.")
        with transaction.atomic():
            for pk in kontaktperson:
                zeilen = kontaktperson_loeschen(pk, durch=durch)
                self.stdout.write(f"Kontaktperson {pk}: gelöscht ({zeilen} Zeilen).")
            for kennung in konto:
                zeilen = konto_loeschen(kennung, durch=durch)
                self.stdout.write(f"Benutzerkonto {kennung}: anonymisiert ({zeilen} Zeilen).")
