from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from shuanglian.accounts.api.views import ObtainTokenView

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file: the Content-Security-Policy allows no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("shuanglian.divisions.api.urls")),
    path("", include("shuanglian.accounts.api.urls")),
    path("", include("shuanglian.organizations.api.urls")),
    path("", include("shuanglian.archives.api.urls")),
    path("", include("shuanglian.matters.api.urls")),
    path("", include("shuanglian.mediation.api.urls")),
    path("", include("shuanglian.outreach.api.urls")),
    path("", include("shuanglian.applications.api.urls")),
    path("", include("shuanglian.petitions.api.urls")),
    path("", include("shuanglian.teams.api.urls")),
    path("", include("shuanglian.associations.api.urls")),
    path("", include("shuanglian.village_affairs.api.urls")),
    path("", include("shuanglian.notifications.api.urls")),
    path("", include("shuanglian.core.api_urls")),
]
