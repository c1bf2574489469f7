from django.urls import path

from . import views

app_name = "services"

urlpatterns = [
    path("guide/", views.guide, name="guide"),
    path("status/", views.status_lookup, name="status"),
    path("counter/", views.CounterView.as_view(), name="counter"),
    path("counter/<int:point>/", views.CounterView.as_view(), name="counter-point"),
    path("applications/<int:pk>/receipt/", views.receipt, name="receipt"),
    path("queue/", views.queue, name="queue"),
    path("applications/<int:pk>/", views.ApplicationView.as_view(), name="application"),
    path("supervision/", views.supervision, name="supervision"),
    path("items/", views.item_list, name="items"),
    path("items/new/", views.ItemEditView.as_view(), name="item-new"),
    path("items/<int:pk>/", views.ItemEditView.as_view(), name="item-edit"),
]
