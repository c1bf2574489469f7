from django.urls import path

from . import training_views, views

app_name = "teams"
urlpatterns = [
    path("", views.coverage, name="coverage"),
    path("stats/", views.stats, name="stats"),
    path("import/", views.ImportView.as_view(), name="import"),
    path("import/<int:pk>/", views.import_job, name="import_job"),
    path("staff/", views.unit_staff, name="staff"),
    path("import/template/", views.import_template, name="import_template"),
    path("grids/<str:code>/", views.roster, name="roster"),
    path("members/<int:pk>/", training_views.MemberView.as_view(), name="member"),
    path("training/", training_views.SessionListView.as_view(), name="sessions"),
    path("training/<int:pk>/", training_views.SessionView.as_view(), name="session"),
    path("grids/<str:code>/card/", views.card, name="card"),
    path("grids/<str:code>/card/pdf/", views.card_pdf, name="card_pdf"),
    path("villages/<str:code>/cards/pdf/", views.village_cards_pdf, name="village_cards_pdf"),
]
