from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from shuanglian.access import roles


class MattersConfig(AppConfig):
    name = "shuanglian.matters"
    verbose_name = _("matters")
    # The capabilities this app checks; access.checks holds them against the role table.
    capabilities = frozenset({roles.VIEW_MATTERS, roles.VIEW_ASSIGNED_MATTERS, roles.REPORT_MATTERS,
                              roles.HANDLE_MATTERS, roles.SUPERVISE_MATTERS, roles.CONFIGURE_MATTERS})
    default_auto_field = "django.db.models.BigAutoField"
