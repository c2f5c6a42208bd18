"""Staff account safety: client address, login lockout page, two-factor login form, session cap.

Login lockout is django-axes (settings `AXES_*` in config/settings/base.py), two-factor is
django-otp; `config.admin.AtlasAdminSite` switches the second factor on with `OTP_REQUIRED`.
"""

import time
from datetime import timedelta

from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models import Max
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user
from django_otp.admin import OTPAdminAuthenticationForm
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from atlas.anfrage import client_ip_adresse  # noqa: F401  (tests and older settings name it here)
from atlas.drosselung import fehlschlaege_warten, fehlschlag_zaehlen

# Session key holding the login time (seconds since the epoch).
ANMELDUNG_UM = "atlas_angemeldet_um"


def sperre_antwort(request, original_response=None, credentials=None):
    """The page after too many failed logins (AXES_LOCKOUT_CALLABLE): German, with the end time."""
    sperrzeit = get_cool_off(request) or timedelta(0)
    benutzername = get_client_username(request, credentials) or ""
    letzter_versuch = AccessAttempt.objects.filter(
        username=benutzername, ip_address=getattr(request, "axes_ip_address", None)
    ).aggregate(zuletzt=Max("attempt_time"))["zuletzt"]
    bis = (letzter_versuch or timezone.now()) + sperrzeit
    minuten = max(int((bis - timezone.now()).total_seconds() + 59) // 60, 1)
    antwort = render(
        request,
        "admin/anmeldung_gesperrt.html",
        {
            **admin.site.each_context(request),
            "title": _("Anmeldung vorübergehend gesperrt"),
            "bis": bis,
            "minuten": minuten,
            "fehlversuche": settings.AXES_FAILURE_LIMIT,
        },
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    antwort["Retry-After"] = str(minuten * 60)
    add_never_cache_headers(antwort)
    return antwort


# --- Per-address throttle against password spraying (beside axes' per-user lockout) ---

ADRESS_BEREICH = "anmeldung"


def _adress_fenster():
    return settings.ANMELDUNG_ADRESSE_MINUTEN * 60


def anmeldung_fehlgeschlagen(sender, credentials=None, request=None, **kwargs):
    if request is not None:
        fehlschlag_zaehlen(request, bereich=ADRESS_BEREICH, sekunden=_adress_fenster())


user_login_failed.connect(anmeldung_fehlgeschlagen, dispatch_uid="atlas_anmeldung_adresse")


def adresse_gedrosselt(request):
    """The German 429 page if this address failed too many logins lately, else None."""
    warten = fehlschlaege_warten(
        request,
        bereich=ADRESS_BEREICH,
        anzahl=settings.ANMELDUNG_FEHLVERSUCHE_PRO_ADRESSE,
        sekunden=_adress_fenster(),
    )
    if warten is None:
        return None
    minuten = max((warten + 59) // 60, 1)
    antwort = render(
        request,
        "admin/anmeldung_gesperrt.html",
        {
            **admin.site.each_context(request),
            "title": _("Anmeldung vorübergehend gesperrt"),
            "bis": timezone.now() + timedelta(seconds=warten),
            "minuten": minuten,
            "fehlversuche": settings.ANMELDUNG_FEHLVERSUCHE_PRO_ADRESSE,
            "von_dieser_adresse": True,
        },
        status=429,
    )
    antwort["Retry-After"] = str(warten)
    add_never_cache_headers(antwort)
    return antwort


KEIN_GERAET = _(
    "Für Ihr Konto ist noch keine Zwei-Faktor-Anmeldung eingerichtet. Ohne sie ist die "
    "Verwaltung nicht zugänglich."
)


class ZweiFaktorAnmeldeformular(OTPAdminAuthenticationForm):
    """Admin login with password and the six-digit code from an authenticator app."""

    otp_error_messages = {
        **OTPAdminAuthenticationForm.otp_error_messages,
        "token_required": _("Bitte geben Sie den sechsstelligen Code aus Ihrer App ein."),
        "invalid_token": _(
            "Der Code stimmt nicht oder ist abgelaufen. Bitte geben Sie den aktuellen Code ein."
        ),
        "device_required": _("Bitte wählen Sie aus, von welchem Gerät der Code stammt."),
        "verification_not_allowed": _(
            "Die Code-Prüfung ist nach mehreren Fehlversuchen kurz gesperrt. Bitte warten Sie "
            "einen Moment."
        ),
    }
    kein_geraet = False

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["otp_device"].label = _("Gerät")
        self.fields["otp_token"].label = _("Code aus der Authenticator-App")
        self.fields["otp_token"].widget.attrs.update(
            {"autocomplete": "one-time-code", "inputmode": "numeric", "maxlength": "8"}
        )

    def clean(self):
        self.cleaned_data = super(OTPAdminAuthenticationForm, self).clean()
        user = self.get_user()
        if user is not None and not any(devices_for_user(user)):
            # The template then explains how to get a device.
            self.kein_geraet = True
            raise forms.ValidationError(KEIN_GERAET, code="kein_geraet")
        self.clean_otp(user)
        return self.cleaned_data

    def _chosen_device(self, user):
        device = super()._chosen_device(user)
        if device is None and not self.cleaned_data.get("otp_device"):
            # Nobody should have to pick a device when the code tells which one it is: digits
            # come from the app, letters from the emergency codes. Only that one device is
            # tried, so a wrong code throttles no other device.
            geraete = list(devices_for_user(user, for_verify=True))
            if len(geraete) > 1:
                token = self.cleaned_data.get("otp_token") or ""
                art = TOTPDevice if token.isdigit() else StaticDevice
                geraete = [geraet for geraet in geraete if isinstance(geraet, art)]
            if len(geraete) == 1:
                device = geraete[0]
        return device


def hat_geraet(user):
    return user.is_authenticated and any(devices_for_user(user))


def anmeldung_merken(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[ANMELDUNG_UM] = int(time.time())


user_logged_in.connect(anmeldung_merken, dispatch_uid="atlas_anmeldung_merken")


class SitzungsdauerMiddleware:
    """Ends a login SESSION_COOKIE_AGE after it began, however active the session was since.

    Django renews a session's expiry whenever the session is saved; this caps it at the login.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Only requests carrying a session cookie: public pages stay free of session access.
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
            beginn = request.session.get(ANMELDUNG_UM)
            if beginn is None:
                # A session from before this check: it counts from now.
                request.session[ANMELDUNG_UM] = int(time.time())
            elif time.time() - beginn > settings.SESSION_COOKIE_AGE:
                logout(request)
        return self.get_response(request)
