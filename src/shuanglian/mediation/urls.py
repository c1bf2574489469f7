from django.urls import path

from . import views

app_name = "mediation"

urlpatterns = [
    path("", views.dispute_list, name="dispute-list"),
    path("<int:pk>/", views.DisputeView.as_view(), name="dispute-detail"),
    path("<int:pk>/agreement.pdf", views.agreement_download, name="dispute-agreement-pdf"),
    path("screen/<int:matter>/", views.ScreenView.as_view(), name="dispute-screen"),
]
