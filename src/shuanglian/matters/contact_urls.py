"""Contact-day pages under /matters/contact-days/ (the "matters" namespace)."""
from django.urls import path

from . import contact_views as views

urlpatterns = [
    path("", views.CalendarView.as_view(), name="contact-calendar"),
    path("<int:pk>/", views.ContactDayView.as_view(), name="contact-day"),
    path("visits/", views.VisitsView.as_view(), name="contact-visits"),
    path("coverage/", views.coverage, name="contact-coverage"),
]
