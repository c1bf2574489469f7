from django.apps import AppConfig
from django.db.models.signals import post_migrate

from shuanglian.access import roles


def _default_tags(sender, using, **kwargs):  # a signal receiver takes **kwargs by contract
    from .services import ensure_default_tags  # services import models: not before the app registry is ready

    ensure_default_tags(using=using)


class ArchivesConfig(AppConfig):
    name = "shuanglian.archives"
    label = "archives"
    verbose_name = "Household archives"
    # The capabilities this app checks; access.checks holds them against the role table.
    capabilities = frozenset({roles.VIEW_ARCHIVES, roles.VIEW_ARCHIVES_PII, roles.REVEAL_PII, roles.EDIT_ARCHIVES,
                              roles.IMPORT_ARCHIVES})

    def ready(self):
        # Where missing, after every migrate and every test flush; a database made without migrations
        # (the SQLite test pass) gets them too.
        post_migrate.connect(_default_tags, sender=self, dispatch_uid="archives.default_tags")
