from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import PetitionStatsView, PetitionViewSet

router = SimpleRouter()
router.register("petitions", PetitionViewSet, basename="api-petition")

urlpatterns = [
    path("stats/petitions/", PetitionStatsView.as_view(), name="api-petition-stats"),
    *router.urls,
]
