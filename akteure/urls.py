from django.urls import path

from . import views

app_name = "akteure"
urlpatterns = [
    path("", views.AkteurListView.as_view(), name="akteur_list"),
    path("karte.json", views.AkteurKarteView.as_view(), name="akteur_karte"),
    path("<slug:slug>/", views.AkteurDetailView.as_view(), name="akteur_detail"),
]
