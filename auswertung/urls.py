from django.urls import path, re_path

from . import views

app_name = "auswertung"
urlpatterns = [
    path(
        "netzwerke/<slug:slug>/netzwerkkarte/",
        views.NetzwerkkarteView.as_view(),
        name="netzwerkkarte",
    ),
    re_path(
        r"^netzwerke/(?P<slug>[-\w]+)/netzwerkkarte\.(?P<format>graphml|csv)$",
        views.NetzwerkkarteView.as_view(),
        name="netzwerkkarte_datei",
    ),
    path("auswertung/bedarf/", views.BedarfView.as_view(), name="bedarf"),
    re_path(
        r"^auswertung/bedarf\.(?P<format>csv|xlsx)$",
        views.BedarfView.as_view(),
        name="bedarf_datei",
    ),
    path(
        "auswertung/monitoring/",
        views.MonitoringVergleichView.as_view(),
        name="monitoring_vergleich",
    ),
    path("auswertung/monitoring/<slug:slug>/", views.MonitoringView.as_view(), name="monitoring"),
    path(
        "auswertung/netzwerkkarte/",
        views.RegionNetzwerkkarteView.as_view(),
        name="region_netzwerkkarte",
    ),
    re_path(
        r"^auswertung/netzwerkkarte\.(?P<format>graphml|csv)$",
        views.RegionNetzwerkkarteView.as_view(),
        name="region_netzwerkkarte_datei",
    ),
]
