from django.urls import path, re_path

from . import exports, views

app_name = "akteure"
urlpatterns = [
    path("", views.AkteurListView.as_view(), name="akteur_list"),
    path("karte.json", views.AkteurKarteView.as_view(), name="akteur_karte"),
    re_path(
        r"^export\.(?P<format>csv|xlsx|geojson)$",
        exports.AkteurExportView.as_view(),
        name="akteur_export",
    ),
    path("erklaert/", views.ErklaerungenView.as_view(), name="erklaerungen"),
    path("<slug:slug>/", views.AkteurDetailView.as_view(), name="akteur_detail"),
]
