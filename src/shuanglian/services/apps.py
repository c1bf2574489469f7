from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "shuanglian.services"
    label = "services"
    verbose_name = _("full-process service")
    default_auto_field = "django.db.models.BigAutoField"
