from rest_framework.routers import SimpleRouter

from .views import AssociationViewSet

router = SimpleRouter()
router.register("associations", AssociationViewSet, basename="api-association")

urlpatterns = router.urls
