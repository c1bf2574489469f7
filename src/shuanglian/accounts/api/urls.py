from rest_framework.routers import SimpleRouter

from .views import GrantViewSet, UserViewSet

router = SimpleRouter()
router.register("users", UserViewSet, basename="api-user")
router.register("grants", GrantViewSet, basename="api-grant")

urlpatterns = router.urls
