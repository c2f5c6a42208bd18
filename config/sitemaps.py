from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from akteure.models import Akteur
from angebote.models import Angebot
from netzwerke.models import Netzwerk


class SeitenSitemap(Sitemap):
    def items(self):
        return [
            "angebote:start",
            "angebote:angebot_list",
            "akteure:akteur_list",
            "netzwerke:netzwerk_list",
        ]

    def location(self, item):
        return reverse(item)


class EintragSitemap(Sitemap):
    """The public pages of one model: what its `veroeffentlicht()` says on the request's day."""

    limit = 5000

    def __init__(self, modell):
        self.modell = modell

    def items(self):
        # Built per request: the rule compares with the database's today, never a stored date.
        return self.modell.objects.veroeffentlicht().only("slug", "geaendert_am").order_by("pk")

    def lastmod(self, obj):
        return obj.geaendert_am


SITEMAPS = {
    "seiten": SeitenSitemap,
    "angebote": EintragSitemap(Angebot),
    "akteure": EintragSitemap(Akteur),
    "netzwerke": EintragSitemap(Netzwerk),
}
