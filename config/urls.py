from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from atlas.betrieb import bereit, lebt
from atlas.kopfzeilen import csp_bericht
from config.sitemaps import SITEMAPS

urlpatterns = [
    # Operations: outside the language prefix, never redirected to HTTPS (SECURE_REDIRECT_EXEMPT).
    path("-/alive/", lebt, name="lebt"),
    path("-/ready/", bereit, name="bereit"),
    path("-/csp-bericht/", csp_bericht, name="csp_bericht"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    # Open Referral HSDS API: machine-readable, one language, so outside i18n_patterns.
    path("api/hsds/", include("angebote.api_urls")),
]
# German at the root, English under /en/: the language is part of the URL, so switching needs
# no cookie and every page can be shared in either language. The staff side too: /en/admin/.
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("akteure/", include("akteure.urls")),
    # Before netzwerke/: /netzwerke/<slug>/netzwerkkarte/ is a planners' page (auswertung).
    path("", include("auswertung.urls")),
    path("netzwerke/", include("netzwerke.urls")),
    path("", include("atlas.urls")),
    path("programme/", include("netzwerke.programm_urls")),
    path("", include("angebote.urls")),
    prefix_default_language=False,
)

# German error pages; 404.html is Django's default view with our template. A database that is
# down gives 503 (atlas/betrieb.py).
handler500 = "atlas.betrieb.serverfehler"
