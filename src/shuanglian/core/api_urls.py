from rest_framework.routers import SimpleRouter

from .api_views import AuditEventViewSet

router = SimpleRouter()
router.register("audit", AuditEventViewSet, basename="api-audit-event")

urlpatterns = router.urls
