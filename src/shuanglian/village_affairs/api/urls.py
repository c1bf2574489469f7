from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import (
    DecisionViewSet,
    DisclosureViewSet,
    MeetingViewSet,
    VillageAffairsStatsView,
    VillageBodiesViewSet,
)

router = SimpleRouter()
router.register("village-meetings", MeetingViewSet, basename="api-village-meeting")
router.register("village-decisions", DecisionViewSet, basename="api-village-decision")
router.register("disclosures", DisclosureViewSet, basename="api-disclosure")
router.register("village-bodies", VillageBodiesViewSet, basename="api-village-bodies")

urlpatterns = [
    path("stats/village-affairs/", VillageAffairsStatsView.as_view(), name="api-village-affairs-stats"),
    *router.urls,
]
