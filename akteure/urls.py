from django.urls import path

app_name = "akteure"
urlpatterns: list = []
