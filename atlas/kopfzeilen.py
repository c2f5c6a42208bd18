"""Security headers on every response: Content-Security-Policy with a nonce, Permissions-Policy;
compression of dynamic HTML where it cannot leak a secret (BREACH).

The policy itself is `CONTENT_SECURITY_POLICY` in config/settings/base.py (django-csp 4).
Scripts must come from the site's own static files; the only inline scripts allowed carry the
request's nonce (`{{ request.csp_nonce }}`, used by django-leaflet's admin map widget) or are
data (`json_script`, which a browser does not execute). No `style=""`, no inline handlers.
"""

import contextvars
import json
import logging

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.http import HttpResponse
from django.middleware.gzip import GZipMiddleware
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .drosselung import drosseln

logger = logging.getLogger("atlas.csp")

# The nonce of the request being answered, for code that renders without the request (form
# widgets: django-leaflet's map widget takes its nonce as an attribute).
_nonce = contextvars.ContextVar("atlas_csp_nonce", default=None)


def aktuelle_nonce():
    """The CSP nonce of the request this thread is answering, or None outside a request."""
    return _nonce.get()


class SicherheitsKopfzeilenMiddleware(CSPMiddleware):
    """django-csp's middleware, with a nonce on every response, plus Permissions-Policy."""

    def process_request(self, request):
        super().process_request(request)
        request._atlas_csp_token = _nonce.set(request.csp_nonce)

    def process_response(self, request, response):
        # Every response names a nonce, so a template may use one without asking first.
        str(request.csp_nonce)
        token = getattr(request, "_atlas_csp_token", None)
        if token is not None:
            _nonce.reset(token)
            request._atlas_csp_token = None
        response = super().process_response(request, response)
        if getattr(settings, "PERMISSIONS_POLICY", "") and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = settings.PERMISSIONS_POLICY
        return response


class OeffentlichKomprimierenMiddleware(GZipMiddleware):
    """gzip only for requests without a session cookie, i.e. the public pages.

    BREACH recovers a secret from the size of compressed responses that also reflect the
    attacker's input. Anonymous pages hold no secret but the CSRF token, which Django masks anew
    on every response; staff pages show personal data next to reflected search terms, so they
    stay uncompressed. Django's GZipMiddleware adds random padding on top (Heal The BREACH).
    """

    def process_response(self, request, response):
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            return response
        return super().process_response(request, response)


@csrf_exempt
@require_POST
def csp_bericht(request):
    """`report-uri` of the policy: logs what a browser blocked, so operators see it."""
    if (antwort := drosseln(request, bereich="csp-bericht", json=True)) is not None:
        return antwort
    roh = request.body[:10_000]
    try:
        bericht = json.loads(roh).get("csp-report", {})
    except (ValueError, AttributeError):
        bericht = {}
    if isinstance(bericht, dict):
        logger.warning(
            "CSP-Verstoß: %s blockiert %s auf %s",
            str(bericht.get("violated-directive", ""))[:200],
            str(bericht.get("blocked-uri", ""))[:200],
            str(bericht.get("document-uri", ""))[:200],
        )
    return HttpResponse(status=204)
