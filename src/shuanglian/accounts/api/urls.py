from rest_framework.routers import SimpleRouter

from .views import ApiTokenViewSet, GrantViewSet, UserViewSet

router = SimpleRouter()
router.register("users", UserViewSet, basename="api-user")
router.register("grants", GrantViewSet, basename="api-grant")
router.register("auth/tokens", ApiTokenViewSet, basename="api-token-manage")

urlpatterns = router.urls
