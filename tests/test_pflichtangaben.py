"""What the forms demand, the database enforces too (atlas/pflichtangaben.py, migrations
akteure/0010, angebote/0017, netzwerke/0005)."""

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction

from atlas.pflichtangaben import vorher_pruefen
from tests import factories

pytestmark = pytest.mark.django_db


def verletzt(objekt, **werte):
    """The name of the constraint the database names when `werte` are written to `objekt`."""
    with pytest.raises(IntegrityError) as fehler, transaction.atomic():
        type(objekt).objects.filter(pk=objekt.pk).update(**werte)
    return fehler.value.__cause__.diag.constraint_name


def test_offering_rules():
    angebot = factories.AngebotFactory(plz="73728")
    assert verletzt(angebot, titel="") == "angebot_titel_nicht_leer"
    assert verletzt(angebot, titel="   ") == "angebot_titel_nicht_leer"
    assert verletzt(angebot, plz="7372") == "angebot_plz_fuenfstellig"
    assert verletzt(angebot, plz="7372a") == "angebot_plz_fuenfstellig"
    assert verletzt(angebot, status="geloescht") == "angebot_status_gueltig"
    assert verletzt(angebot, format="podcast") == "angebot_format_gueltig"
    assert verletzt(angebot, kosten="teuer") == "angebot_kosten_gueltig"
    # Allowed: no PLZ at all, another status of the list.
    type(angebot).objects.filter(pk=angebot.pk).update(plz="", status="archiviert")


def test_actor_network_partnership_contact_rules():
    akteur = factories.AkteurFactory()
    assert verletzt(akteur, name=" ") == "akteur_name_nicht_leer"
    assert verletzt(akteur, status="") == "akteur_status_gueltig"
    netzwerk = factories.NetzwerkFactory()
    assert verletzt(netzwerk, name="") == "netzwerk_name_nicht_leer"
    assert verletzt(netzwerk, status="Veröffentlicht") == "netzwerk_status_gueltig"
    assert verletzt(netzwerk.programm, name="") == "programm_name_nicht_leer"
    partnerschaft = factories.PartnerschaftFactory(netzwerk=netzwerk, akteur=akteur)
    assert verletzt(partnerschaft, rolle="chef") == "partnerschaft_rolle_gueltig"
    kontakt = factories.KontaktpersonFactory(akteur=akteur)
    assert verletzt(kontakt, name="\t") == "kontaktperson_name_nicht_leer"
    assert verletzt(factories.thema("familienbildung"), name="") == "thema_name_nicht_leer"
    assert verletzt(factories.einrichtungsart(), name="") == "einrichtungsart_name_nicht_leer"


def test_migration_stops_on_bad_rows_and_names_them():
    """Rows from before the rule: the migration's check lists them instead of fixing them."""
    gut = factories.AngebotFactory(titel="Elterncafé")
    schlecht = [factories.AngebotFactory(titel="x"), factories.AngebotFactory(titel="y")]
    constraint = next(
        c
        for c in apps.get_model("angebote", "Angebot")._meta.constraints
        if c.name == "angebot_titel_nicht_leer"
    )
    with transaction.atomic():
        with connection.cursor() as cursor:
            # The database as it was before the migration: the rule did not exist yet.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE angebote_angebot DROP CONSTRAINT angebot_titel_nicht_leer")
            cursor.execute(
                "UPDATE angebote_angebot SET titel = ' ' WHERE id = ANY(%s)",
                [[a.pk for a in schlecht]],
            )
        schritt = vorher_pruefen(lambda a: a.get_model("angebote", "Angebot"), constraint)
        with connection.schema_editor() as editor, pytest.raises(RuntimeError) as fehler:
            schritt.code(apps, editor)
        assert str(fehler.value) == (
            "Migration angehalten: vorhandene Daten verletzen neue Regeln. Bitte diese Einträge "
            "in der Verwaltung korrigieren und die Migration wiederholen:\n"
            f"  angebot_titel_nicht_leer: Angebot mit id {schlecht[0].pk}, {schlecht[1].pk}"
        )
        transaction.set_rollback(True)
    gut.refresh_from_db()
    assert gut.titel == "Elterncafé"
