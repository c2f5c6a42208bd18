"""One FilterSet for the public network list: the list page and the map data share it."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from akteure.models import Sozialraum

from .models import Netzwerk, Programm

# Land › Kreis › Gemeinde › Stadtteil: below any area lie at most three more levels.
EBENEN_DARUNTER = 3


def in_gebiet(feld, sozialraum):
    """Q: the Sozialraum at `feld` is `sozialraum` or lies anywhere below it."""
    bedingung = Q()
    for tiefe in range(EBENEN_DARUNTER + 1):
        bedingung |= Q(**{feld + "__uebergeordnet" * tiefe: sozialraum})
    return bedingung


def regionen_mit_netzwerken():
    """Areas holding at least one published network, in them or below them."""
    return Sozialraum.objects.filter(
        Exists(Netzwerk.objects.veroeffentlicht().filter(in_gebiet("region", OuterRef("pk"))))
    )


class NetzwerkFilterSet(django_filters.FilterSet):
    programm = django_filters.ModelChoiceFilter(
        label=_("Programm"),
        queryset=Programm.objects.all(),
        to_field_name="slug",
        empty_label=_("alle Programme"),
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Region"),
        queryset=regionen_mit_netzwerken(),
        to_field_name="slug",
        method="filter_region",
        empty_label=_("alle Regionen"),
    )

    class Meta:
        model = Netzwerk
        fields = []

    def filter_region(self, queryset, name, value):
        # A Kreis includes the networks of its Gemeinden and Stadtteile.
        return queryset.filter(in_gebiet("region", value))
