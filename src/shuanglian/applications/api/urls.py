from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import (
    ApplicationViewSet,
    PublicApplicationStatusView,
    ServiceItemViewSet,
    ServicePointViewSet,
    ServiceStatsView,
)

router = SimpleRouter()
router.register("service-points", ServicePointViewSet, basename="api-service-point")
router.register("service-items", ServiceItemViewSet, basename="api-service-item")
router.register("applications", ApplicationViewSet, basename="api-application")

urlpatterns = [
    path("stats/services/", ServiceStatsView.as_view(), name="api-service-stats"),
    path("public/applications/<str:receipt>/", PublicApplicationStatusView.as_view(),
         name="api-public-application-status"),
    *router.urls,
]
