from django.urls import path

from . import views

app_name = "divisions"
urlpatterns = [
    path("", views.browse, name="browse"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/restructure/", views.RestructureView.as_view(), name="restructure"),
]
