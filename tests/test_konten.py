"""Staff account safety: login lockout (axes), two-factor login (django-otp), sessions."""

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from config.konten import ANMELDUNG_UM, client_ip_adresse
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORT = "richtig-und-lang-genug"
LOGIN = reverse("admin:login")
INDEX = reverse("admin:index")


@pytest.fixture(autouse=True)
def _zaehler_leeren():
    """The per-address throttle counts failures in the cache; each test starts from none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def nutzerin():
    return UserFactory(username="anna", password=PASSWORT)


def anmelden(client, benutzername="anna", passwort=PASSWORT, ip="192.0.2.10", **felder):
    """POST the admin login; HTTP_* keyword arguments are request headers, the rest form fields."""
    kopf = {k: v for k, v in felder.items() if k.startswith("HTTP_")}
    daten = {k: v for k, v in felder.items() if k not in kopf}
    return client.post(
        LOGIN,
        {"username": benutzername, "password": passwort, "next": INDEX, **daten},
        REMOTE_ADDR=ip,
        **kopf,
    )


def angemeldet(client):
    return "_auth_user_id" in client.session


def fehlschlaege(client, anzahl, **kwargs):
    return [anmelden(client, passwort="falsch", **kwargs) for _ in range(anzahl)]


# --- Login lockout ---------------------------------------------------------------------------


def test_lockout_after_failure_limit_for_same_username_and_ip(client, nutzerin, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    antworten = fehlschlaege(client, 5)
    assert [a.status_code for a in antworten] == [200, 200, 200, 200, 429]
    # Locked: even the right password is refused from this address.
    antwort = anmelden(client)
    assert antwort.status_code == 429
    assert not angemeldet(client)


def test_other_ip_and_other_username_are_not_locked(client, nutzerin):
    UserFactory(username="bert", password=PASSWORT)
    fehlschlaege(client, 5)
    assert anmelden(client, benutzername="bert").status_code == 302
    client.logout()
    antwort = anmelden(client, ip="198.51.100.7")
    assert antwort.status_code == 302
    assert angemeldet(client)


def test_lockout_page_is_german_and_says_when(client, nutzerin):
    antwort = fehlschlaege(client, 5)[-1]
    assert antwort.status_code == 429
    inhalt = antwort.content.decode()
    assert "Die Anmeldung ist nach 5 fehlgeschlagenen Versuchen vorübergehend gesperrt." in inhalt
    bis = timezone.localtime(timezone.now() + timedelta(minutes=20))
    # The minute may tick over between the request and this line.
    uhrzeiten = {bis.strftime("%H:%M"), (bis - timedelta(minutes=1)).strftime("%H:%M")}
    assert any(f"ab {uhrzeit} Uhr erneut" in inhalt for uhrzeit in uhrzeiten)
    assert "in etwa 20 Minuten" in inhalt
    assert int(antwort["Retry-After"]) == 20 * 60
    assert "no-cache" in antwort["Cache-Control"]
    assert django_settings.SITE_TITLE in inhalt


def test_attempts_during_lockout_do_not_extend_it(client, nutzerin):
    fehlschlaege(client, 5)
    versuch = AccessAttempt.objects.get(username="anna", ip_address="192.0.2.10")
    fehlschlaege(client, 3)
    versuch.refresh_from_db()
    assert versuch.failures_since_start == 5


@pytest.mark.parametrize(("minuten_her", "gesperrt"), [(19, True), (21, False)])
def test_cool_off_is_respected(client, nutzerin, minuten_her, gesperrt):
    fehlschlaege(client, 5)
    # Time passes: the last failure moves into the past.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=minuten_her))
    antwort = anmelden(client)
    assert (antwort.status_code == 429) is gesperrt
    assert angemeldet(client) is not gesperrt


def test_cool_off_setting_is_20_minutes_by_default(settings):
    sperrzeit = settings.AXES_COOLOFF_TIME
    assert sperrzeit == timedelta(minutes=20)
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_successful_login_resets_the_count(client, nutzerin):
    fehlschlaege(client, 4)
    assert anmelden(client).status_code == 302
    client.logout()
    assert [a.status_code for a in fehlschlaege(client, 4)] == [200] * 4


# --- Client address --------------------------------------------------------------------------


def test_proxy_header_is_ignored_unless_configured(client, nutzerin, settings):
    settings.REAL_IP_HEADER = ""
    # A client forging a fresh X-Forwarded-For on every try still hits the lockout.
    for nummer in range(5):
        anmelden(client, passwort="falsch", HTTP_X_FORWARDED_FOR=f"203.0.113.{nummer}")
    antwort = anmelden(client, HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert antwort.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"192.0.2.10"}


def test_proxy_header_is_used_when_configured(client, nutzerin, settings):
    settings.REAL_IP_HEADER = "X-Forwarded-For"
    proxy = "10.0.0.2"
    for _ in range(5):
        anmelden(client, passwort="falsch", ip=proxy, HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert AccessAttempt.objects.get().ip_address == "203.0.113.5"
    # Entries left of the proxy's own come from the client and change nothing.
    gesperrt = anmelden(client, ip=proxy, HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.5")
    assert gesperrt.status_code == 429
    # Another client behind the same proxy logs in.
    antwort = anmelden(client, ip=proxy, HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert antwort.status_code == 302


@pytest.mark.parametrize(
    ("header", "meta", "erwartet"),
    [
        ("", {"REMOTE_ADDR": "192.0.2.1", "HTTP_X_REAL_IP": "203.0.113.1"}, "192.0.2.1"),
        ("X-Real-IP", {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_REAL_IP": "203.0.113.1"}, "203.0.113.1"),
        (
            "HTTP_X_REAL_IP",
            {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_REAL_IP": "203.0.113.1"},
            "203.0.113.1",
        ),
        # Missing or garbage header: the proxy's own address, never a 500.
        ("X-Real-IP", {"REMOTE_ADDR": "10.0.0.1"}, "10.0.0.1"),
        ("X-Real-IP", {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_REAL_IP": "<script>"}, "10.0.0.1"),
        # An IPv6 client counts as its /64.
        ("", {"REMOTE_ADDR": "2001:db8:1:2:aaaa::1"}, "2001:db8:1:2::"),
        ("", {"REMOTE_ADDR": "::ffff:192.0.2.7"}, "192.0.2.7"),
    ],
)
def test_client_ip_adresse(settings, header, meta, erwartet):
    settings.REAL_IP_HEADER = header
    request = RequestFactory().get("/", **meta)
    if "REMOTE_ADDR" not in meta:
        del request.META["REMOTE_ADDR"]
    assert client_ip_adresse(request) == erwartet


def test_lockout_works_for_ipv6_clients(client, nutzerin):
    for ende in range(5):
        anmelden(client, passwort="falsch", ip=f"2001:db8:5:6::{ende + 1}")
    assert anmelden(client, ip="2001:db8:5:6::99").status_code == 429
    assert anmelden(client, ip="2001:db8:5:7::1").status_code == 302


# --- Sessions --------------------------------------------------------------------------------


def test_session_lasts_at_most_8_hours_and_ends_with_the_browser(client, nutzerin, settings):
    assert settings.SESSION_COOKIE_AGE <= 8 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    anmelden(client)
    assert client.session.get_expiry_age() <= 8 * 60 * 60
    # A browser-session cookie: no lifetime of its own.
    assert client.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == ""


def test_login_gives_a_new_session_key_and_csrf_token(client, nutzerin, settings):
    client.get(LOGIN)
    csrf_vorher = client.cookies[settings.CSRF_COOKIE_NAME].value
    sitzung = client.session
    sitzung["vorher"] = True
    sitzung.save()
    schluessel_vorher = sitzung.session_key

    assert anmelden(client).status_code == 302

    schluessel_nachher = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert schluessel_nachher != schluessel_vorher
    assert not SessionStore().exists(schluessel_vorher)
    assert client.cookies[settings.CSRF_COOKIE_NAME].value != csrf_vorher


@pytest.mark.parametrize(("stunden_her", "noch_drin"), [(7.9, True), (8.1, False)])
def test_session_ends_8_hours_after_login_however_active(client, nutzerin, stunden_her, noch_drin):
    anmelden(client)
    assert client.get(INDEX).status_code == 200
    sitzung = client.session
    sitzung[ANMELDUNG_UM] = int(time.time() - stunden_her * 3600)
    sitzung.save()
    antwort = client.get(INDEX)
    assert (antwort.status_code == 200) is noch_drin
    assert angemeldet(client) is noch_drin


def test_public_pages_get_no_session_cookie(client):
    antwort = client.get("/")
    assert antwort.status_code == 200
    assert not antwort.cookies


# --- Passwords -------------------------------------------------------------------------------


def test_passwords_need_12_characters():
    with pytest.raises(ValidationError, match="mindestens 12 Zeichen"):
        validate_password("Kurz-aber-1")
    validate_password("Lang-genug-fuer-Staff-7")


# --- Two-factor login ------------------------------------------------------------------------


@pytest.fixture
def otp_pflicht(settings):
    settings.OTP_REQUIRED = True


def totp_geraet(user):
    return TOTPDevice.objects.create(user=user, name="Smartphone", confirmed=True)


def code(geraet):
    return f"{totp(geraet.bin_key, geraet.step, geraet.t0, geraet.digits, geraet.drift):06d}"


def test_without_otp_required_a_password_is_enough(client, nutzerin, settings):
    assert settings.OTP_REQUIRED is False
    antwort = anmelden(client)
    assert antwort.status_code == 302
    assert antwort["Location"] == INDEX
    assert client.get(INDEX).status_code == 200
    assert "otp_token" not in client.get(LOGIN).content.decode()


def test_otp_required_default_is_off_and_documented():
    beispiel = (Path(django_settings.BASE_DIR) / ".env.example").read_text()
    assert "OTP_REQUIRED=" in beispiel


def test_otp_login_page_asks_for_the_code(client, otp_pflicht):
    inhalt = client.get(LOGIN).content.decode()
    assert 'name="otp_token"' in inhalt
    assert "Code aus der Authenticator-App" in inhalt


@pytest.mark.parametrize("superuser", [False, True], ids=["staff", "superuser"])
def test_otp_login_without_code_is_refused(client, otp_pflicht, superuser):
    user = UserFactory(username="anna", password=PASSWORT, is_superuser=superuser)
    totp_geraet(user)
    antwort = anmelden(client)
    assert antwort.status_code == 200
    assert "Bitte geben Sie den sechsstelligen Code aus Ihrer App ein." in antwort.content.decode()
    assert not angemeldet(client)


def test_otp_login_with_wrong_code_is_refused(client, nutzerin, otp_pflicht):
    geraet = totp_geraet(nutzerin)
    falsch = f"{(int(code(geraet)) + 1) % 1_000_000:06d}"
    antwort = anmelden(client, otp_token=falsch)
    assert antwort.status_code == 200
    assert "Der Code stimmt nicht" in antwort.content.decode()
    assert not angemeldet(client)


@pytest.mark.parametrize("superuser", [False, True], ids=["staff", "superuser"])
def test_otp_login_with_valid_code_is_accepted(client, otp_pflicht, superuser):
    user = UserFactory(username="anna", password=PASSWORT, is_superuser=superuser)
    geraet = totp_geraet(user)
    antwort = anmelden(client, otp_token=code(geraet))
    assert antwort.status_code == 302
    assert antwort["Location"] == INDEX
    assert client.get(INDEX).status_code == 200


def test_a_code_works_only_once(client, nutzerin, otp_pflicht):
    geraet = totp_geraet(nutzerin)
    einmal = code(geraet)
    assert anmelden(client, otp_token=einmal).status_code == 302
    client.logout()
    assert anmelden(client, otp_token=einmal).status_code == 200
    assert not angemeldet(client)


def notfallcodes(user, *codes):
    geraet = StaticDevice.objects.create(user=user, name="Notfallcodes")
    for notfallcode in codes:
        geraet.token_set.create(token=notfallcode)
    return geraet


@pytest.mark.parametrize("mit_app", [False, True], ids=["nur-notfallcodes", "mit-app"])
def test_an_emergency_code_logs_in(client, otp_pflicht, mit_app):
    # The first superuser has no app yet: `manage.py addstatictoken` gives a code.
    user = UserFactory(username="anna", password=PASSWORT, is_superuser=True)
    if mit_app:
        totp_geraet(user)
    notfallcodes(user, "notfall7")
    assert anmelden(client, otp_token="notfall7").status_code == 302
    assert client.get(INDEX).status_code == 200
    client.logout()
    # Used up.
    assert anmelden(client, otp_token="notfall7").status_code == 200


def test_with_app_and_emergency_codes_the_app_code_needs_no_choice(client, nutzerin, otp_pflicht):
    geraet = totp_geraet(nutzerin)
    notfall = notfallcodes(nutzerin, "notfall7")
    assert anmelden(client, otp_token=code(geraet)).status_code == 302
    # The emergency device was not tried, so not throttled.
    notfall.refresh_from_db()
    assert notfall.throttling_failure_count == 0


def test_with_two_apps_the_user_picks_one(client, nutzerin, otp_pflicht):
    totp_geraet(nutzerin)
    zweites = TOTPDevice.objects.create(user=nutzerin, name="Tablet", confirmed=True)
    antwort = anmelden(client, otp_token=code(zweites))
    inhalt = antwort.content.decode()
    assert "Bitte wählen Sie aus, von welchem Gerät der Code stammt." in inhalt
    assert 'name="otp_device"' in inhalt
    assert "Tablet" in inhalt
    assert not angemeldet(client)
    antwort = anmelden(client, otp_device=zweites.persistent_id, otp_token=code(zweites))
    assert antwort.status_code == 302
    assert client.get(INDEX).status_code == 200


def test_staff_without_device_sees_how_to_get_one(client, nutzerin, otp_pflicht):
    antwort = anmelden(client, otp_token="123456")
    inhalt = antwort.content.decode()
    assert antwort.status_code == 200
    assert "Für Ihr Konto ist noch keine Zwei-Faktor-Anmeldung eingerichtet." in inhalt
    assert "So richten Sie die Zwei-Faktor-Anmeldung ein" in inhalt
    assert "TOTP devices" in inhalt
    assert not angemeldet(client)


def test_unconfirmed_device_does_not_count(client, nutzerin, otp_pflicht):
    geraet = TOTPDevice.objects.create(user=nutzerin, name="Neu", confirmed=False)
    antwort = anmelden(client, otp_token=code(geraet))
    assert "So richten Sie die Zwei-Faktor-Anmeldung ein" in antwort.content.decode()
    assert not angemeldet(client)


@pytest.mark.parametrize("superuser", [False, True], ids=["staff", "superuser"])
def test_signed_in_without_second_factor_cannot_enter_the_admin(client, otp_pflicht, superuser):
    # A session from before OTP_REQUIRED was switched on.
    client.force_login(UserFactory(is_superuser=superuser))
    antwort = client.get(INDEX)
    assert antwort.status_code == 302
    assert antwort["Location"].startswith(LOGIN)
    inhalt = client.get(antwort["Location"]).content.decode()
    assert "noch nicht mit dem zweiten Faktor bestätigt" in inhalt
    assert "So richten Sie die Zwei-Faktor-Anmeldung ein" in inhalt
    # Other admin pages too, not only the index.
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 302


def test_superuser_manages_devices_and_sees_the_qr_code(client, nutzerin):
    client.force_login(UserFactory(is_superuser=True))
    geraet = totp_geraet(nutzerin)
    liste = client.get(reverse("admin:otp_totp_totpdevice_changelist"))
    assert liste.status_code == 200
    qr = client.get(reverse("admin:otp_totp_totpdevice_qrcode", args=[geraet.pk]))
    assert qr.status_code == 200
    assert qr["Content-Type"].startswith("image/")


def test_coordinator_cannot_manage_devices_or_lockouts(client):
    client.force_login(UserFactory())
    assert client.get(reverse("admin:otp_totp_totpdevice_changelist")).status_code == 403
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 403


# --- Configuration ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "umgebung",
    [{"AXES_COOLOFF_MINUTES": "60"}, {"AXES_COOLOFF_MINUTES": "5"}, {"AXES_FAILURE_LIMIT": "0"}],
)
def test_lockout_settings_outside_the_range_are_refused(umgebung):
    ergebnis = subprocess.run(
        [sys.executable, "-c", "import config.settings.base"],
        cwd=django_settings.BASE_DIR,
        env={"PATH": os.environ["PATH"], "SECRET_KEY": "x" * 50, **umgebung},
        capture_output=True,
        text=True,
    )
    assert ergebnis.returncode != 0
    assert "zwischen 15 und 30" in ergebnis.stderr


# --- Two-factor by default, per-address throttle (issue 16) -----------------------------------


def test_otp_is_required_by_default_in_production_settings():
    ergebnis = subprocess.run(
        [sys.executable, "-c", "import config.settings.base as b; print(b.OTP_REQUIRED)"],
        cwd=django_settings.BASE_DIR,
        env={"PATH": os.environ["PATH"], "SECRET_KEY": "x" * 50},
        capture_output=True,
        text=True,
    )
    assert ergebnis.stdout == "True\n", ergebnis.stderr


def test_deploy_check_warns_when_otp_is_off(settings):
    from django.core import checks

    settings.OTP_REQUIRED = False
    warnungen = [
        w for w in checks.run_checks(include_deployment_checks=True) if w.id == "atlas.W001"
    ]
    assert [w.msg for w in warnungen] == [
        "OTP_REQUIRED ist aus: Mitarbeitende melden sich ohne zweiten Faktor an."
    ]
    settings.OTP_REQUIRED = True
    assert not [
        w for w in checks.run_checks(include_deployment_checks=True) if w.id == "atlas.W001"
    ]
    # Not a check outside --deploy: development stays quiet.
    settings.OTP_REQUIRED = False
    assert not [w for w in checks.run_checks() if w.id == "atlas.W001"]


def test_one_address_trying_many_user_names_is_throttled(client, nutzerin, settings):
    settings.ANMELDUNG_FEHLVERSUCHE_PRO_ADRESSE = 3
    ip = "198.51.100.23"
    for name in ["bernd", "carla", "dora"]:
        assert anmelden(client, benutzername=name, passwort="Sommer2026", ip=ip).status_code == 200
    # The fourth try from this address is refused before the password is checked, even a
    # right one for a user name never tried.
    antwort = anmelden(client, ip=ip)
    assert antwort.status_code == 429
    assert int(antwort["Retry-After"]) <= 15 * 60
    html = antwort.content.decode()
    assert "Von Ihrer Netzwerkadresse aus ist die Anmeldung nach 3 fehlgeschlagenen" in html
    assert not angemeldet(client)
    # Other addresses are not affected; the per-user lockout (axes) saw one failure per name.
    assert anmelden(client, ip="198.51.100.24").status_code == 302
    assert AccessAttempt.objects.filter(ip_address=ip).count() == 3


def test_address_throttle_counts_only_failures(client, nutzerin, settings):
    settings.ANMELDUNG_FEHLVERSUCHE_PRO_ADRESSE = 2
    ip = "198.51.100.31"
    for _ in range(4):
        assert anmelden(client, ip=ip).status_code == 302
        client.logout()
    assert anmelden(client, ip=ip).status_code == 302
