from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from shuanglian.access import roles


class OutreachConfig(AppConfig):
    name = "shuanglian.outreach"
    verbose_name = _("contact days and visits")
    # The capabilities this app checks; access.checks holds them against the role table.
    capabilities = frozenset({roles.PLAN_CONTACT_DAYS, roles.RECORD_VISITS})
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import links  # noqa: F401  (registers the contact days and visits matters link to)
