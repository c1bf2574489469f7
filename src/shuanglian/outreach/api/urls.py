"""/api/v1/contact-days/ and /api/v1/visits/ (contact days, no-meeting days, household visits)."""
from rest_framework.routers import SimpleRouter

from .views import ContactDayViewSet, VisitViewSet

router = SimpleRouter()
router.register("contact-days", ContactDayViewSet, basename="api-contact-day")
router.register("visits", VisitViewSet, basename="api-visit")

urlpatterns = router.urls
