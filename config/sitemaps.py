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
    limit = 5000

    def __init__(self, queryset):
        self.queryset = queryset

    def items(self):
        return self.queryset.only("slug", "geaendert_am").order_by("pk")

    def lastmod(self, obj):
        return obj.geaendert_am


SITEMAPS = {
    "seiten": SeitenSitemap,
    "angebote": EintragSitemap(Angebot.objects.veroeffentlicht()),
    "akteure": EintragSitemap(Akteur.objects.veroeffentlicht()),
    "netzwerke": EintragSitemap(Netzwerk.objects.veroeffentlicht()),
}
