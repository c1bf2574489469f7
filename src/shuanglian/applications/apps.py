from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from shuanglian.access import roles


class ApplicationsConfig(AppConfig):
    name = "shuanglian.applications"
    label = "services"
    verbose_name = _("full-process service")
    # The capabilities this app checks; access.checks holds them against the role table.
    capabilities = frozenset({roles.VIEW_APPLICATIONS, roles.HANDLE_APPLICATIONS,
                              roles.MANAGE_SERVICE_CATALOG})
    default_auto_field = "django.db.models.BigAutoField"
