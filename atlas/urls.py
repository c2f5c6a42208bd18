from django.urls import path

from . import views

app_name = "atlas"
urlpatterns = [
    path(
        "angaben-aktuell/<str:modell>/<int:pk>/<str:token>/",
        views.angaben_aktuell,
        name="angaben_aktuell",
    ),
    path("melden/<str:modell>/<int:pk>/", views.meldung_view, name="melden"),
    path("impressum/", views.rechtstext, {"seite": "impressum"}, name="impressum"),
    path("datenschutz/", views.rechtstext, {"seite": "datenschutz"}, name="datenschutz"),
    path(
        "barrierefreiheit/",
        views.rechtstext,
        {"seite": "barrierefreiheit"},
        name="barrierefreiheit",
    ),
]
