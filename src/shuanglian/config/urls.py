from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path
from django.views.i18n import set_language

from shuanglian.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("shuanglian.accounts.urls")),
    path("divisions/", include("shuanglian.divisions.urls")),
    path("organizations/", include("shuanglian.organizations.urls")),
    path("archives/export/", include("shuanglian.archives.export_urls")),
    path("archives/", include("shuanglian.archives.urls")),
    # Disputes and contact days kept their addresses under /matters/ when they became apps of their own.
    path("matters/disputes/", include("shuanglian.mediation.urls")),
    path("matters/contact-days/", include("shuanglian.outreach.urls")),
    path("matters/", include("shuanglian.matters.urls")),
    path("services/", include("shuanglian.applications.urls")),
    path("teams/", include("shuanglian.teams.urls")),
    path("associations/", include("shuanglian.associations.urls")),
    path("petitions/", include("shuanglian.petitions.urls")),
    path("village-affairs/", include("shuanglian.village_affairs.urls")),
    path("inbox/", include("shuanglian.notifications.urls")),
    path("audit/", include("shuanglian.core.urls")),
    path("api/v1/", include("shuanglian.config.api_urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.STATIC_URL, document_root=settings.STATIC_ROOT)
