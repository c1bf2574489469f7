from django.urls import path
from rest_framework.routers import SimpleRouter

from .imports import TeamImportViewSet
from .kits import KitViewSet
from .staff import StaffAssignView, StaffView
from .training import LecturerViewSet, TrainingSessionViewSet
from .views import TeamCoverageView, TeamMemberViewSet, TeamStatsView

router = SimpleRouter()
router.register("team-members", TeamMemberViewSet, basename="api-team-member")
router.register("lecturers", LecturerViewSet, basename="api-lecturer")
router.register("training-sessions", TrainingSessionViewSet, basename="api-training-session")
router.register("kits", KitViewSet, basename="api-kit")
router.register("team-imports", TeamImportViewSet, basename="api-team-import")

urlpatterns = [
    path("stats/teams/", TeamStatsView.as_view(), name="api-team-stats"),
    path("team-coverage/", TeamCoverageView.as_view(), name="api-team-coverage"),
    path("team-staff/", StaffView.as_view(), name="api-team-staff"),
    path("team-staff/assign/", StaffAssignView.as_view(), name="api-team-staff-assign"),
    *router.urls,
]
