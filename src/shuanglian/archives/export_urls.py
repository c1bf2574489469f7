"""Included under archives/export/ as namespace "archive_exports"."""
from django.urls import path

from . import export_views as views

app_name = "archive_exports"
urlpatterns = [
    path("village/<str:code>/book/", views.village_book, name="village_book"),
    path("village/<str:code>/reveal/", views.village_book_reveal, name="village_book_reveal"),
    path("jobs/<int:pk>/", views.export_job, name="export_job"),
    path("jobs/<int:pk>/download/", views.export_job_download, name="export_job_download"),
    path("household/<int:pk>/file.pdf", views.household_file, {"fmt": "pdf"}, name="household_file_pdf"),
    path("household/<int:pk>/file.xlsx", views.household_file, {"fmt": "xlsx"}, name="household_file_xlsx"),
    path("household/<int:pk>/reveal/", views.household_file_reveal, name="household_file_reveal"),
]
