from django.urls import path

from . import views

app_name = "services"

urlpatterns = [
    path("guide/", views.guide, name="guide"),
    path("status/", views.status_lookup, name="status"),
]
