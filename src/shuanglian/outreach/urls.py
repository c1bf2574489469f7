"""Contact-day pages, under /matters/contact-days/ where they have always been."""
from django.urls import path

from . import views

app_name = "outreach"

urlpatterns = [
    path("", views.CalendarView.as_view(), name="contact-calendar"),
    path("<int:pk>/", views.ContactDayView.as_view(), name="contact-day"),
    path("visits/", views.VisitsView.as_view(), name="contact-visits"),
    path("coverage/", views.coverage, name="contact-coverage"),
]
