from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from shuanglian.access import roles


class VillageAffairsConfig(AppConfig):
    name = "shuanglian.village_affairs"
    label = "village_affairs"
    verbose_name = _("village affairs")
    # The capabilities this app checks; access.checks holds them against the role table.
    capabilities = frozenset({roles.VIEW_VILLAGE_AFFAIRS, roles.RECORD_VILLAGE_AFFAIRS, roles.REVIEW_VILLAGE_AFFAIRS})
    default_auto_field = "django.db.models.BigAutoField"
