from django.urls import path

from . import views

app_name = "angebote"
urlpatterns = [
    path("", views.StartView.as_view(), name="start"),
    path("angebote/", views.AngebotListView.as_view(), name="angebot_list"),
    path("angebote/karte.json", views.AngebotKarteView.as_view(), name="angebot_karte"),
    path("angebote/<slug:slug>/", views.AngebotDetailView.as_view(), name="angebot_detail"),
]
