"""/programme/: the programmes with the partner structure of their networks."""

from django.urls import path, re_path

from . import views

app_name = "programme"
urlpatterns = [
    path("", views.ProgrammListView.as_view(), name="programm_list"),
    path("<slug:slug>/", views.ProgrammDetailView.as_view(), name="programm_detail"),
    re_path(
        r"^(?P<slug>[-\w]+)/partnerstruktur\.(?P<format>csv|xlsx)$",
        views.PartnerstrukturExportView.as_view(art="programm"),
        name="partnerstruktur_export",
    ),
]
