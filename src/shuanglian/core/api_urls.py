from django.urls import path
from rest_framework.routers import SimpleRouter

from .api_views import AuditEventViewSet, CalendarView

router = SimpleRouter()
router.register("audit", AuditEventViewSet, basename="api-audit-event")

urlpatterns = [path("calendar/", CalendarView.as_view(), name="api-calendar"), *router.urls]
