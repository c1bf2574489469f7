from django.urls import path

from . import views

app_name = "village_affairs"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("meetings/", views.meeting_list, name="meeting-list"),
    path("meetings/new/", views.MeetingCreateView.as_view(), name="meeting-new"),
    path("meetings/quorum/", views.meeting_quorum, name="meeting-quorum"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("decisions/", views.decision_list, name="decision-list"),
    path("decisions/new/", views.DecisionCreateView.as_view(), name="decision-new"),
    path("decisions/<int:pk>/", views.DecisionView.as_view(), name="decision-detail"),
    path("board/<str:code>/", views.BoardView.as_view(), name="board"),
    path("public/<str:code>/", views.public_board, name="public-board"),
]
