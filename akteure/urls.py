from django.urls import path

from . import views

app_name = "akteure"
urlpatterns = [
    path("", views.AkteurListView.as_view(), name="akteur_list"),
    path("<slug:slug>/", views.AkteurDetailView.as_view(), name="akteur_detail"),
]
