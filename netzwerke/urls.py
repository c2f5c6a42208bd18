from django.urls import path

app_name = "netzwerke"
urlpatterns: list = []
