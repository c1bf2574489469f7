from django.urls import path

from . import views

app_name = "associations"
urlpatterns = [
    path("", views.association_list, name="list"),
    path("<int:pk>/", views.association_detail, name="detail"),
    path("<int:pk>/appoint/", views.AppointView.as_view(), name="appoint"),
    path("<int:pk>/posts/<int:post_id>/end/", views.EndPostView.as_view(), name="end-post"),
    path("<int:pk>/meetings/new/", views.MeetingView.as_view(), name="meeting"),
]
