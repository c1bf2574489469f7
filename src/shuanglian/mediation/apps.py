from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediationConfig(AppConfig):
    name = "shuanglian.mediation"
    verbose_name = _("disputes and mediation")
    # Who sees and handles a dispute is who sees and handles its matter: the matters app's capabilities.
    capabilities: frozenset[str] = frozenset()
    default_auto_field = "django.db.models.BigAutoField"
