from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from shuanglian.access import roles


class PetitionsConfig(AppConfig):
    name = "shuanglian.petitions"
    label = "petitions"
    verbose_name = _("petitions")
    # The capabilities this app checks; access.checks holds them against the role table.
    capabilities = frozenset({roles.VIEW_PETITIONS, roles.HANDLE_PETITIONS})
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Register the petitions' clock with the one sweep at start-up, before any sweep runs.
        from . import deadlines  # noqa: F401
