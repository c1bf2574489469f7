from django.urls import path

app_name = "divisions"
urlpatterns: list = []
