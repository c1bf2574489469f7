from rest_framework.routers import SimpleRouter

from .views import HouseholdViewSet, PersonViewSet

router = SimpleRouter()
router.register("households", HouseholdViewSet, basename="api-household")
router.register("persons", PersonViewSet, basename="api-person")

urlpatterns = router.urls
