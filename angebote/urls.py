from django.urls import path, re_path

from . import broschuere, exports, views

app_name = "angebote"
urlpatterns = [
    path("", views.StartView.as_view(), name="start"),
    path("leichte-sprache/", views.LeichteSpracheView.as_view(), name="leichte_sprache"),
    path("angebote/", views.AngebotListView.as_view(), name="angebot_list"),
    path("angebote/karte.json", views.AngebotKarteView.as_view(), name="angebot_karte"),
    re_path(
        r"^angebote/export\.(?P<format>csv|xlsx|geojson|ics)$",
        exports.AngebotExportView.as_view(),
        name="angebot_export",
    ),
    re_path(
        r"^angebote/broschuere-(?P<format>a4|a5)\.pdf$",
        broschuere.AngebotBroschuereView.as_view(),
        name="angebot_broschuere",
    ),
    path("angebote/<slug:slug>/", views.AngebotDetailView.as_view(), name="angebot_detail"),
    path(
        "angebote/<slug:slug>/aushang.pdf",
        broschuere.AngebotAushangView.as_view(),
        name="angebot_aushang",
    ),
    path(
        "angebote/<slug:slug>/termine.ics",
        exports.AngebotTermineView.as_view(),
        name="angebot_termine",
    ),
]
