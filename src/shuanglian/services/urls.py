from django.urls import path

from . import views

app_name = "services"

urlpatterns = [
    path("guide/", views.guide, name="guide"),
    path("status/", views.status_lookup, name="status"),
    path("counter/", views.CounterView.as_view(), name="counter"),
    path("counter/<int:point>/", views.CounterView.as_view(), name="counter-point"),
    path("applications/<int:pk>/receipt/", views.receipt, name="receipt"),
]
