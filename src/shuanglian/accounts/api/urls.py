from django.urls import path
from rest_framework.routers import SimpleRouter

from .views import ApiTokenViewSet, GrantViewSet, PasswordChangeView, PendingGrantViewSet, UserViewSet

router = SimpleRouter()
router.register("users", UserViewSet, basename="api-user")
router.register("grants", GrantViewSet, basename="api-grant")
router.register("auth/tokens", ApiTokenViewSet, basename="api-token-manage")
router.register("pending-grants", PendingGrantViewSet, basename="api-pending-grant")

urlpatterns = [path("auth/password/", PasswordChangeView.as_view(), name="api-password-change"), *router.urls]
