from django.urls import path, re_path

from . import exports, views

app_name = "netzwerke"
urlpatterns = [
    path("", views.NetzwerkListView.as_view(), name="netzwerk_list"),
    path("karte.json", views.NetzwerkKarteView.as_view(), name="netzwerk_karte"),
    path("<slug:slug>/", views.NetzwerkDetailView.as_view(), name="netzwerk_detail"),
    re_path(
        r"^export\.(?P<format>csv|xlsx)$",
        exports.NetzwerkExportView.as_view(),
        name="netzwerk_export",
    ),
    re_path(
        r"^(?P<slug>[-\w]+)/partner\.(?P<format>csv|xlsx|geojson)$",
        exports.PartnerExportView.as_view(),
        name="partner_export",
    ),
    re_path(
        r"^(?P<slug>[-\w]+)/partnerstruktur\.(?P<format>csv|xlsx)$",
        views.PartnerstrukturExportView.as_view(art="netzwerk"),
        name="partnerstruktur_export",
    ),
    re_path(
        r"^(?P<slug>[-\w]+)/kontakte\.(?P<format>csv|xlsx)$",
        exports.KontakteExportView.as_view(),
        name="kontakte_export",
    ),
]
