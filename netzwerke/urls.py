from django.urls import path

from . import views

app_name = "netzwerke"
urlpatterns = [
    path("", views.NetzwerkListView.as_view(), name="netzwerk_list"),
    path("karte.json", views.NetzwerkKarteView.as_view(), name="netzwerk_karte"),
    path("<slug:slug>/", views.NetzwerkDetailView.as_view(), name="netzwerk_detail"),
]
