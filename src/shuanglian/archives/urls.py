from django.urls import path

from . import views

app_name = "archives"
urlpatterns = [
    path("", views.search, name="search"),
    path("households/<int:pk>/", views.HouseholdView.as_view(), name="household"),
    path("persons/<int:pk>/reveal/", views.reveal, name="reveal"),
    path("attention/", views.attention, name="attention"),
    path("import/", views.UploadView.as_view(), name="upload"),
    path("import/template/", views.template, name="template"),
    path("import/<int:pk>/", views.job, name="job"),
    path("import/<int:pk>/rejects/", views.job_rejects, name="job_rejects"),
]
