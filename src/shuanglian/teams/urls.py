from django.urls import path

from . import views

app_name = "teams"
urlpatterns = [
    path("", views.coverage, name="coverage"),
    path("stats/", views.stats, name="stats"),
    path("grids/<str:code>/", views.roster, name="roster"),
]
