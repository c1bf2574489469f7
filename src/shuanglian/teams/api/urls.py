from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import TeamCoverageView, TeamMemberViewSet, TeamStatsView

router = SimpleRouter()
router.register("team-members", TeamMemberViewSet, basename="api-team-member")

urlpatterns = [
    path("stats/teams/", TeamStatsView.as_view(), name="api-team-stats"),
    path("team-coverage/", TeamCoverageView.as_view(), name="api-team-coverage"),
    *router.urls,
]
