from django.urls import path

from . import views

app_name = "teams"
urlpatterns = [
    path("", views.coverage, name="coverage"),
    path("stats/", views.stats, name="stats"),
    path("import/", views.import_team_list, name="import"),
    path("staff/", views.unit_staff, name="staff"),
    path("import/template/", views.import_template, name="import_template"),
    path("grids/<str:code>/", views.roster, name="roster"),
    path("grids/<str:code>/card/", views.card, name="card"),
    path("grids/<str:code>/card/pdf/", views.card_pdf, name="card_pdf"),
    path("villages/<str:code>/cards/pdf/", views.village_cards_pdf, name="village_cards_pdf"),
]
