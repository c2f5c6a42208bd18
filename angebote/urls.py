from django.urls import path

app_name = "angebote"
urlpatterns: list = []
