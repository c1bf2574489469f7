from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MattersConfig(AppConfig):
    name = "shuanglian.matters"
    verbose_name = _("matters")
    default_auto_field = "django.db.models.BigAutoField"
