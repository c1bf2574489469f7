from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import CategoryViewSet, MatterViewSet, TimeLimitView

router = SimpleRouter()
router.register("matters", MatterViewSet, basename="api-matter")
router.register("matter-categories", CategoryViewSet, basename="api-matter-category")

urlpatterns = [
    path("matters/time-limits/", TimeLimitView.as_view(), name="api-time-limits"),
    *router.urls,
]
