"""Our records as Open Referral HSDS 3.0 objects (the mapping is documented in docs/hsds.md).

Only published records and public fields ever reach these functions' querysets; the views decide
nothing about visibility.
"""

import uuid

from django.db.models import Prefetch, Q
from django.utils import timezone

from akteure.models import Akteur, Kontaktperson, Sozialraum
from atlas.templatetags.atlas import altersspanne

from .models import Angebot, Kosten, Termin, Thema, Zielgruppe

HSDS_VERSION = "3.0"
NAMESPACE = uuid.UUID("6d1f6f3e-2b7c-5c55-9a4e-6e6574776b61")

# Kinds of top-level objects with an endpoint; each gets its own id prefix, so an organization's
# id is never accepted as a service's.
SERVICE = "angebot"
ORGANIZATION = "akteur"
AKTEUR_ORT = "akteur-ort"
ANGEBOT_ORT = "angebot-ort"
SERVICE_AT_LOCATION = "angebot-am-ort"
THEMA = "thema"
ZIELGRUPPE = "zielgruppe"
TAXONOMIE = "taxonomie"
_PK_BITS = (1 << 62) - 1


def _kopf(art):
    # The 64 high bits of a UUID version 8 ("custom", RFC 9562): a hash of the kind.
    kopf = uuid.uuid5(NAMESPACE, art).int >> 64
    return (kopf & ~(0xF << 12)) | (0x8 << 12)


def hsds_id(art, pk):
    """A stable UUID for (kind, primary key) that can be turned back into the key.

    A plain uuid5 would be stable too, but could only be looked up by hashing every row.
    """
    return str(uuid.UUID(int=(_kopf(art) << 64) | (0b10 << 62) | (pk & _PK_BITS)))


def pk_aus(art, text):
    """The primary key in an id made by hsds_id(art, …); None for anything else."""
    try:
        wert = uuid.UUID(str(text)).int
    except ValueError:
        return None
    if wert >> 64 != _kopf(art) or (wert >> 62) & 0b11 != 0b10:
        return None
    return wert & _PK_BITS


def unter_id(*teile):
    """Id of a nested object (language, phone, schedule …) that has no endpoint of its own."""
    return str(uuid.uuid5(NAMESPACE, ":".join(str(t) for t in teile)))


def _kompakt(daten, pflicht=()):
    """Leave out empty values: the HSDS schemas allow absent fields, not null ones."""
    return {k: v for k, v in daten.items() if k in pflicht or v not in (None, "", [])}


def _url(request, objekt):
    return request.build_absolute_uri(objekt.get_absolute_url())


def _telefon(nummer, **bezug):
    return [{"id": unter_id("telefon", *bezug.values(), nummer), **bezug, "number": nummer}]


# --- Taxonomies: the two vocabularies Themen and Zielgruppen --------------------------------

TAXONOMIEN = {
    1: {
        "name": "Themen",
        "description": "Themen der Angebote (zwei Ebenen: Ober- und Unterthema).",
    },
    2: {"name": "Zielgruppen", "description": "Für wen ein Angebot gedacht ist."},
}
THEMEN_TAXONOMIE, ZIELGRUPPEN_TAXONOMIE = 1, 2


def taxonomie(nummer):
    return {"id": hsds_id(TAXONOMIE, nummer), **TAXONOMIEN[nummer]}


def thema_term(thema):
    return _kompakt(
        {
            "id": hsds_id(THEMA, thema.pk),
            "code": thema.slug,
            "name": thema.name,
            "description": str(thema) if thema.oberthema_id else "",
            "parent_id": hsds_id(THEMA, thema.oberthema_id) if thema.oberthema_id else None,
            "taxonomy": TAXONOMIEN[THEMEN_TAXONOMIE]["name"],
            "taxonomy_id": hsds_id(TAXONOMIE, THEMEN_TAXONOMIE),
            "language": "de",
        },
        pflicht=("description",),
    )


def zielgruppe_term(zielgruppe):
    return {
        "id": hsds_id(ZIELGRUPPE, zielgruppe.pk),
        "code": zielgruppe.slug,
        "name": zielgruppe.name,
        "description": "",
        "taxonomy": TAXONOMIEN[ZIELGRUPPEN_TAXONOMIE]["name"],
        "taxonomy_id": hsds_id(TAXONOMIE, ZIELGRUPPEN_TAXONOMIE),
        "language": "de",
    }


def alle_terms():
    """Every term of both taxonomies, Themen first (main topic before its subtopics)."""
    themen = sorted(
        Thema.objects.select_related("oberthema"),
        key=lambda t: (
            (t.oberthema.reihenfolge, t.oberthema.name, t.oberthema_id)
            if t.oberthema_id
            else (t.reihenfolge, t.name, t.pk),
            t.oberthema_id is not None,
            t.reihenfolge,
            t.name,
        ),
    )
    return [thema_term(t) for t in themen] + [zielgruppe_term(z) for z in Zielgruppe.objects.all()]


# --- Organizations and locations: Akteure ---------------------------------------------------


def akteure():
    """Published actors, with what an organization object needs in one query."""
    return Akteur.objects.veroeffentlicht().mit_veroeffentlicht("traeger")


def akteure_voll():
    return (
        akteure()
        .prefetch_related(
            Prefetch(
                "kontaktpersonen",
                queryset=Kontaktperson.objects.veroeffentlicht().order_by("name", "pk"),
                to_attr="oeffentliche_kontakte",
            ),
            Prefetch(
                "angebote",
                queryset=Angebot.objects.veroeffentlicht().order_by("titel", "pk"),
                to_attr="veroeffentlichte_angebote",
            ),
            "sprachen",
        )
        .select_related(*SOZIALRAUM_KETTE)
    )


# Land › Kreis › Gemeinde › Stadtteil: enough joins to reach the Land from any level.
SOZIALRAUM_KETTE = ["sozialraum__uebergeordnet__uebergeordnet__uebergeordnet"]


def _mit_ort(prefix=""):
    leer = Q(**{f"{prefix}strasse": "", f"{prefix}plz": "", f"{prefix}ort": ""})
    return Q(**{f"{prefix}standort__isnull": False}) | ~leer


def akteur_orte():
    """Published actors that have a place: each is an HSDS location too."""
    return akteure().filter(_mit_ort())


def organization(akteur, request, voll=False):
    daten = _kompakt(
        {
            "id": hsds_id(ORGANIZATION, akteur.pk),
            "name": akteur.name,
            "description": akteur.beschreibung,
            "email": akteur.email,
            "website": akteur.website,
            "uri": _url(request, akteur),
            # An unpublished Träger has no public record to point to.
            "parent_organization_id": hsds_id(ORGANIZATION, akteur.traeger_id)
            if akteur.traeger_veroeffentlicht
            else None,
        },
        pflicht=("description",),
    )
    if not voll:
        return daten
    org_id = daten["id"]
    daten["phones"] = _telefon(akteur.telefon, organization_id=org_id) if akteur.telefon else []
    daten["contacts"] = [_kontaktperson(person, org_id) for person in akteur.oeffentliche_kontakte]
    daten["locations"] = [akteur_location(akteur, request, voll=True)] if _hat_ort(akteur) else []
    daten["services"] = [
        service(angebot, request, anbieter=akteur) for angebot in akteur.veroeffentlichte_angebote
    ]
    return _kompakt(daten, pflicht=("description",))


def _kontaktperson(person, org_id):
    kontakt_id = unter_id("kontaktperson", person.pk)
    return _kompakt(
        {
            "id": kontakt_id,
            "organization_id": org_id,
            "name": person.name,
            "title": person.funktion,
            "email": person.email,
            "phones": _telefon(person.telefon, contact_id=kontakt_id) if person.telefon else [],
        }
    )


def _hat_ort(objekt):
    return bool(objekt.standort or objekt.strasse or objekt.plz or objekt.ort)


def _land_und_kreis(sozialraum):
    land = kreis = ""
    knoten, schritte = sozialraum, 0
    while knoten is not None and schritte < 4:
        if knoten.ebene == Sozialraum.Ebene.LAND:
            land = knoten.name
        elif knoten.ebene == Sozialraum.Ebene.KREIS:
            kreis = knoten.name
        # Only follow links select_related loaded: never a query per row.
        if not Sozialraum.uebergeordnet.is_cached(knoten):
            break
        knoten, schritte = knoten.uebergeordnet, schritte + 1
    return land, kreis


def _adressen(objekt, location_id, sozialraum=None):
    if not (objekt.strasse or objekt.plz or objekt.ort):
        return []
    land, kreis = _land_und_kreis(sozialraum) if sozialraum else ("", "")
    return [
        _kompakt(
            {
                "id": unter_id("adresse", location_id),
                "location_id": location_id,
                "address_1": objekt.strasse,
                "city": objekt.ort,
                "region": kreis,
                "state_province": land,
                "postal_code": objekt.plz,
                "country": "DE",
                "address_type": "physical",
            },
            pflicht=("address_1", "city", "state_province", "postal_code"),
        )
    ]


def _barrierefreiheit(objekt, location_id, ja_text):
    if not (objekt.barrierefrei or objekt.barrierefreiheit):
        return []
    return [
        {
            "id": unter_id("barrierefreiheit", location_id),
            "location_id": location_id,
            "description": objekt.barrierefreiheit or ja_text,
        }
    ]


def _koordinaten(punkt):
    if punkt is None:
        return {}
    return {"latitude": round(punkt.y, 6), "longitude": round(punkt.x, 6)}


def akteur_location(akteur, request, voll=False):
    location_id = hsds_id(AKTEUR_ORT, akteur.pk)
    sozialraum = akteur.sozialraum if Akteur.sozialraum.is_cached(akteur) else None
    daten = _kompakt(
        {
            "id": location_id,
            "location_type": "physical",
            "organization_id": hsds_id(ORGANIZATION, akteur.pk),
            "name": akteur.name,
            **_koordinaten(akteur.standort),
        }
    )
    if not voll:
        return daten
    daten["addresses"] = _adressen(akteur, location_id, sozialraum)
    daten["accessibility"] = _barrierefreiheit(akteur, location_id, "barrierefrei zugänglich")
    daten["languages"] = [
        _sprache(sprache, location_id=location_id) for sprache in akteur.sprachen.all()
    ]
    if akteur.oeffnungszeiten:
        daten["schedules"] = [
            {
                "id": unter_id("oeffnungszeiten", location_id),
                "location_id": location_id,
                "description": akteur.oeffnungszeiten,
            }
        ]
    return _kompakt(daten)


def _sprache(sprache, **bezug):
    return _kompakt(
        {
            "id": unter_id("sprache", *bezug.values(), sprache.code),
            **bezug,
            "name": sprache.name,
            "code": sprache.code,
            "note": sprache.name_nativ if sprache.name_nativ != sprache.name else "",
        }
    )


# --- Services: Angebote ---------------------------------------------------------------------


def eigener_ort(angebot):
    """The offering is a location of its own: it has a place or an address, and not its
    provider's. The database keeps the same rule as `Angebot.eigener_ort` (angebote migration
    0029); anbieter must be loaded."""
    anbieter = angebot.anbieter
    if not _hat_ort(angebot):
        return False
    gleicher_punkt = (angebot.standort is None and anbieter.standort is None) or (
        angebot.standort is not None
        and anbieter.standort is not None
        and angebot.standort.coords == anbieter.standort.coords
    )
    return not (
        gleicher_punkt
        and (angebot.strasse, angebot.plz, angebot.ort)
        == (anbieter.strasse, anbieter.plz, anbieter.ort)
    )


def angebot_orte():
    """Published offerings held somewhere other than at their provider: own HSDS locations."""
    return Angebot.objects.veroeffentlicht().filter(eigener_ort=True).select_related("anbieter")


def angebote():
    return (
        Angebot.objects.veroeffentlicht()
        .select_related(*(f"anbieter__{k}" for k in SOZIALRAUM_KETTE))
        .mit_veroeffentlicht("anbieter__traeger")
    )


def angebote_voll():
    return angebote().prefetch_related(
        "sprachen",
        Prefetch("themen", queryset=Thema.objects.select_related("oberthema")),
        "zielgruppen",
        "einzugsgebiet",
        "anbieter__sprachen",
        # Like the detail page: what is still to come.
        Prefetch(
            "termine",
            queryset=Termin.objects.filter(beginn__gte=timezone.now()).order_by("beginn", "pk"),
            to_attr="kommende_termine",
        ),
    )


def _ort_des_angebots(angebot, request, voll=False):
    """The location of an offering: its provider's, or a location of its own."""
    if not _hat_ort(angebot):
        return None
    if not eigener_ort(angebot):
        return akteur_location(angebot.anbieter, request, voll=voll)
    return angebot_location(angebot, request, voll=voll)


def angebot_location(angebot, request, voll=False):
    location_id = hsds_id(ANGEBOT_ORT, angebot.pk)
    daten = _kompakt(
        {
            "id": location_id,
            "location_type": "physical",
            "organization_id": hsds_id(ORGANIZATION, angebot.anbieter_id),
            "name": angebot.adresse or angebot.titel,
            "description": f"Ort des Angebots „{angebot.titel}“",
            **_koordinaten(angebot.standort),
        }
    )
    if voll:
        daten["addresses"] = _adressen(angebot, location_id)
        daten["accessibility"] = _barrierefreiheit(angebot, location_id, "barrierefrei")
    return _kompakt(daten)


def _jahre(monate):
    # HSDS ages are years; ours are months, pregnancy negative (the HSDS age is then 0).
    if monate is None:
        return None
    return round(max(monate, 0) / 12, 2)


def _kosten(angebot):
    if angebot.kosten == Kosten.KOSTENLOS:
        text = "kostenlos"
    else:
        text = " – ".join(t for t in ["Kostenbeitrag", angebot.kosten_hinweis] if t)
    return text


def service(angebot, request, voll=False, anbieter=None):
    """An offering as an HSDS service; `voll` adds the nested lists of the detail form."""
    service_id = hsds_id(SERVICE, angebot.pk)
    anmeldung = "Anmeldung erforderlich" if angebot.anmeldung_erforderlich else "ohne Anmeldung"
    daten = _kompakt(
        {
            "id": service_id,
            "organization_id": hsds_id(ORGANIZATION, angebot.anbieter_id),
            "name": angebot.titel,
            "description": angebot.beschreibung,
            "url": _url(request, angebot),
            "email": angebot.kontakt_email,
            "status": "active",
            "application_process": ". ".join(
                t for t in [anmeldung, angebot.anmeldung_hinweis] if t
            ),
            "fees_description": _kosten(angebot),
            "eligibility_description": str(altersspanne(angebot)),
            "minimum_age": _jahre(angebot.alter_von_monate),
            "maximum_age": _jahre(angebot.alter_bis_monate),
            "assured_date": angebot.geprueft_am.isoformat() if angebot.geprueft_am else None,
            "last_modified": angebot.geaendert_am.isoformat(),
        }
    )
    if anbieter is None:  # nested in its organization, it does not repeat it
        angebot.anbieter.traeger_veroeffentlicht = angebot.anbieter_traeger_veroeffentlicht
        daten["organization"] = organization(angebot.anbieter, request)
    if not voll:
        return daten

    daten["languages"] = [_sprache(s, service_id=service_id) for s in angebot.sprachen.all()]
    daten["cost_options"] = [
        _kompakt(
            {
                "id": unter_id("kosten", service_id),
                "service_id": service_id,
                "option": angebot.get_kosten_display(),
                "currency": "EUR",
                "amount": 0 if angebot.kosten == Kosten.KOSTENLOS else None,
                "amount_description": angebot.kosten_hinweis,
                "valid_from": angebot.gueltig_von.isoformat() if angebot.gueltig_von else None,
                "valid_to": angebot.gueltig_bis.isoformat() if angebot.gueltig_bis else None,
            }
        )
    ]
    daten["schedules"] = _zeiten(angebot, service_id)
    daten["service_areas"] = [
        {
            "id": unter_id("einzugsgebiet", service_id, s.pk),
            "service_id": service_id,
            "name": s.name,
        }
        for s in angebot.einzugsgebiet.all()
    ]
    daten["contacts"] = _angebot_kontakt(angebot, service_id)
    daten["attributes"] = [
        _term_attribut(service_id, thema_term(t)) for t in angebot.themen.all()
    ] + [_term_attribut(service_id, zielgruppe_term(z)) for z in angebot.zielgruppen.all()]
    ort = _ort_des_angebots(angebot, request, voll=True)
    daten["service_at_locations"] = (
        [service_at_location(angebot, request, ort=ort, mit_service=False)] if ort else []
    )
    return _kompakt(daten)


def _term_attribut(service_id, term):
    return {
        "id": unter_id("attribut", service_id, term["id"]),
        "link_id": service_id,
        "link_entity": "service",
        "taxonomy_term_id": term["id"],
        "taxonomy_term": term,
        "value": term["name"],
    }


def _angebot_kontakt(angebot, service_id):
    # The offering's own contact fields, public as on its page (Kontaktpersonen, who need
    # consent, belong to the organization).
    if not (angebot.kontakt_name or angebot.kontakt_email or angebot.kontakt_telefon):
        return []
    kontakt_id = unter_id("angebot-kontakt", service_id)
    return [
        _kompakt(
            {
                "id": kontakt_id,
                "service_id": service_id,
                "name": angebot.kontakt_name,
                "email": angebot.kontakt_email,
                "phones": _telefon(angebot.kontakt_telefon, contact_id=kontakt_id)
                if angebot.kontakt_telefon
                else [],
            }
        )
    ]


def _uhrzeit(zeitpunkt):
    # HH:MM with the UTC offset, as HSDS asks for opens_at/closes_at.
    return timezone.localtime(zeitpunkt).isoformat(timespec="minutes")[11:]


def _zeiten(angebot, service_id):
    zeiten = []
    if angebot.regelmaessige_zeiten:
        zeiten.append(
            _kompakt(
                {
                    "id": unter_id("zeiten", service_id),
                    "service_id": service_id,
                    "description": angebot.regelmaessige_zeiten,
                    "valid_from": angebot.gueltig_von.isoformat() if angebot.gueltig_von else None,
                    "valid_to": angebot.gueltig_bis.isoformat() if angebot.gueltig_bis else None,
                }
            )
        )
    for termin in angebot.kommende_termine:
        beginn = timezone.localtime(termin.beginn)
        ende = timezone.localtime(termin.ende) if termin.ende else None
        zeiten.append(
            _kompakt(
                {
                    "id": unter_id("termin", termin.pk),
                    "service_id": service_id,
                    "dtstart": beginn.date().isoformat(),
                    "valid_from": beginn.date().isoformat(),
                    "valid_to": (ende or beginn).date().isoformat(),
                    "opens_at": _uhrzeit(beginn),
                    "closes_at": _uhrzeit(ende) if ende else None,
                    "attending_type": "online" if termin.online else "in person",
                    "description": termin.hinweis,
                    "notes": ", ".join(
                        t for t in [termin.get_anmeldestatus_display(), termin.ort] if t
                    ),
                }
            )
        )
    return zeiten


def service_at_location(angebot, request, voll=False, ort=None, mit_service=True):
    ort = ort or _ort_des_angebots(angebot, request, voll=voll)
    daten = {
        "id": hsds_id(SERVICE_AT_LOCATION, angebot.pk),
        "service_id": hsds_id(SERVICE, angebot.pk),
        "location_id": ort["id"],
        "location": ort,
    }
    if mit_service:
        daten["service"] = service(angebot, request, voll=voll)
        # Nested here, the service need not list this very service_at_location again.
        daten["service"].pop("service_at_locations", None)
    return daten


def angebote_mit_ort(voll=False):
    """Offerings that have a service_at_location: those with a place."""
    return (angebote_voll() if voll else angebote()).filter(_mit_ort())
