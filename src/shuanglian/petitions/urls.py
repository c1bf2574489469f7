from django.urls import path

from . import views

app_name = "petitions"

urlpatterns = [
    path("", views.petition_list, name="list"),
    path("new/", views.IntakeView.as_view(), name="intake"),
    path("<int:pk>/", views.PetitionView.as_view(), name="detail"),
    path("backlog/", views.backlog_board, name="backlog"),
    path("statistics/", views.statistics, name="stats"),
    path("statistics/monthly.xlsx", views.monthly_table, name="monthly"),
    path("<int:pk>/<str:kind>.pdf", views.document, name="document"),
]
