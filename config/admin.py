from django.conf import settings
from django.contrib import admin
from django.utils.translation import pgettext_lazy

from config.konten import ZweiFaktorAnmeldeformular, adresse_gedrosselt, hat_geraet


class ZweiFaktorMixin:
    """Two-factor admin login (django-otp), switched on per request by `OTP_REQUIRED`.

    With it, only users verified by a confirmed OTP device count as admin users, superusers
    included; the login form asks for the code. Read per request so tests can flip it.
    """

    @property
    def login_form(self):
        return ZweiFaktorAnmeldeformular if settings.OTP_REQUIRED else None

    @property
    def login_template(self):
        return "admin/otp/login.html" if settings.OTP_REQUIRED else None

    def has_permission(self, request):
        if not super().has_permission(request):
            return False
        if not settings.OTP_REQUIRED:
            return True
        # OTPMiddleware installs is_verified(); without it nobody counts as verified.
        ist_verifiziert = getattr(request.user, "is_verified", None)
        return callable(ist_verifiziert) and ist_verifiziert()

    def login(self, request, extra_context=None):
        if request.method == "POST" and (gedrosselt := adresse_gedrosselt(request)) is not None:
            # Too many failures from this address: the password is not even checked.
            return gedrosselt
        if settings.OTP_REQUIRED:
            # A signed-in but unverified user (a session from before OTP_REQUIRED, say) is told
            # how to get a device rather than only "not authorised".
            extra_context = {"ohne_geraet": not hat_geraet(request.user), **(extra_context or {})}
        return super().login(request, extra_context)


class AtlasAdminSite(ZweiFaktorMixin, admin.AdminSite):
    """The staff side: titled like the deployment."""

    site_header = settings.SITE_TITLE
    site_title = settings.SITE_TITLE
    index_title = pgettext_lazy("Titel der Admin-Startseite", "Verwaltung")
    index_template = "admin/atlas/index.html"
    # The app list beside every page took 300 of 1280 pixels and left a changelist too little
    # room; the start page and the breadcrumbs lead to every list.
    enable_nav_sidebar = False

    def get_urls(self):
        from django.urls import path

        from atlas.admin_basis import auf_der_seite_ansehen

        # Django's "view on site" redirects to any row; ours only to rows in the user's scope.
        urls = [u for u in super().get_urls() if getattr(u, "name", None) != "view_on_site"]
        ansehen = path(
            "r/<path:content_type_id>/<path:object_id>/",
            self.admin_view(auf_der_seite_ansehen),
            name="view_on_site",
        )
        # Before the Netzwerk admin's own URLs, whose catch-all would take it.
        from auswertung.views import PartnervorschlaegeView

        vorschlaege = path(
            "netzwerke/netzwerk/<int:pk>/partnervorschlaege/",
            self.admin_view(PartnervorschlaegeView.as_view()),
            name="netzwerke_netzwerk_partnervorschlaege",
        )
        return [ansehen, vorschlaege, *urls]

    def index(self, request, extra_context=None):
        # Start page: overdue records, drafts and latest changes in the user's scope, of the
        # models whose admins take part (atlas.pruefung); on top, the coordinator's networks.
        # Imported here: the admin site loads before the apps.
        from akteure.bereich import koordinierte_netzwerke
        from atlas.admin_basis import veraltete_uebersetzungen
        from atlas.pruefung import startseite

        kontext = startseite(request, self._registry.values(), koordiniert=koordinierte_netzwerke)
        if kontext:
            kontext["startseite"]["uebersetzungen_veraltet"] = veraltete_uebersetzungen(
                request.user, self._registry.values()
            )
        return super().index(request, {**kontext, **(extra_context or {})})
