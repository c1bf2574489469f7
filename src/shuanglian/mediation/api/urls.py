from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import DisputeStatsView, DisputeViewSet

router = SimpleRouter()
router.register("disputes", DisputeViewSet, basename="api-dispute")

urlpatterns = [
    path("stats/disputes/", DisputeStatsView.as_view(), name="api-dispute-stats"),
    *router.urls,
]
